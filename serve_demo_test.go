package main

import (
	"context"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"portal/domain"
)

// TestServeDemoOnFreshFolder starts the real server with --demo on an empty data
// folder, checks that a demo login works, and stops it as SIGTERM would.
func TestServeDemoOnFreshFolder(t *testing.T) {
	data := filepath.Join(t.TempDir(), "fresh")
	// The demo is dated from one fixed day, and its states are checked at that day.
	demoDay := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	clock = func() time.Time { return demoDay }
	t.Cleanup(func() { clock = time.Now })
	s := startServe(t, "serve", "--demo", "--data", data)

	res, err := http.Get(s.base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("healthz: %d", res.StatusCode)
	}
	for _, want := range []string{"Demo logins", "marie@acme.example", "JWT100234", "admin@demo.example", "demo-password-1234"} {
		if !strings.Contains(s.stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, s.stdout.String())
		}
	}
	if err := s.stop(); err != nil {
		t.Fatalf("serve returned %v", err)
	}

	// The folder was closed cleanly and holds the demo: every support state, several
	// currencies, several licenses in one order.
	store := openTestStore(t, data)
	defer store.Close()
	states, currencies := map[domain.SupportState]bool{}, map[string]bool{}
	now := demoDay
	for _, email := range []string{"marie@acme.example", "john@northwind.example", "hana@sakura.example", "lukas@bergmann.example"} {
		licenses, err := store.LicensesByEmail(context.Background(), email)
		if err != nil || len(licenses) == 0 {
			t.Fatalf("demo licenses of %s: %v", email, err)
		}
		for _, l := range licenses {
			states[l.Support(now)] = true
		}
		orders, _ := store.OrdersByEmail(context.Background(), email)
		for _, o := range orders {
			currencies[o.Currency] = true
		}
	}
	if len(states) != 3 || len(currencies) < 3 {
		t.Errorf("demo states %v, currencies %v", states, currencies)
	}
	// The demo's invoices have a seller: the vendor's details are saved, as an admin would.
	if s, saved, err := store.Seller(context.Background()); err != nil || !saved || !reflect.DeepEqual(s, demoSeller) {
		t.Errorf("demo seller = %+v, %v, %v; want %+v", s, saved, err, demoSeller)
	}
	if n, err := demoSeller.Normalize(); err != nil || !reflect.DeepEqual(n, demoSeller) {
		t.Errorf("the demo's seller details are not valid and in stored form: %+v, %v", n, err)
	}
}
