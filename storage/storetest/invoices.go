package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"portal/domain"
)

var invoiceTests = []test{
	{"ImportNumbersInvoicesFromTheSeries", testImportNumbersInvoicesFromTheSeries},
	{"ImportRefusesATakenInvoiceNumber", testImportRefusesATakenInvoiceNumber},
	{"ConcurrentFulfilmentsNumberInvoicesConsecutively", testConcurrentFulfilmentsNumberInvoicesConsecutively},
	{"ConcurrentImportsNumberInvoicesWithoutGaps", testConcurrentImportsNumberInvoicesWithoutGaps},
	{"BillingChangeIssuesACorrectedInvoice", testBillingChangeIssuesACorrectedInvoice},
	{"NumberInvoicesNumbersOlderOrdersByDate", testNumberInvoicesNumbersOlderOrdersByDate},
}

// unnumbered is an order imported without an invoice number: the store
// numbers it from the INV- series of its year.
func unnumbered(tb testing.TB, ref string, date time.Time) domain.OrderWithLicenses {
	o := NewOrder(tb, ref, "buyer@acme.example", date, 1)
	o.Order.Invoices[0].Number = ""
	o.InvoiceSeries = domain.InvoiceSeries("INV-", date)
	return o
}

func invoiceNumbers(tb testing.TB, s Reader, refs ...string) []string {
	tb.Helper()
	var out []string
	for _, ref := range refs {
		out = append(out, MustOrder(tb, s, ref).InvoiceNumber())
	}
	return out
}

// testImportNumbersInvoicesFromTheSeries: orders imported without a number
// take the next ones of their year's series, in line order, skipping a number
// an imported order brought; an order imported again takes none.
func testImportNumbersInvoicesFromTheSeries(t *testing.T, h Harness) {
	s := h.open(t)
	explicit := NewOrder(t, "JWT2", "buyer@acme.example", BaseDate, 1)
	explicit.Order.Invoices[0].Number = "INV-2026-0002"
	a, b, c := unnumbered(t, "JWT1", BaseDate), unnumbered(t, "JWT3", BaseDate), unnumbered(t, "JWT4", BaseDate)
	next := unnumbered(t, "JWT6", BaseDate.AddDate(1, 0, 0))
	ImportOK(t, s, a, explicit, b, c, next)
	want := []string{"INV-2026-0001", "INV-2026-0002", "INV-2026-0003", "INV-2026-0004", "INV-2027-0001"}
	if got := invoiceNumbers(t, s, "JWT1", "JWT2", "JWT3", "JWT4", "JWT6"); !slices.Equal(got, want) {
		t.Errorf("invoice numbers %v, want %v", got, want)
	}
	results, err := s.ImportOrders(context.Background(), []domain.OrderWithLicenses{a, b, unnumbered(t, "JWT5", BaseDate)})
	if err != nil || results[0] != domain.ErrAlreadyImported || results[1] != domain.ErrAlreadyImported || results[2] != nil {
		t.Fatalf("import again: %v, %v", results, err)
	}
	if got := invoiceNumbers(t, s, "JWT5"); got[0] != "INV-2026-0005" {
		t.Errorf("after orders imported again, the next number is %s, want INV-2026-0005 (none taken by the skipped lines)", got[0])
	}
	if got := MustOrder(t, s, "JWT1").Invoices[0]; !got.Issued.Equal(BaseDate) {
		t.Errorf("an imported order's invoice is issued %s, want its order's date", got.Issued)
	}
}

// testImportRefusesATakenInvoiceNumber: no two orders share an invoice
// number, whether stored before or in the same import.
func testImportRefusesATakenInvoiceNumber(t *testing.T, h Harness) {
	s := h.open(t)
	first := NewOrder(t, "JWT1", "a@acme.example", BaseDate, 1)
	first.Order.Invoices[0].Number = "F-100"
	ImportOK(t, s, first)
	again := NewOrder(t, "JWT2", "b@acme.example", BaseDate, 1)
	again.Order.Invoices[0].Number = "F-100"
	twin1, twin2 := NewOrder(t, "JWT3", "c@acme.example", BaseDate, 1), NewOrder(t, "JWT4", "d@acme.example", BaseDate, 1)
	twin1.Order.Invoices[0].Number, twin2.Order.Invoices[0].Number = "F-200", "F-200"
	results, err := s.ImportOrders(context.Background(), []domain.OrderWithLicenses{again, twin1, twin2})
	if err != nil {
		t.Fatal(err)
	}
	for i, res := range []error{results[0], results[2]} {
		if domain.KindOf(res) != domain.KindConflict || res == domain.ErrAlreadyImported {
			t.Errorf("order %d with a taken invoice number: %v, want a conflict", i, res)
		}
	}
	if results[1] != nil {
		t.Errorf("the first order with F-200: %v", results[1])
	}
	AssertNoOrder(t, s, "JWT2")
	AssertNoOrder(t, s, "JWT4")
	AssertNoLicense(t, s, "JWT4-1")
}

// testConcurrentFulfilmentsNumberInvoicesConsecutively: payments fulfilled at
// once each get their own invoice number, one after the other, none lost,
// issued by the seller with the buyer's billing details.
func testConcurrentFulfilmentsNumberInvoicesConsecutively(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	const n = 12
	billing := domain.Billing{Company: "Acme SARL", Address: []string{"Boîte 3"}, City: "Lyon", Country: "FR", VATID: "FR12345678901"}
	var purchases []domain.Purchase
	for i := range n {
		o := NewOrder(t, fmt.Sprintf("JWT%d", 100001+i), fmt.Sprintf("c%d@acme.example", i), BaseDate, 1)
		o.Order.Billing = billing
		ImportOK(t, s, o)
		p := newPurchase(t, o.Licenses[0], o.Order.Email, 1, BaseDate)
		openPurchase(t, s, p)
		purchases = append(purchases, p)
	}
	numbers := make([]string, n)
	var wg sync.WaitGroup
	for i, p := range purchases {
		wg.Go(func() {
			got, err := s.FulfilPurchase(ctx, payment(fmt.Sprintf("evt_%d", i), p, BaseDate), jwtNumbering)
			if err != nil {
				t.Errorf("fulfil %d: %v", i, err)
				return
			}
			o := MustOrder(t, s, got.NewOrderRef)
			numbers[i] = o.InvoiceNumber()
			inv := o.Invoices[0]
			if !inv.Billing.Equal(billing) || inv.Seller.Name != TestSeller.Name || !inv.Issued.Equal(BaseDate) {
				t.Errorf("order %s's invoice: %+v", o.Reference, inv)
			}
		})
	}
	wg.Wait()
	slices.Sort(numbers)
	for i, got := range numbers {
		if want := domain.InvoiceNumber("INV-2026-", uint64(i+1)); got != want {
			t.Fatalf("invoice numbers %v; want INV-2026-0001 to INV-2026-%04d, each once", numbers, n)
		}
	}
}

// testConcurrentImportsNumberInvoicesWithoutGaps: imports running at once
// (two admins, two instances) share the series: every number once, none skipped.
func testConcurrentImportsNumberInvoicesWithoutGaps(t *testing.T, h Harness) {
	s := h.open(t)
	const imports, each = 6, 5
	var wg sync.WaitGroup
	var refs []string
	for i := range imports {
		var batch []domain.OrderWithLicenses
		for j := range each {
			ref := fmt.Sprintf("JWT%d", 100000+i*each+j)
			refs = append(refs, ref)
			batch = append(batch, unnumbered(t, ref, BaseDate))
		}
		wg.Go(func() { ImportOK(t, s, batch...) })
	}
	wg.Wait()
	numbers := invoiceNumbers(t, s, refs...)
	slices.Sort(numbers)
	for i, got := range numbers {
		if want := domain.InvoiceNumber("INV-2026-", uint64(i+1)); got != want {
			t.Fatalf("invoice numbers %v; want INV-2026-0001 to INV-2026-%04d, each once", numbers, imports*each)
		}
	}
}

// testBillingChangeIssuesACorrectedInvoice: new billing details issue -R1,
// which replaces the original; the same details again issue nothing; every
// version is kept, across a restart.
func testBillingChangeIssuesACorrectedInvoice(t *testing.T, h Harness) {
	ctx := context.Background()
	place := h.Fresh(t)
	s, closeStore := h.openAt(t, place)
	ImportOK(t, s, unnumbered(t, "JWT1", BaseDate))
	details := domain.Billing{Company: "Acme SARL", Address: []string{"12 rue Mercière", "Boîte 3"}, Postcode: "69002",
		City: "Lyon", Country: "FR", VATID: "FR12345678901", PONumber: "PO-1"}
	change := func(b domain.Billing) (issued bool) {
		t.Helper()
		err := s.UpdateOrder(ctx, "JWT1", func(u *domain.OrderUpdate) (err error) {
			issued, err = u.ChangeBilling(b, TestSeller, BaseDate.AddDate(0, 0, 3))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return issued
	}
	if !change(details) || change(details) {
		t.Fatal("new details must issue one corrected invoice, the same details none")
	}
	closeStore()
	reopened, _ := h.openAt(t, place)
	o := MustOrder(t, reopened, "JWT1")
	if len(o.Invoices) != 2 {
		t.Fatalf("invoices after a restart: %+v", o.Invoices)
	}
	r1 := o.Invoices[1]
	if r1.Number != "INV-2026-0001-R1" || r1.Replaces != "INV-2026-0001" || !r1.Billing.Equal(details) ||
		!o.Billing.Equal(details) || !o.Invoices[0].Billing.IsZero() || o.Total != 45000 {
		t.Errorf("after the change: %+v", o)
	}
}

// testNumberInvoicesNumbersOlderOrdersByDate: orders stored before invoices
// existed get theirs, in the order of their dates; a second run finds none.
func testNumberInvoicesNumbersOlderOrdersByDate(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	later, earlier := NewOrder(t, "JWT1", "a@acme.example", BaseDate.AddDate(0, 1, 0), 1), NewOrder(t, "JWT2", "a@acme.example", BaseDate, 1)
	later.Order.Invoices, earlier.Order.Invoices = nil, nil
	ImportOK(t, s, later, earlier)
	if n, err := s.NumberInvoices(ctx, "OLD-"); n != 2 || err != nil {
		t.Fatalf("NumberInvoices: %d, %v; want 2", n, err)
	}
	if got := invoiceNumbers(t, s, "JWT2", "JWT1"); !slices.Equal(got, []string{"OLD-2026-0001", "OLD-2026-0002"}) {
		t.Errorf("numbers %v, want the earlier order first", got)
	}
	if n, err := s.NumberInvoices(ctx, "OLD-"); n != 0 || err != nil {
		t.Errorf("a second run numbered %d, %v", n, err)
	}
}
