package storage_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"portal/domain"
	"portal/storage"
)

func TestSearchOrdersByEachKey(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	a := newOrder(t, "JWT100234", "marie@acme.example", baseDate, 2)
	a.Licenses[1].Serial = "ACME-SRV-01"
	b := newOrder(t, "JWT100412", "john@northwind.example", baseDate, 1)
	importOK(t, s, a, b)
	key := a.Order.ActivationKey
	cases := []struct {
		q, wantRef, how string
	}{
		{"marie@acme.example", "JWT100234", "email"},
		{"Marie@ACME", "JWT100234", "email"},
		{"mar", "JWT100234", "email"},
		{"northwind", "JWT100412", "email domain"},
		{"JWT100234", "JWT100234", "order number"},
		{"jwt 1004", "JWT100412", "order number"},
		{"ACME-SRV-01", "JWT100234", "serial"},
		{"acme-srv", "JWT100234", "serial"},
		{domain.FormatActivationKey(key), "JWT100234", "activation key"},
		{strings.ToLower(key[:8]), "JWT100234", "activation key"},
	}
	for _, tc := range cases {
		res, err := s.SearchOrders(ctx, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if len(res) == 0 || res[0].Order.Reference != tc.wantRef || res[0].Matched != tc.how {
			t.Errorf("search %q: %+v, want %s by %s", tc.q, res, tc.wantRef, tc.how)
		}
	}
	for _, q := range []string{"", "nobody@x.example", "ZZZ999", "xyz"} {
		if res, _ := s.SearchOrders(ctx, q); len(res) != 0 {
			t.Errorf("search %q found %d orders", q, len(res))
		}
	}
	// An activation key found after a reissue is the new one only.
	err := s.UpdateOrder(ctx, "JWT100234", func(u *domain.OrderUpdate) error {
		u.ReissueKey(domain.NewActivationKey(), domain.ActorCustomer, baseDate)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if res, _ := s.SearchOrders(ctx, key); len(res) != 0 {
		t.Error("the old activation key still finds the order")
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := mustOpen(t)
	if _, err := src.SaveProduct(ctx, domain.Product{Software: "Remote Work", Edition: "Standard", Upgradable: true, Currency: "EUR", SupportPricePerSeatYear: 9000}); err != nil {
		t.Fatal(err)
	}
	if _, err := src.SaveProduct(ctx, domain.Product{Software: "Old", Edition: "Classic", Currency: "USD", Retired: true}); err != nil {
		t.Fatal(err)
	}
	a := newOrder(t, "JWT100234", "marie@acme.example", baseDate, 3)
	a.Licenses[0].Serial = "PC-1"
	a.Licenses[0].Version = 4
	importOK(t, src, a, newOrder(t, "JWT100412", "john@northwind.example", baseDate.AddDate(0, 1, 0), 1))

	var exported bytes.Buffer
	n, err := src.Export(ctx, &exported)
	if err != nil || n != 2 {
		t.Fatalf("export: %d orders, %v", n, err)
	}
	dst := mustOpen(t)
	report, err := domain.Import(ctx, bytes.NewReader(exported.Bytes()), dst, domain.NewActivationKey)
	if err != nil || len(report.Rejected) > 0 || report.Imported != 4 {
		t.Fatalf("import of the export: %v\n%s", err, report)
	}
	// An equal portal: the same catalog, orders, licenses and keys.
	for _, pair := range []struct{ a, b any }{
		{must(src.Products(ctx)), must(dst.Products(ctx))},
		{must(src.OrdersByEmail(ctx, "marie@acme.example")), must(dst.OrdersByEmail(ctx, "marie@acme.example"))},
		{must(src.LicensesByEmail(ctx, "marie@acme.example")), must(dst.LicensesByEmail(ctx, "marie@acme.example"))},
		{must(src.OrdersByEmail(ctx, "john@northwind.example")), must(dst.OrdersByEmail(ctx, "john@northwind.example"))},
	} {
		if !reflect.DeepEqual(pair.a, pair.b) {
			ja, _ := json.Marshal(pair.a)
			jb, _ := json.Marshal(pair.b)
			t.Errorf("after the round trip:\n%s\n%s", ja, jb)
		}
	}
	// And a second export is the same bytes.
	var again bytes.Buffer
	dst.Export(ctx, &again)
	if !bytes.Equal(exported.Bytes(), again.Bytes()) {
		t.Error("the export of the imported portal differs")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestBackupRestoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	srcDir := t.TempDir()
	src, closeSrc := mustOpenAt(t, srcDir)
	key, _, err := storage.SigningKey(srcDir)
	if err != nil {
		t.Fatal(err)
	}
	if err := src.KeepSigningKey(ctx, key); err != nil {
		t.Fatal(err)
	}
	importOK(t, src, newOrder(t, "JWT100234", "marie@acme.example", baseDate, 2))
	src.UpdateOrder(ctx, "JWT100234", func(u *domain.OrderUpdate) error {
		_, err := u.Activate(u.Order.ActivationKey, "PC-1", baseDate)
		return err
	})
	var backup bytes.Buffer
	if err := src.Backup(&backup); err != nil { // online, while the store is open
		t.Fatal(err)
	}
	closeSrc()

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dstDir := filepath.Join(t.TempDir(), "restored")
	if err := storage.Restore(dstDir, bytes.NewReader(backup.Bytes()), log); err != nil {
		t.Fatal(err)
	}
	restoredKey, created, err := storage.SigningKey(dstDir)
	if err != nil || created || !restoredKey.Equal(key) {
		t.Errorf("the restored folder signs with another key (created=%v, %v)", created, err)
	}
	dst, _ := mustOpenAt(t, dstDir)
	if got := must(dst.LicensesByEmail(ctx, "marie@acme.example")); len(got) != 2 || got[0].Serial != "PC-1" {
		t.Errorf("restored licenses: %+v", got)
	}
	if h := must(dst.LicenseHistory(ctx, "JWT100234-1")); len(h) != 1 {
		t.Errorf("restored history: %+v", h)
	}

	// Never over existing data, and never from a file that is not a backup.
	if err := storage.Restore(srcDir, bytes.NewReader(backup.Bytes()), log); err != storage.ErrNotEmpty {
		t.Errorf("restore into a folder with data: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad")
	if err := storage.Restore(bad, strings.NewReader("not a backup"), log); err == nil {
		t.Error("a file that is not a backup was restored")
	}
	os.RemoveAll(bad)
}
