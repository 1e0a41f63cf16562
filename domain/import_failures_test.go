package domain_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"portal/domain"
)

type failingReader struct{ data io.Reader }

func (r *failingReader) Read(p []byte) (int, error) {
	n, err := r.data.Read(p)
	if err == io.EOF {
		return n, errors.New("disk on fire")
	}
	return n, err
}

func TestImportFailures(t *testing.T) {
	storeErr := errors.New("store is closed")
	tests := []struct {
		name   string
		reader io.Reader
		fail   error
		want   string
	}{
		{name: "reader error", reader: &failingReader{strings.NewReader(exampleOrder + "\n")}, want: "disk on fire"},
		{name: "store error on a product", reader: strings.NewReader(exampleProduct + "\n"), fail: storeErr, want: storeErr.Error()},
		{name: "store error on an order", reader: strings.NewReader(exampleOrder + "\n"), fail: storeErr, want: storeErr.Error()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			store := newFakeStore()
			store.fail = tc.fail
			_, err := domain.Import(context.Background(), tc.reader, store, (&keySource{}).newKey)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Import error = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

func TestImportReportFailed(t *testing.T) {
	rejected := func(n int) []domain.RejectedLine {
		var r []domain.RejectedLine
		for i := range n {
			r = append(r, domain.RejectedLine{Line: i + 1, Reason: "bad"})
		}
		return r
	}
	tests := []struct {
		name   string
		report domain.ImportReport
		want   bool
	}{
		{name: "nothing read", report: domain.ImportReport{}, want: false},
		{name: "everything imported", report: domain.ImportReport{Read: 3, Imported: 3}, want: false},
		{name: "everything skipped", report: domain.ImportReport{Read: 3, Skipped: 3}, want: false},
		{name: "some rejected", report: domain.ImportReport{Read: 3, Imported: 2, Rejected: rejected(1)}, want: false},
		{name: "all but one rejected", report: domain.ImportReport{Read: 3, Skipped: 1, Rejected: rejected(2)}, want: false},
		{name: "every line rejected", report: domain.ImportReport{Read: 3, Rejected: rejected(3)}, want: true},
		{name: "the only line rejected", report: domain.ImportReport{Read: 1, Rejected: rejected(1)}, want: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.report.Failed(); got != tc.want {
				t.Errorf("Failed() = %v, want %v for %+v", got, tc.want, tc.report)
			}
		})
	}

	imports := []struct {
		name  string
		input string
		want  bool
	}{
		{name: "import of bad lines only", input: "{\n\n" + `{"kind":"invoice"}` + "\n", want: true},
		{name: "import of blank lines only", input: "\n  \n\n", want: false},
		{name: "import with one good line", input: "{\n" + exampleOrder + "\n", want: false},
	}
	for _, tc := range imports {
		t.Run(tc.name, func(t *testing.T) {
			report, err := domain.Import(context.Background(), strings.NewReader(tc.input), newFakeStore(), (&keySource{}).newKey)
			if err != nil {
				t.Fatal(err)
			}
			if got := report.Failed(); got != tc.want {
				t.Errorf("Failed() = %v, want %v for\n%s", got, tc.want, report)
			}
		})
	}
}
