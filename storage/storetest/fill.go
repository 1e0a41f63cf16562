package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"reflect"
	"testing"
	"time"

	"portal/domain"
)

// Filled is what Fill stored, for CheckFilled.
type Filled struct {
	A, B, Upgrade       domain.OrderWithLicenses
	OldKeyA             string
	NewKeyA             string
	Fulfilled, Flagged  domain.Purchase
	Pending, Renewal    domain.Purchase
	Staff               domain.StaffUser
	Seller              domain.Seller
	Webhooks            []domain.WebhookEndpoint
	AuditEntries, Event int
}

// Fill stores a small portal with every kind of record: products (one
// retired), orders with and without licenses, activations and a key reissue
// with their history, purchases fulfilled, flagged, pending and not yet sent
// to payment, payment events, staff accounts, the audit log, the order
// counter, the seller details, webhook endpoints; and a session and a rate limit, which are not
// records.
func Fill(t testing.TB, s Backend) Filled {
	t.Helper()
	ctx := context.Background()
	var f Filled
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := s.SaveProduct(ctx, upgradeProduct)
	check(err)
	check(s.SaveProductAudited(ctx, domain.Product{Software: "Old", Edition: "Classic", Currency: "USD", SeatPrice: 100, Retired: true},
		domain.AuditEntry{At: BaseDate, Staff: "admin@acme.example", Action: "product saved", Detail: "Old Classic"}))
	f.A = NewOrder(t, "JWT100234", "marie@acme.example", BaseDate, 3)
	f.B = NewOrder(t, "JWT100412", "john@northwind.example", BaseDate.AddDate(0, 1, 0), 1)
	f.Upgrade = NewOrder(t, "JWT100300", "marie@acme.example", BaseDate.AddDate(0, 0, 1), 0)
	f.Upgrade.Order.Source = domain.SourceUpgrade
	f.B.Licenses[0].Serial = "NW-LAPTOP-7"
	// B is billed to its company with tax; the upgrade order's invoice is
	// numbered from the series.
	f.B.Order.Billing = domain.Billing{Company: "Northwind GmbH", Address: []string{"Hauptstraße 5"}, Postcode: "10115",
		City: "Berlin", Country: "DE", VATID: "DE123456789", PONumber: "PO-77"}
	f.B.Order.Tax = &domain.Tax{RateBP: 1900, Amount: 8550}
	f.B.Order.Total += 8550
	f.B.Order.Invoices[0].Billing = f.B.Order.Billing
	f.Upgrade.Order.Invoices[0].Number = ""
	f.Upgrade.InvoiceSeries = domain.InvoiceSeries("INV-", f.Upgrade.Order.Date)
	ImportOK(t, s, f.A, f.B, f.Upgrade)
	check(s.UpdateOrder(ctx, f.B.Order.Reference, func(u *domain.OrderUpdate) error {
		b := f.B.Order.Billing
		b.Address = []string{"Hauptstraße 7"}
		_, err := u.ChangeBilling(b, TestSeller, BaseDate.Add(time.Hour))
		return err
	}))
	f.OldKeyA, f.NewKeyA = f.A.Order.ActivationKey, domain.NewActivationKey()
	check(s.UpdateOrder(ctx, f.A.Order.Reference, func(u *domain.OrderUpdate) error {
		_, err := u.Activate(f.OldKeyA, "PC-1", BaseDate.Add(time.Hour))
		return err
	}))
	check(s.UpdateOrder(ctx, f.A.Order.Reference, func(u *domain.OrderUpdate) error {
		u.ReissueKey(f.NewKeyA, domain.ActorCustomer, BaseDate.Add(2*time.Hour))
		return nil
	}))

	now := BaseDate.Add(3 * time.Hour)
	a1 := MustLicense(t, s, f.A.Licenses[0].ID)
	fulfilled := newPurchase(t, a1, "marie@acme.example", 2, now)
	openPurchase(t, s, fulfilled)
	f.Fulfilled, err = s.FulfilPurchase(ctx, payment("evt_fill_1", fulfilled, now.Add(time.Minute)), jwtNumbering)
	check(err)
	if _, err := s.FulfilPurchase(ctx, payment("evt_fill_2", fulfilled, now.Add(2*time.Minute)), jwtNumbering); !errors.Is(err, domain.ErrPaymentSeen) {
		t.Fatalf("second event: %v", err)
	}
	flagged := newPurchase(t, f.B.Licenses[0], "john@northwind.example", 1, now)
	openPurchase(t, s, flagged)
	short := payment("evt_fill_3", flagged, now.Add(time.Minute))
	short.Amount--
	f.Flagged, err = s.FulfilPurchase(ctx, short, jwtNumbering)
	check(err)
	f.Pending = newPurchase(t, MustLicense(t, s, f.A.Licenses[1].ID), "marie@acme.example", 1, now.Add(time.Minute))
	openPurchase(t, s, f.Pending)
	f.Pending, _, err = s.Purchase(ctx, f.Pending.ID)
	check(err)
	q, err := domain.QuoteRenewal(MustLicense(t, s, f.A.Licenses[2].ID), upgradeProduct, now)
	check(err)
	f.Renewal = domain.NewRenewalPurchase(q, MustLicense(t, s, f.A.Licenses[2].ID), "marie@acme.example", now.Add(2*time.Minute))
	check(s.CreatePurchase(ctx, f.Renewal))
	f.Event = 3

	f.Staff = domain.StaffUser{Email: "admin@acme.example", Role: domain.RoleAdmin, PasswordHash: []byte("$2a$12$fill"), CreatedAt: BaseDate, SessionsFrom: BaseDate}
	check(s.SaveStaffUser(ctx, f.Staff, domain.AuditEntry{At: BaseDate, Staff: "command line", Action: "staff account added", Detail: f.Staff.Email}))
	check(s.SaveStaffUser(ctx, domain.StaffUser{Email: "help@acme.example", Role: domain.RoleSupport, CreatedAt: BaseDate, SessionsFrom: BaseDate},
		domain.AuditEntry{At: BaseDate, Staff: f.Staff.Email, Action: "staff account added", Detail: "help@acme.example"}))
	check(s.RecordAudit(ctx, domain.AuditEntry{At: now, Staff: f.Staff.Email, Action: "export"}))
	f.Seller = FillSeller
	check(s.SaveSeller(ctx, f.Seller, domain.AuditEntry{At: now, Staff: f.Staff.Email, Action: "seller details", Detail: "name " + f.Seller.Name}))
	// Webhook endpoints: one of PORTAL_WEBHOOK_URL, one rotated and disabled
	// by its receiver's 410.
	env, err := domain.NewWebhookEndpoint(domain.EnvWebhookID, "https://crm.acme.example/portal-events", domain.NewWebhookSecret(), BaseDate)
	check(err)
	gone, err := domain.NewWebhookEndpoint("ep_0123456789abcdef", "https://old.acme.example/hooks", domain.NewWebhookSecret(), BaseDate)
	check(err)
	gone.Rotate(domain.NewWebhookSecret(), now)
	gone.Enabled, gone.Disabled = false, "the receiver answered 410 Gone"
	f.Webhooks = []domain.WebhookEndpoint{gone, env} // in id order
	check(s.SaveWebhookEndpoint(ctx, env, nil))
	check(s.SaveWebhookEndpoint(ctx, gone, &domain.AuditEntry{At: now, Staff: f.Staff.Email, Action: "webhook endpoint added", Detail: gone.URL}))
	f.AuditEntries = 6

	check(s.CreateSession(ctx, "fill-session", domain.Session{Email: "marie@acme.example", CreatedAt: now}, time.Hour))
	_, err = s.SpendToken(ctx, testRate, "fill", now)
	check(err)
	return f
}

// CheckFilled checks that s holds what Fill stored, found through every index:
// by email, activation key, serial, domain and reference, the flagged and
// unpaid purchases, the payment events, the counter. It changes s.
func CheckFilled(t testing.TB, s Backend, f Filled) {
	t.Helper()
	ctx := context.Background()
	if got := refsOf(must(s.OrdersByEmail(ctx, "marie@acme.example"))); !reflect.DeepEqual(got, []string{"JWT100300", f.Fulfilled.NewOrderRef, "JWT100234"}) {
		t.Errorf("orders of marie: %v", got)
	}
	licenses := must(s.LicensesByEmail(ctx, "marie@acme.example"))
	if len(licenses) != 3 || licenses[0].Serial != "PC-1" || licenses[0].Users != f.A.Licenses[0].Users+2 {
		t.Errorf("licenses of marie: %+v", licenses)
	}
	if o, found, _ := s.OrderByActivationKey(ctx, f.NewKeyA); !found || o.Reference != "JWT100234" {
		t.Error("the reissued key does not find its order")
	}
	if _, found, _ := s.OrderByActivationKey(ctx, f.OldKeyA); found {
		t.Error("the old key finds an order")
	}
	for q, want := range map[string]string{"PC-1": "JWT100234", "nw-laptop": "JWT100412", "northwind": "JWT100412", f.Fulfilled.NewOrderRef: f.Fulfilled.NewOrderRef} {
		if res := must(s.SearchOrders(ctx, q)); len(res) != 1 || res[0].Order.Reference != want {
			t.Errorf("search %q: %+v, want %s", q, res, want)
		}
	}
	if hist := must(s.LicenseHistory(ctx, f.A.Licenses[0].ID)); len(hist) != 3 || hist[0].Kind != domain.ChangeActivation || hist[2].Kind != domain.ChangeUpgrade {
		t.Errorf("history of %s: %+v", f.A.Licenses[0].ID, hist)
	}
	if got := must(s.FlaggedPurchases(ctx)); len(got) != 1 || got[0] != f.Flagged {
		t.Errorf("flagged purchases: %+v", got)
	}
	if got := must(s.PurchasesByEmail(ctx, "marie@acme.example")); len(got) != 3 || got[0] != f.Renewal || got[1] != f.Pending {
		t.Errorf("purchases of marie: %+v", got)
	}
	if u, found, _ := s.StaffUser(ctx, f.Staff.Email); !found || !reflect.DeepEqual(u, f.Staff) {
		t.Errorf("staff account: %+v", u)
	}
	if got := must(s.Audit(ctx, 100)); len(got) != f.AuditEntries {
		t.Errorf("audit: %+v", got)
	}
	if got, found, _ := s.Seller(ctx); !found || !reflect.DeepEqual(got, f.Seller) {
		t.Errorf("seller: %+v, %v", got, found)
	}
	if got := must(s.WebhookEndpoints(ctx)); len(got) != len(f.Webhooks) {
		t.Errorf("webhook endpoints: %+v", got)
	}
	for _, want := range f.Webhooks {
		if got, found, _ := s.WebhookEndpoint(ctx, want.ID); !found || !reflect.DeepEqual(got, want) {
			t.Errorf("webhook endpoint %s: %+v, want %+v", want.ID, got, want)
		}
	}
	if p := must(s.Products(ctx)); len(p) != 2 || !p[0].Retired {
		t.Errorf("products: %+v", p)
	}
	b := MustOrder(t, s, f.B.Order.Reference)
	if len(b.Invoices) != 2 || b.Invoices[1].Number != "INV-JWT100412-R1" || b.Billing.Address[0] != "Hauptstraße 7" ||
		b.Tax == nil || b.Tax.Amount != 8550 || b.Invoices[0].Billing.Address[0] != "Hauptstraße 5" {
		t.Errorf("order B's billing, tax and invoices: %+v", b)
	}
	if n := MustOrder(t, s, f.Fulfilled.NewOrderRef).InvoiceNumber(); n != "INV-2026-0002" {
		t.Errorf("the fulfilled order's invoice: %q, want INV-2026-0002 (after the upgrade order's 0001)", n)
	}
	// Every payment event is still seen; the counter goes on from where it was.
	for _, event := range []string{"evt_fill_1", "evt_fill_2", "evt_fill_3"} {
		if _, err := s.FulfilPurchase(ctx, payment(event, f.Fulfilled, BaseDate), jwtNumbering); !errors.Is(err, domain.ErrPaymentSeen) {
			t.Errorf("event %s again: %v", event, err)
		}
	}
	next := newPurchase(t, MustLicense(t, s, f.B.Licenses[0].ID), "john@northwind.example", 1, BaseDate)
	openPurchase(t, s, next)
	last, _ := domain.OrderNumber(f.Fulfilled.NewOrderRef)
	if got, err := s.FulfilPurchase(ctx, payment("evt_next", next, BaseDate), jwtNumbering); err != nil || got.NewOrderRef != fmt.Sprintf("JWT%d", last+1) {
		t.Errorf("the next order: %q, %v; want JWT%d", got.NewOrderRef, err, last+1)
	} else if n := MustOrder(t, s, got.NewOrderRef).InvoiceNumber(); n != "INV-2026-0003" {
		t.Errorf("the next order's invoice: %q, want INV-2026-0003: the series goes on", n)
	}
	if n, err := s.ForgetUnpaidPurchases(ctx, BaseDate.AddDate(1, 0, 0)); n != 2 || err != nil {
		t.Errorf("forgot %d unpaid purchases, %v; want the pending and the renewal", n, err)
	}
}

// DumpAll answers every record of s, as Dump gives them.
func DumpAll(t testing.TB, s Backend) []domain.Record {
	t.Helper()
	var out []domain.Record
	if err := s.Dump(context.Background(), func(r domain.Record) error {
		out = append(out, r)
		return nil
	}); err != nil {
		t.Fatalf("Dump: %v", err)
	}
	return out
}

// Records yields records for Load.
func Records(records []domain.Record) iter.Seq2[domain.Record, error] {
	return func(yield func(domain.Record, error) bool) {
		for _, r := range records {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// SameRecords fails the test where two dumps differ, naming the first difference.
func SameRecords(t testing.TB, got, want []domain.Record) {
	t.Helper()
	for i := range max(len(got), len(want)) {
		var g, w []byte
		if i < len(got) {
			g, _ = json.Marshal(got[i])
		}
		if i < len(want) {
			w, _ = json.Marshal(want[i])
		}
		if string(g) != string(w) {
			t.Fatalf("record %d of %d differs:\n got %s\nwant %s", i, len(want), g, w)
		}
	}
}
