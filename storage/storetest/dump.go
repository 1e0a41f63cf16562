package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"portal/domain"
)

var dumpTests = []test{
	{"DumpLoadRoundTrip", testDumpLoadRoundTrip},
	{"DumpIsOneSnapshot", testDumpIsOneSnapshot},
	{"LoadRefusesAStoreThatHoldsData", testLoadRefusesAStoreThatHoldsData},
	{"LoadStopsAtABadRecord", testLoadStopsAtABadRecord},
}

// testDumpLoadRoundTrip: a dump loaded into an empty store makes an equal
// portal, found through every index, whose own dump is the same.
func testDumpLoadRoundTrip(t *testing.T, h Harness) {
	ctx := context.Background()
	src := h.open(t)
	f := Fill(t, src)
	records := DumpAll(t, src)
	dst := h.open(t)
	if err := dst.Load(ctx, Records(records)); err != nil {
		t.Fatal(err)
	}
	SameRecords(t, DumpAll(t, dst), records)
	if _, found, _ := dst.Session(ctx, "fill-session"); found {
		t.Error("a session was carried")
	}
	CheckFilled(t, dst, f)
	CheckFilled(t, src, f) // the source is whole too
}

// testDumpIsOneSnapshot: what is written while a dump runs is not in it.
func testDumpIsOneSnapshot(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	Fill(t, s)
	before := len(DumpAll(t, s))
	late := NewOrder(t, "JWT900001", "late@acme.example", BaseDate, 1)
	var records []domain.Record
	err := s.Dump(ctx, func(r domain.Record) error {
		if len(records) == 0 {
			ImportOK(t, s, late)
		}
		records = append(records, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != before {
		t.Errorf("the dump has %d records, want the %d there when it began", len(records), before)
	}
	for _, r := range records {
		if r.Order != nil && r.Order.Reference == late.Order.Reference {
			t.Error("an order stored during the dump is in it")
		}
	}
	AssertStored(t, s, late)
	// An error from emit stops the dump and comes back.
	stop := errors.New("disk full")
	n := 0
	err = s.Dump(ctx, func(domain.Record) error {
		if n++; n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 3 {
		t.Errorf("Dump after emit failed: %v after %d records", err, n)
	}
}

func testLoadRefusesAStoreThatHoldsData(t *testing.T, h Harness) {
	ctx := context.Background()
	src := h.open(t)
	Fill(t, src)
	records := DumpAll(t, src)

	// Sessions and rate limits are no data: a store with only those loads.
	withSession := h.open(t)
	if err := withSession.CreateSession(ctx, "h", domain.Session{Email: "a@b.example", CreatedAt: BaseDate}, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := withSession.Load(ctx, Records(records)); err != nil {
		t.Errorf("load into a store with only a session: %v", err)
	}

	for name, prepare := range map[string]func(s Backend) error{
		"a product": func(s Backend) error {
			_, err := s.SaveProduct(ctx, domain.Product{Software: "X", Edition: "Y", Currency: "EUR"})
			return err
		},
		"an order": func(s Backend) error {
			_, err := s.ImportOrders(ctx, []domain.OrderWithLicenses{NewOrder(t, "JWT1", "a@b.example", BaseDate, 0)})
			return err
		},
		"an audit entry": func(s Backend) error { return s.RecordAudit(ctx, domain.AuditEntry{At: BaseDate, Action: "x"}) },
		"seller details": func(s Backend) error {
			return s.Load(ctx, Records([]domain.Record{{Seller: &FillSeller}}))
		},
		"a loaded dump": func(s Backend) error { return s.Load(ctx, Records(records)) },
	} {
		dst := h.open(t)
		if err := prepare(dst); err != nil {
			t.Fatal(err)
		}
		before := DumpAll(t, dst)
		if err := dst.Load(ctx, Records(records)); !errors.Is(err, domain.ErrNotEmpty) {
			t.Errorf("load into a store with %s: %v, want ErrNotEmpty", name, err)
		}
		SameRecords(t, DumpAll(t, dst), before)
	}
}

func testLoadStopsAtABadRecord(t *testing.T, h Harness) {
	ctx := context.Background()
	src := h.open(t)
	Fill(t, src)
	records := DumpAll(t, src)
	broken := errors.New("the file ends in the middle of a line")
	failing := func(yield func(domain.Record, error) bool) {
		for _, r := range records[:5] {
			if !yield(r, nil) {
				return
			}
		}
		yield(domain.Record{}, broken)
	}
	if err := h.open(t).Load(ctx, failing); !errors.Is(err, broken) {
		t.Errorf("load of a failing source: %v, want its error", err)
	}
	noSecret := domain.WebhookEndpoint{ID: "ep_1", URL: "https://crm.acme.example/hooks", Enabled: true}
	badURL := domain.WebhookEndpoint{ID: "ep_2", URL: "ftp://crm.acme.example/", Secrets: []domain.WebhookSecret{{Secret: domain.NewWebhookSecret()}}}
	for _, bad := range []domain.Record{{}, {Product: records[0].Product, Staff: &domain.StaffUser{Email: "x@y.example"}},
		{WebhookEndpoint: &noSecret}, {WebhookEndpoint: &badURL}} {
		err := h.open(t).Load(ctx, Records([]domain.Record{bad}))
		if domain.KindOf(err) != domain.KindInvalid {
			t.Errorf("load of a record holding %+v: %v, want invalid", bad, err)
		}
	}
}
