package invoicepdf_test

import (
	"bytes"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"portal/views"
	"portal/views/invoicepdf"
)

func TestRenderEmbedsFonts(t *testing.T) {
	out := run(t, "pdffonts", renderFile(t, fullInvoice()))
	_, table, found := strings.Cut(out, "---\n")
	if !found {
		t.Fatalf("pdffonts printed no table:\n%s", out)
	}
	embedded := map[string]bool{}
	for _, row := range strings.Split(strings.TrimSpace(table), "\n") {
		// name type... encoding emb sub uni object ID: emb is fifth from the end.
		fields := strings.Fields(row)
		if len(fields) < 6 {
			t.Fatalf("unexpected pdffonts row %q", row)
		}
		embedded[fields[0]] = fields[len(fields)-5] == "yes"
	}
	for _, font := range []string{"goregular", "gobold"} {
		if !embedded[font] {
			t.Errorf("font %s not embedded; pdffonts says:\n%s", font, out)
		}
	}
	if len(embedded) != 2 {
		t.Errorf("fonts %v, want the two Go fonts only", embedded)
	}
}

func TestRenderInfo(t *testing.T) {
	out := run(t, "pdfinfo", renderFile(t, fullInvoice()))
	for _, want := range []string{
		`(?m)^Title:\s+Invoice INV-2026-0043$`,
		`(?m)^Creator:\s+Customer license portal$`,
		`(?m)^Page size:\s+595 x 842 pts \(A4\)$`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("pdfinfo lacks %s:\n%s", want, out)
		}
	}
}

// TestRenderStaysInsideTheFrame: on every page of a long invoice, text stays
// within 50 pt of the sides, ends 60 pt above the bottom edge but for the
// footer, and descriptions stay in their column, left of the numbers. A
// description longer than a page (beyond what orders hold) is split too.
func TestRenderStaysInsideTheFrame(t *testing.T) {
	tall := fullInvoice()
	tallText := longText("tall", 6000)
	tall.Items = append(tall.Items, views.InvoiceItemData{Description: tallText, Quantity: "1", UnitPrice: "EUR 1.00", Amount: "EUR 1.00"})
	for _, tc := range []struct {
		name  string
		d     views.InvoiceData
		pages int
	}{
		{"HundredItems", hundredItems(), 2},
		{"RowTallerThanAPage", tall, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := pages(t, tc.d)
			if len(got) < tc.pages {
				t.Fatalf("%d pages, want at least %d", len(got), tc.pages)
			}
			if word, ok := wordsInOrder(strings.Join(got, "\f"), tallText); tc.name == "RowTallerThanAPage" && !ok {
				t.Fatalf("%q missing or out of order", word)
			}
			checkFrame(t, run(t, "pdftotext", "-bbox", renderFile(t, tc.d), "-"))
		})
	}
}

// wordBox is one word where pdftotext -bbox finds it, in points from the top left.
var wordBox = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)

var descriptionWord = regexp.MustCompile(`^((i\d{3}|tall)w\d+|x+)$`)

func checkFrame(t *testing.T, bbox string) {
	t.Helper()
	const left, right, bottom, footer, descriptionRight = 50, 545, 782, 795, 295
	words := wordBox.FindAllStringSubmatch(bbox, -1)
	if len(words) < 500 {
		t.Fatalf("pdftotext found %d words", len(words))
	}
	for _, w := range words {
		var box [4]float64
		for i := range box {
			box[i], _ = strconv.ParseFloat(w[i+1], 64)
		}
		xMin, yMin, xMax, yMax, text := box[0], box[1], box[2], box[3], w[5]
		if xMin < left-0.5 || xMax > right+0.5 {
			t.Errorf("%q spans x %.1f to %.1f, outside the side margins", text, xMin, xMax)
		}
		if yMax > bottom && yMin < footer {
			t.Errorf("%q spans y %.1f to %.1f, past the bottom margin", text, yMin, yMax)
		}
		if descriptionWord.MatchString(text) && xMax > descriptionRight+0.5 {
			t.Errorf("description word %q ends at x %.1f, past its column", text, xMax)
		}
	}
}

// TestRenderConcurrently renders in parallel (the test command runs -race)
// and expects each PDF to be the one a lone call makes, byte for byte.
func TestRenderConcurrently(t *testing.T) {
	invoices := []views.InvoiceData{fullInvoice(), hundredItems()}
	want := make([][]byte, len(invoices))
	for i, d := range invoices {
		var b bytes.Buffer
		if err := invoicepdf.Render(&b, d); err != nil {
			t.Fatal(err)
		}
		want[i] = b.Bytes()
	}
	var wg sync.WaitGroup
	for n := range 16 {
		wg.Go(func() {
			i := n % len(invoices)
			var b bytes.Buffer
			if err := invoicepdf.Render(&b, invoices[i]); err != nil {
				t.Error(err)
				return
			}
			if !bytes.Equal(b.Bytes(), want[i]) {
				t.Errorf("render %d of invoice %d differs from a lone render", n, i)
			}
		})
	}
	wg.Wait()
}

// BenchmarkRender renders a one-page invoice: go test -bench Render ./views/invoicepdf
func BenchmarkRender(b *testing.B) {
	d := fullInvoice()
	b.ReportAllocs()
	for b.Loop() {
		if err := invoicepdf.Render(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}
