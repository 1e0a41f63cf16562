package handlers_test

import (
	"net/url"
	"strings"
	"testing"
)

func TestUpgradeQuotePartial(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	cases := []struct {
		license, add string
		wantStatus   int
		want         []string
	}{
		{upgradeLicense, "3", 200, []string{"EUR 79.15", ">3<", ">107<", "EUR 90.00", "EUR 0.00", "Total", "locked for 24 hours"}},
		{upgradeLicense, "1", 200, []string{"EUR 26.38"}},
		{upgradeLicense, "1000", 200, []string{"EUR 26,383.56"}},
		{upgradeLicense, "0", 422, []string{"from 1 to 1000"}},
		{upgradeLicense, "1001", 422, []string{"from 1 to 1000"}},
		{upgradeLicense, "-2", 422, []string{"from 1 to 1000"}},
		{upgradeLicense, "2.5", 422, []string{"from 1 to 1000"}},
		{upgradeLicense, "three", 422, []string{"from 1 to 1000"}},
		{upgradeLicense, "", 422, []string{"from 1 to 1000"}},
		{"JWT100234-2", "3", 409, []string{"cannot be upgraded from the portal"}},
		{"JWT100391-1", "3", 409, []string{"no longer in the catalog"}},
	}
	for _, tc := range cases {
		t.Run(tc.license+" add="+tc.add, func(t *testing.T) {
			res := c.do("GET", "/licenses/"+tc.license+"/upgrade/quote?add="+url.QueryEscape(tc.add), nil, map[string]string{"HX-Request": "true"})
			if res.StatusCode != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tc.wantStatus, res.body)
			}
			for _, w := range tc.want {
				if !strings.Contains(res.body, w) {
					t.Errorf("quote lacks %q: %s", w, res.body)
				}
			}
			if tc.wantStatus != 200 && strings.Contains(res.body, "EUR") {
				t.Errorf("an error answer shows a price: %s", res.body)
			}
		})
	}
}

func TestUpgradePage(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	res := c.get("/licenses/" + upgradeLicense + "/upgrade?add=3")
	for _, want := range []string{`data-testid="current-users">5<`, `datetime="2027-03-14"`, ">107<", `name="add"`, `value="3"`,
		`hx-get="/licenses/` + upgradeLicense + `/upgrade/quote"`, "EUR 79.15", "locked for 24 hours", `name="_csrf"`,
		"Upgrade: add workstations", "Workstations to add"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("upgrade page lacks %q", want)
		}
	}
	res = c.get("/licenses/JWT100234-2/upgrade")
	if !strings.Contains(res.body, "cannot be upgraded from the portal") || strings.Contains(res.body, `data-testid="buy"`) {
		t.Errorf("a product that cannot be upgraded offers a purchase")
	}
	// A license counted in users says users, not workstations.
	if text := visibleText(res.body); !strings.Contains(text, "Upgrade: add users") || strings.Contains(text, "orkstation") {
		t.Errorf("the page of a license counted in users: %s", text)
	}
	// The Upgrade column links open in a new tab, only for upgradable licenses.
	lic := c.get("/licenses")
	if !strings.Contains(lic.body, `href="/licenses/JWT100234-1/upgrade" target="_blank"`) || strings.Contains(lic.body, `href="/licenses/JWT100234-2/upgrade"`) {
		t.Error("the licenses page's Upgrade links are wrong")
	}
	orders := c.get("/orders")
	if !strings.Contains(orders.body, `href="/licenses/JWT100234-1/upgrade" target="_blank"`) {
		t.Error("the orders page has no Upgrade link")
	}
	// An expired license offers the renewal.
	if !strings.Contains(lic.body, `href="/licenses/JWT100234-2/renew"`) {
		t.Error("an expired license offers no renewal")
	}
}
