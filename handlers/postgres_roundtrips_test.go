package handlers_test

import (
	"strings"
	"testing"

	"portal/domain"
)

// roundTripBudget is the most statements and batches (each one round trip to
// PostgreSQL) a page may send, for the pages a customer opens most: the
// session's look-up, the page's own query, and the catalog where the page
// shows what a product allows (read each time: another instance may have
// changed it). A page that grows a query per row, or one more per request,
// fails here before it shows in the benchmark.
var roundTripBudget = map[string]uint64{
	"/licenses":                   3,
	"/orders":                     4,
	"/orders/:ref":                3,
	"/licenses/:id":               4,
	"/licenses/:id/upgrade/quote": 4,
	"/orders/:ref/activation-key": 2,
}

func TestPagesOnPostgreSQLTakeFewRoundTrips(t *testing.T) {
	t.Setenv("PORTAL_TEST_BACKEND", "postgres")
	p := newTestPortal(t)
	counted, ok := p.store.(interface{ RoundTrips() uint64 })
	if !ok {
		t.Fatalf("the PostgreSQL store does not count its round trips")
	}
	p.addStaff(t, "ada@vendor.example", domain.RoleAdmin)
	f := &csrfFixture{p: p, customer: p.signedIn(t), admin: p.staff(t, "ada@vendor.example"), purchase: p.lockUpgrade(t)}
	for _, r := range p.app.GetRoutes(true) {
		if r.Method != "GET" || strings.HasPrefix(r.Path, "/static") {
			continue
		}
		who := f.customer
		if strings.HasPrefix(r.Path, "/staff") || strings.HasPrefix(r.Path, "/admin") {
			who = f.admin
		}
		path := fillParams(t, f, r.Path)
		if r.Path == "/staff/search" {
			path += "?q=marie"
		}
		who.get(path) // the first visit may fill caches
		before := counted.RoundTrips()
		who.get(path)
		trips := counted.RoundTrips() - before
		t.Logf("GET %-28s %d round trips", r.Path, trips)
		if budget, ok := roundTripBudget[r.Path]; ok && trips > budget {
			t.Errorf("GET %s took %d round trips to PostgreSQL, want at most %d", r.Path, trips, budget)
		}
	}
}
