package handlers_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"portal/domain"
)

func TestLicenseFiles(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	for _, kind := range []string{"license", "support"} {
		res := c.get("/licenses/JWT100234-2/" + kind + ".lic")
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), `attachment; filename="JWT100234-2-`+kind+`.lic"`) {
			t.Fatalf("%s.lic: %d %s", kind, res.StatusCode, res.Header.Get("Content-Disposition"))
		}
		payload, err := domain.Verify(p.publicKey, []byte(res.body))
		if err != nil {
			t.Fatalf("%s.lic does not verify: %v", kind, err)
		}
		if payload.Kind != kind || payload.Serial != "ACME-SRV-01" || payload.Licenses[0].SupportEnd != "2026-06-01" {
			t.Errorf("%s.lic payload: %+v", kind, payload)
		}
	}
}

func TestLicenseRoutesOfAnotherEmail(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t) // Marie; JWT100412 is John's
	before := p.activationKey(t, "JWT100412")
	for _, r := range []struct{ method, path string }{
		{"GET", "/orders/JWT100412/activation-key"},
		{"POST", "/orders/JWT100412/activation-key/reissue"},
		{"GET", "/licenses/JWT100412-1"},
		{"GET", "/licenses/JWT100412-1/license.lic"},
		{"GET", "/licenses/JWT100412-1/support.lic"},
		{"POST", "/licenses/JWT100412-1/refresh"},
		{"POST", "/licenses/JWT100412-1/rehost"},
		{"GET", "/licenses/JWT999999-1"},
		{"POST", "/licenses/nonsense/rehost"},
	} {
		var res response
		if r.method == "POST" {
			c.get("/licenses")
			res = c.post(r.path, nil)
		} else {
			res = c.get(r.path)
		}
		if res.StatusCode != 404 || strings.Contains(res.body, "NW-TS-2019") || strings.Contains(res.body, before) {
			t.Errorf("%s %s: %d", r.method, r.path, res.StatusCode)
		}
	}
	if p.activationKey(t, "JWT100412") != before {
		t.Error("another customer's key was reissued")
	}
	if l, _, _ := p.store.License(context.Background(), "JWT100412-1"); l.Serial != "NW-TS-2019" {
		t.Error("another customer's license was rehosted")
	}
	// And without a session, nothing at all.
	anon := p.client(t)
	if res := anon.get("/licenses/JWT100234-1/license.lic"); res.StatusCode != 303 {
		t.Errorf("anonymous license file: %d", res.StatusCode)
	}
}

func TestLicenseRefreshSaysWhatChanged(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	page := c.get("/licenses")
	if !strings.Contains(page.body, `id="license-JWT100234-1" data-testid="license-row" data-version="1"`) {
		t.Fatalf("licenses page lacks the row version")
	}
	// Meanwhile the license grows from 5 to 8 workstations and is activated.
	err := p.store.UpdateOrder(context.Background(), "JWT100234", func(u *domain.OrderUpdate) error {
		l := &u.Licenses[0]
		before := *l
		l.Users, l.Version = 8, l.Version+1
		u.Recorded = append(u.Recorded, domain.HistoryEntry{LicenseID: l.ID, At: fixedNow, Kind: domain.ChangeUpgrade, Actor: domain.ActorPayment, Before: before, After: *l})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	p.api(t, "POST", "/api/v1/activate", keyBody(p.activationKey(t, "JWT100234"), "PC-9"))

	form := url.Values{"seen": {"1"}, "_csrf": {c.csrf}}
	res := c.do("POST", "/licenses/JWT100234-1/refresh", form, map[string]string{"HX-Request": "true", "X-CSRF-Token": c.csrf})
	if res.StatusCode != 200 || strings.Contains(res.body, "<html") {
		t.Fatalf("htmx refresh: %d %.300s", res.StatusCode, res.body)
	}
	for _, want := range []string{`id="license-JWT100234-1"`, "Synchronised", "workstations 5 → 8", "serial (none) → PC-9", ">8 <"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("refreshed row lacks %q: %.600s", want, res.body)
		}
	}
	// Seen at the new version: nothing changed since.
	form = url.Values{"seen": {"3"}, "_csrf": {c.csrf}}
	res = c.do("POST", "/licenses/JWT100234-1/refresh", form, map[string]string{"HX-Request": "true"})
	if !strings.Contains(res.body, "No change since you last looked") {
		t.Errorf("second refresh: %.600s", res.body)
	}
	// Without JavaScript the whole page comes back, with the note on the row.
	res = c.post("/licenses/JWT100234-1/refresh", url.Values{"seen": {"1"}})
	if res.StatusCode != 200 || !strings.Contains(res.body, "<html") || !strings.Contains(res.body, "workstations 5 → 8") ||
		!strings.Contains(res.body, `id="license-JWT100391-1"`) {
		t.Errorf("plain refresh: %d", res.StatusCode)
	}
}

func TestRehostLimit(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	key := p.activationKey(t, "JWT100234")
	for i := 1; i <= 3; i++ {
		serial := "PC-" + string(rune('0'+i))
		if status, _, _ := p.api(t, "POST", "/api/v1/activate", keyBody(key, serial)); status != 200 {
			t.Fatalf("activation %d failed", i)
		}
		c.get("/licenses")
		res := c.do("POST", "/licenses/JWT100234-1/rehost", url.Values{"_csrf": {c.csrf}}, map[string]string{"HX-Request": "true"})
		if res.StatusCode != 200 || !strings.Contains(res.body, "The license was freed") || !strings.Contains(res.body, `hx-swap-oob="true"`) {
			t.Fatalf("rehost %d: %d %.300s", i, res.StatusCode, res.body)
		}
		if l, _, _ := p.store.License(context.Background(), "JWT100234-1"); l.Serial != "" {
			t.Fatalf("rehost %d left serial %q", i, l.Serial)
		}
	}
	p.api(t, "POST", "/api/v1/activate", keyBody(key, "PC-4"))
	c.get("/licenses")
	res := c.post("/licenses/JWT100234-1/rehost", nil)
	if res.StatusCode != 409 || !strings.Contains(res.body, "rehosted 3 times in the last 365 days") {
		t.Fatalf("4th rehost: %d %.500s", res.StatusCode, res.body)
	}
	if l, _, _ := p.store.License(context.Background(), "JWT100234-1"); l.Serial != "PC-4" {
		t.Errorf("a refused rehost freed the license")
	}
	// A year later the oldest rehost no longer counts.
	p.clock.Advance(366 * 24 * time.Hour)
	c.get("/licenses")
	if res := c.post("/licenses/JWT100234-1/rehost", nil); res.StatusCode != 200 {
		t.Errorf("rehost a year later: %d", res.StatusCode)
	}
	// A license on no computer has nothing to rehost.
	c.get("/licenses")
	if res := c.post("/licenses/JWT100391-1/rehost", nil); res.StatusCode != 409 {
		t.Errorf("rehost of an unbound license: %d", res.StatusCode)
	}
	// The customer sees the history of their license.
	res = c.do("GET", "/licenses/JWT100234-1", nil, map[string]string{"HX-Request": "true"})
	if strings.Count(res.body, ">Rehost<") != 4 || !strings.Contains(res.body, "serial PC-1 → (none)") || !strings.Contains(res.body, ">Activation<") {
		t.Errorf("history: %.2000s", res.body)
	}
}
