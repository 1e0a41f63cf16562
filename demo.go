package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"portal/domain"
)

// demoLogin is one customer of the demo and an order number to sign in with.
type demoLogin struct{ Email, Order, Note string }

// demoStore is what the demo needs of a store.
type demoStore interface {
	domain.ImportStore
	OrderCount(ctx context.Context) (int, error)
	SaveStaffUser(ctx context.Context, u domain.StaffUser, audit domain.AuditEntry) error
	SaveSeller(ctx context.Context, s domain.Seller, audit domain.AuditEntry) error
}

// demoSeller is the demo's vendor, so that its invoices are complete: a French
// company, accents in its address, a VAT number of the French form.
var demoSeller = domain.Seller{
	Name:          "Télésoft Systèmes SAS",
	Address:       []string{"Immeuble Le Méridien, Boîte 3", "18 rue Édouard-Herriot", "69002 Lyon", "France"},
	VATID:         "FR07812345672",
	InvoicePrefix: domain.DefaultInvoicePrefix,
}

// loadDemo fills an empty data folder with the vendor's seller details and a
// believable catalog, customers, orders and licenses, dated from today so that
// the support states stay varied (active, expiring within 30 days, expired).
// It goes through the same import as "portal import", and prints the logins.
func loadDemo(ctx context.Context, store demoStore, out io.Writer, now time.Time) error {
	n, err := store.OrderCount(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		// The seller first, so that whatever the import issues names it.
		audit := domain.AuditEntry{At: now.UTC(), Staff: "demo", Action: "seller details saved", Detail: "the demo's vendor, " + demoSeller.Name}
		if err := store.SaveSeller(ctx, demoSeller, audit); err != nil {
			return err
		}
		lines, logins := demoLines(now)
		report, err := domain.ImportWith(ctx, bytes.NewReader(lines), store, domain.ImportOptions{InvoicePrefix: demoSeller.InvoicePrefix})
		if err != nil {
			return fmt.Errorf("loading the demo: %w", err)
		}
		if len(report.Rejected) > 0 {
			return fmt.Errorf("loading the demo: %s", report.String())
		}
		if err := addDemoStaff(ctx, store, now); err != nil {
			return err
		}
		fmt.Fprintf(out, "Demo data loaded: %d products and orders.\n", report.Imported)
		printDemoLogins(out, logins)
		return nil
	}
	fmt.Fprintf(out, "The data folder already holds %d orders; the demo was not loaded again.\n", n)
	_, logins := demoLines(now)
	printDemoLogins(out, logins)
	return nil
}

func printDemoLogins(out io.Writer, logins []demoLogin) {
	fmt.Fprintln(out, "Demo logins (email + order number) at /login:")
	for _, l := range logins {
		fmt.Fprintf(out, "  %-28s %-10s %s\n", l.Email, l.Order, l.Note)
	}
	fmt.Fprintln(out, "Demo staff at /staff/login (password "+demoStaffPassword+"):")
	for _, s := range demoStaff {
		fmt.Fprintf(out, "  %-28s %s\n", s.email, s.role)
	}
}

// demoStaffPassword is known on purpose: the demo is for trying the portal, and
// its accounts exist only in a data folder that --demo filled.
const demoStaffPassword = "demo-password-1234"

var demoStaff = []struct {
	email string
	role  domain.Role
}{
	{"support@demo.example", domain.RoleSupport},
	{"admin@demo.example", domain.RoleAdmin},
}

func addDemoStaff(ctx context.Context, store demoStore, now time.Time) error {
	hash, err := domain.HashPassword(demoStaffPassword)
	if err != nil {
		return err
	}
	for _, s := range demoStaff {
		u := domain.StaffUser{Email: s.email, Role: s.role, PasswordHash: hash, CreatedAt: now.UTC()}
		audit := domain.AuditEntry{At: now.UTC(), Staff: "demo", Action: "staff account added", Detail: s.email + " as " + string(s.role)}
		if err := store.SaveStaffUser(ctx, u, audit); err != nil {
			return err
		}
	}
	return nil
}

// demoLines returns the demo as an import file.
func demoLines(now time.Time) ([]byte, []demoLogin) {
	today := domain.Today(now)
	day := func(offset int) time.Time { return today.AddDate(0, 0, offset) }
	date := func(offset int) string { return day(offset).Format(domain.DateLayout) }
	stamp := func(offset int) string { return day(offset).Add(10*time.Hour + 22*time.Minute).Format(time.RFC3339) }
	// lic is a license bought on day bought (days from today, negative in the
	// past) with years of support from then: the purchase day chooses the state
	// the demo wants (active, expiring within 30 days, expired).
	lic := func(software, edition string, users int, serial string, bought, years int) domain.LicenseLine {
		return domain.LicenseLine{Software: software, Edition: edition, Users: users, Serial: serial,
			SupportStart: date(bought), SupportEnd: day(bought).AddDate(years, 0, 0).Format(domain.DateLayout)}
	}
	item := func(description string, quantity, unitAmount int64) domain.Item {
		return domain.Item{Description: description, Quantity: quantity, UnitAmount: unitAmount}
	}
	order := func(ref string, bought int, name, country, city, contact, email, currency string, items []domain.Item, licenses ...domain.LicenseLine) domain.OrderLine {
		return domain.OrderLine{Kind: "order", Reference: ref, Date: stamp(bought), Name: name, Country: country, City: city,
			ContactName: contact, Email: email, Currency: currency, Items: items, Licenses: licenses}
	}

	products := []domain.Product{
		{Software: "Remote Work", Edition: "Standard", Upgradable: true, Currency: "EUR", SeatPrice: 0, SupportPricePerSeatYear: 9000},
		{Software: "Remote Work", Edition: "Enterprise", Upgradable: true, Currency: "USD", SeatPrice: 4900, SupportPricePerSeatYear: 12000},
		{Software: "Remote Access", Edition: "Standard", Currency: "EUR", SupportPricePerSeatYear: 4500},
		{Software: "Remote Access", Edition: "Enterprise", Currency: "GBP", SupportPricePerSeatYear: 7500},
		{Software: "Advanced Security", Edition: "Ultimate", Currency: "EUR", SupportPricePerSeatYear: 6000},
	}
	orders := []domain.OrderLine{
		order("JWT100234", -250, "Acme SARL", "FR", "Lyon", "Marie Dupont", "marie@acme.example", "EUR",
			[]domain.Item{item("Remote Work Standard, 5 workstations", 1, 45000), item("Remote Access Enterprise, 10 users", 1, 89000)},
			lic("Remote Work", "Standard", 5, "", -250, 1), lic("Remote Access", "Enterprise", 10, "ACME-SRV-01", -250, 1)),
		order("JWT100391", -345, "Acme SARL", "FR", "Lyon", "Marie Dupont", "marie@acme.example", "EUR",
			[]domain.Item{item("Advanced Security Ultimate, 10 users", 1, 32000), item("Support and updates, 1 year", 1, 6000)},
			lic("Advanced Security", "Ultimate", 10, "ACME-SRV-01", -345, 1)),
		order("JWT100412", -400, "Northwind Traders Inc.", "US", "Seattle", "John Carter", "john@northwind.example", "USD",
			[]domain.Item{item("Remote Access Standard, 3 users", 1, 24900)},
			lic("Remote Access", "Standard", 3, "NW-TS-2019", -400, 1)),
		order("JWT100588", -20, "Northwind Traders Inc.", "US", "Portland", "Ana Ruiz", "john@northwind.example", "USD",
			[]domain.Item{item("Remote Work Enterprise, 12 workstations", 12, 14900), item("Support and updates, 2 years", 12, 24000)},
			lic("Remote Work", "Enterprise", 12, "", -20, 2)),
		order("JWT100702", -100, "Sakura Design KK", "JP", "Osaka", "Hana Sato", "hana@sakura.example", "JPY",
			[]domain.Item{item("Remote Access Enterprise, 25 users", 1, 298000)},
			lic("Remote Access", "Enterprise", 25, "", -100, 3), lic("Advanced Security", "Ultimate", 25, "", -100, 1)),
		order("JWT100815", -372, "Bergmann GmbH", "DE", "München", "Lukas Bergmann", "lukas@bergmann.example", "EUR",
			[]domain.Item{item("Remote Work Standard, 8 workstations", 8, 9000)},
			lic("Remote Work", "Standard", 8, "BERG-WS-44", -372, 1)),
	}
	// Invoices: Acme, in France like the demo's seller, pays French VAT and
	// gave its billing details; Bergmann, a German company, is invoiced
	// without VAT under the reverse charge.
	orders[0].Billing = &domain.Billing{Company: "Acme SARL", Address: []string{"12 rue Mercière", "Boîte 3"},
		Postcode: "69002", City: "Lyon", Country: "FR", VATID: "FR40303265045", PONumber: "PO-2026-118"}
	orders[0].Tax = &domain.Tax{RateBP: 2000, Amount: 26800}
	orders[5].Billing = &domain.Billing{Company: "Bergmann GmbH", Address: []string{"Leopoldstraße 12"},
		Postcode: "80802", City: "München", Country: "DE", VATID: "DE129273398"}
	orders[5].Tax = &domain.Tax{Note: domain.ReverseCharge}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, p := range products {
		enc.Encode(domain.NewProductLine(p))
	}
	for _, o := range orders {
		enc.Encode(o)
	}
	logins := []demoLogin{
		{"marie@acme.example", "JWT100234", "France, EUR: active and expiring support, an upgradable Remote Work license"},
		{"john@northwind.example", "jwt 100412", "United States, USD: expired support and a new Enterprise order"},
		{"hana@sakura.example", "JWT100702", "Japan, JPY: several licenses in one order"},
		{"lukas@bergmann.example", "JWT100815", "Germany, EUR: an activated license whose support has ended"},
	}
	return buf.Bytes(), logins
}
