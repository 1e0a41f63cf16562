package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"portal/domain"
	"portal/storage"
)

var testDay = time.Date(2026, 11, 27, 15, 4, 0, 0, time.UTC)

func generate(t *testing.T, n int, seed uint64) ([]byte, *Sidecar, Stats) {
	t.Helper()
	var buf bytes.Buffer
	side, stats, err := Generate(&buf, Config{Orders: n, Seed: seed, Today: testDay})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), side, stats
}

// Every line goes through the portal's own parser, with its own activation key
// (the parser is never asked to make one), and the orders are what was promised.
func TestLinesParseWithTheirOwnKeys(t *testing.T) {
	const n = 5000
	data, side, stats := generate(t, n, 7)
	noKey := func() string { t.Fatal("a line without its own activation_key"); return "" }

	orders := map[string]*domain.OrderWithLicenses{}
	keys := map[string]string{}
	perEmail := map[string]int{}
	products := 0
	var lastRef string
	var lastDate time.Time
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, domain.MaxImportLine)
	for lineNo := 1; sc.Scan(); lineNo++ {
		p, o, err := domain.ParseImportLine(sc.Bytes(), noKey)
		if err != nil {
			t.Fatalf("line %d refused: %v\n%s", lineNo, err, sc.Text())
		}
		if p != nil {
			if len(orders) > 0 {
				t.Fatalf("line %d: a product after the orders", lineNo)
			}
			products++
			continue
		}
		ref, key := o.Order.Reference, o.Order.ActivationKey
		if len(key) != 24 || strings.Trim(key, keyAlphabet) != "" {
			t.Fatalf("%s: key %q is not 24 characters of Crockford's base32", ref, key)
		}
		if norm, ok := domain.NormalizeActivationKey(key); !ok || norm != key {
			t.Fatalf("%s: key %q is not in the portal's stored form", ref, key)
		}
		if other, dup := keys[key]; dup {
			t.Fatalf("%s and %s share the key %s", other, ref, key)
		}
		keys[key] = ref
		if ref <= lastRef || o.Order.Date.Before(lastDate) {
			t.Fatalf("%s (%s) after %s (%s): numbers must grow with dates", ref, o.Order.Date, lastRef, lastDate)
		}
		lastRef, lastDate = ref, o.Order.Date
		if len(o.Licenses) < 1 || len(o.Licenses) > 3 {
			t.Fatalf("%s has %d licenses", ref, len(o.Licenses))
		}
		if !o.Order.Date.Before(testDay) || o.Order.Date.Before(testDay.AddDate(-historyYears, 0, -1)) {
			t.Fatalf("%s is dated %s", ref, o.Order.Date)
		}
		orders[ref] = o
		perEmail[o.Order.Email]++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(orders) != n || products != len(catalogLines()) {
		t.Fatalf("%d orders and %d products, want %d and %d", len(orders), products, n, len(catalogLines()))
	}
	if len(perEmail) != stats.Customers {
		t.Errorf("%d emails for %d customers", len(perEmail), stats.Customers)
	}
	several := 0
	for email, k := range perEmail {
		if k > 6 {
			t.Errorf("%s has %d orders, more than 6", email, k)
		}
		if k > 1 {
			several++
		}
	}
	if several < len(perEmail)/3 {
		t.Errorf("only %d of %d customers have several orders", several, len(perEmail))
	}

	states := map[domain.SupportState]int{}
	for _, o := range orders {
		for _, l := range o.Licenses {
			states[l.Support(testDay)]++
		}
	}
	for _, s := range []domain.SupportState{domain.SupportActive, domain.SupportExpiring, domain.SupportExpired} {
		if states[s] < n/100 {
			t.Errorf("only %d licenses %s: %v", states[s], s, states)
		}
	}

	// The sidecar names right logins, keys and upgradable licenses.
	if len(side.Customers) < 8 || len(side.Activations) < 100 || len(side.Searches) < 10 {
		t.Fatalf("sidecar too small: %d customers, %d keys, %d searches", len(side.Customers), len(side.Activations), len(side.Searches))
	}
	for _, c := range side.Customers {
		if o := orders[c.Order]; o == nil || o.Order.Email != c.Email {
			t.Fatalf("login %s %s is not a customer's order", c.Email, c.Order)
		}
		if len(c.Orders) != perEmail[c.Email] {
			t.Errorf("%s: sidecar lists %d orders, the file %d", c.Email, len(c.Orders), perEmail[c.Email])
		}
		for _, ul := range c.Upgradable {
			ref := ul.ID[:strings.LastIndexByte(ul.ID, '-')]
			o := orders[ref]
			if o == nil || o.Order.Email != c.Email {
				t.Fatalf("%s: license %s is not theirs", c.Email, ul.ID)
			}
			var lic *domain.License
			for i := range o.Licenses {
				if o.Licenses[i].ID == ul.ID {
					lic = &o.Licenses[i]
				}
			}
			p := findProduct(ul.Software, ul.Edition)
			if lic == nil || p == nil || !p.upgradable || lic.Software != p.software || lic.Support(testDay) == domain.SupportExpired {
				t.Fatalf("%s: %s is not an upgradable license with support", c.Email, ul.ID)
			}
		}
	}
	if len(side.Customers[0].Upgradable) == 0 {
		t.Error("the first sample customer has no upgradable license")
	}
	for _, k := range side.Activations {
		o := orders[k.Order]
		if o == nil || o.Order.ActivationKey != k.ActivationKey {
			t.Fatalf("key of %s does not belong to it", k.Order)
		}
		for _, l := range o.Licenses {
			if l.Serial != k.Serial {
				t.Fatalf("%s: license %s on %q, not on %q", k.Order, l.ID, l.Serial, k.Serial)
			}
		}
	}
}

const keyAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

func TestSameSeedSameFile(t *testing.T) {
	a, sa, _ := generate(t, 2000, 42)
	b, sb, _ := generate(t, 2000, 42)
	c, _, _ := generate(t, 2000, 43)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with the same seed differ")
	}
	ja, _ := json.Marshal(sa)
	jb, _ := json.Marshal(sb)
	if !bytes.Equal(ja, jb) {
		t.Fatal("two sidecars with the same seed differ")
	}
	if bytes.Equal(a, c) {
		t.Fatal("another seed gave the same file")
	}
}

// The file imports whole into a real data folder: no line is refused, not even
// for an activation key or an index entry that another order already holds.
func TestImportsIntoTheStore(t *testing.T) {
	data, _, _ := generate(t, 1500, 3)
	store, err := storage.Open(t.TempDir(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	report, err := domain.Import(context.Background(), bytes.NewReader(data), store, domain.NewActivationKey)
	if err != nil {
		t.Fatal(err)
	}
	if len(report.Rejected) > 0 || report.Imported != 1500+len(catalogLines()) {
		t.Fatalf("report:\n%s", report.String())
	}
}

func TestPriceIsRoundInEveryCurrency(t *testing.T) {
	for cur := range eurPer1 {
		// Whole units where the currency has cents; hundreds of yen.
		if p := price(9000, cur); p <= 0 || p%100 != 0 {
			t.Errorf("EUR 90.00 in %s is %d minor units", cur, price(9000, cur))
		}
	}
	if got := price(4500, "JPY"); got != 7200 {
		t.Errorf("EUR 45.00 in JPY = %d, want 7200", got)
	}
	if got := price(4500, "USD"); got != 4900 {
		t.Errorf("EUR 45.00 in USD = %d, want 4900 (48.60 rounded to whole dollars)", got)
	}
}

func TestASCIIFold(t *testing.T) {
	for in, want := range map[string]string{"Müller": "Muller", "Łódź": "Lodz", "Côté": "Cote", "São Paulo": "Sao Paulo"} {
		if got := asciiFold(in); got != want {
			t.Errorf("asciiFold(%q) = %q, want %q", in, got, want)
		}
	}
}
