package handlers_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"portal/domain"
)

// api sends a JSON body to the licensing API and decodes the answer.
func (p *testPortal) api(t testing.TB, method, path, body string, headers ...map[string]string) (int, map[string]any, http.Header) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for _, h := range headers {
		for k, v := range h {
			req.Header.Set(k, v)
		}
	}
	res, err := p.app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatalf("%s %s: answer is not JSON: %v", method, path, err)
	}
	return res.StatusCode, out, res.Header
}

func (p *testPortal) activationKey(t testing.TB, ref string) string {
	t.Helper()
	o, found, err := p.store.Order(context.Background(), ref)
	if err != nil || !found {
		t.Fatalf("order %s: %v", ref, err)
	}
	return domain.FormatActivationKey(o.ActivationKey)
}

func keyBody(key, serial string) string {
	b, _ := json.Marshal(map[string]string{"activation_key": key, "serial": serial})
	return string(b)
}

// verified checks an API answer's signature and returns its payload.
func (p *testPortal) verified(t testing.TB, doc map[string]any) domain.DocumentPayload {
	t.Helper()
	raw, _ := json.Marshal(doc)
	payload, err := domain.Verify(p.publicKey, raw)
	if err != nil {
		t.Fatalf("document does not verify: %v (%s)", err, raw)
	}
	return payload
}

func TestAPIActivateAndRefresh(t *testing.T) {
	p := newTestPortal(t)
	key := p.activationKey(t, "JWT100234") // license -1 unbound, -2 bound to ACME-SRV-01

	// Lower case and without dashes works too: keys are typed by people.
	messyKey := strings.ToLower(strings.ReplaceAll(key, "-", ""))
	status, doc, _ := p.api(t, "POST", "/api/v1/activate", keyBody(messyKey, "PC-NEW-7"))
	if status != 200 {
		t.Fatalf("activate: %d %v", status, doc)
	}
	payload := p.verified(t, doc)
	if payload.OrderRef != "JWT100234" || payload.Serial != "PC-NEW-7" || len(payload.Licenses) != 1 ||
		payload.Licenses[0].ID != "JWT100234-1" || payload.Licenses[0].Users != 5 || payload.Licenses[0].Version != 2 {
		t.Errorf("activate payload: %+v", payload)
	}
	l, _, _ := p.store.License(context.Background(), "JWT100234-1")
	if l.Serial != "PC-NEW-7" {
		t.Errorf("license serial after activation: %q", l.Serial)
	}
	other, _, _ := p.store.License(context.Background(), "JWT100234-2")
	if other.Serial != "ACME-SRV-01" {
		t.Errorf("a license bound elsewhere was taken over: %q", other.Serial)
	}

	// The same computer again: fine, nothing changes.
	if status, doc, _ := p.api(t, "POST", "/api/v1/activate", keyBody(key, "PC-NEW-7")); status != 200 || p.verified(t, doc).Licenses[0].Version != 2 {
		t.Errorf("second activation on the same serial: %d %v", status, doc)
	}
	// The computer the other license is bound to gets that one.
	if status, doc, _ := p.api(t, "POST", "/api/v1/activate", keyBody(key, "ACME-SRV-01")); status != 200 || p.verified(t, doc).Licenses[0].ID != "JWT100234-2" {
		t.Errorf("activation on the other license's serial: %d %v", status, doc)
	}
	// A third computer: every license is bound elsewhere, 409.
	status, doc, _ = p.api(t, "POST", "/api/v1/activate", keyBody(key, "PC-THIEF"))
	if status != 409 || !strings.Contains(doc["error"].(string), "rehost") {
		t.Errorf("activation on a third computer: %d %v", status, doc)
	}

	status, doc, _ = p.api(t, "POST", "/api/v1/refresh", keyBody(key, "PC-NEW-7"))
	if status != 200 || p.verified(t, doc).Licenses[0].ID != "JWT100234-1" {
		t.Errorf("refresh: %d %v", status, doc)
	}
	// Software that refreshes at every start does not grow the history.
	for range 3 {
		p.api(t, "POST", "/api/v1/refresh", keyBody(key, "PC-NEW-7"))
	}
	if status, doc, _ := p.api(t, "POST", "/api/v1/refresh", keyBody(key, "PC-UNKNOWN")); status != 404 {
		t.Errorf("refresh for a serial with no license: %d %v", status, doc)
	}

	history, _ := p.store.LicenseHistory(context.Background(), "JWT100234-1")
	kinds := []string{}
	for _, e := range history {
		kinds = append(kinds, string(e.Kind))
	}
	if strings.Join(kinds, ",") != "activation,refresh" || history[0].After.Serial != "PC-NEW-7" || history[0].Before.Serial != "" {
		t.Errorf("history after activation and refresh: %v", kinds)
	}
}

func TestAPIErrors(t *testing.T) {
	p := newTestPortal(t)
	key := p.activationKey(t, "JWT100234")
	cases := []struct {
		name, path, body string
		wantStatus       int
		wantError        string
	}{
		{"malformed JSON", "/api/v1/activate", `{"activation_key":`, 400, "one JSON object"},
		{"not an object", "/api/v1/activate", `[1,2]`, 400, "one JSON object"},
		{"two objects", "/api/v1/refresh", keyBody(key, "A") + keyBody(key, "B"), 400, "one JSON object"},
		{"missing key", "/api/v1/activate", `{"serial":"PC-1"}`, 400, "activation_key is missing"},
		{"missing serial", "/api/v1/activate", keyBody(key, " "), 400, "serial"},
		{"serial with control characters", "/api/v1/activate", keyBody(key, "PC\n1"), 400, "serial"},
		{"oversized body", "/api/v1/activate", `{"activation_key":"` + strings.Repeat("A", 10_000) + `","serial":"x"}`, 413, "larger than"},
		{"wrong key", "/api/v1/activate", keyBody("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF", "PC-1"), 404, "no order has this activation key"},
		{"not a key at all", "/api/v1/refresh", keyBody("hello!", "PC-1"), 404, "no order has this activation key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, out, _ := p.api(t, "POST", tc.path, tc.body)
			msg, _ := out["error"].(string)
			if status != tc.wantStatus || !strings.Contains(msg, tc.wantError) {
				t.Errorf("%d %q, want %d %q", status, msg, tc.wantStatus, tc.wantError)
			}
			if strings.Contains(msg, "goroutine") || strings.Contains(msg, ".go:") {
				t.Errorf("error leaks internals: %q", msg)
			}
		})
	}
	// None of this bound anything.
	if l, _, _ := p.store.License(context.Background(), "JWT100234-1"); l.Serial != "" {
		t.Errorf("a refused request bound the license to %q", l.Serial)
	}
}

func TestAPIWrongKeysAreRateLimited(t *testing.T) {
	p := newTestPortal(t)
	for i := range 10 {
		if status, _, _ := p.api(t, "POST", "/api/v1/refresh", keyBody("WRNG-KEYS-0000-0000-0000-000"+string(rune('0'+i)), "PC")); status != 404 {
			t.Fatalf("wrong key %d: %d", i+1, status)
		}
	}
	status, out, header := p.api(t, "POST", "/api/v1/activate", keyBody(p.activationKey(t, "JWT100234"), "PC"))
	if status != 429 || header.Get("Retry-After") == "" || out["error"] == nil {
		t.Fatalf("after 10 wrong keys: %d %v", status, out)
	}
	// Customers' logins have a bucket of their own.
	if res := p.client(t).login("marie@acme.example", "JWT100234"); res.StatusCode != 303 {
		t.Errorf("login while the key bucket is empty: %d", res.StatusCode)
	}
	p.clock.Advance(7 * time.Second)
	if status, _, _ := p.api(t, "POST", "/api/v1/activate", keyBody(p.activationKey(t, "JWT100234"), "PC")); status != 200 {
		t.Errorf("after waiting, the right key answers %d", status)
	}
}

func TestAPIPublicKey(t *testing.T) {
	p := newTestPortal(t)
	status, out, _ := p.api(t, "GET", "/api/v1/public-key", "")
	if status != 200 || out["alg"] != "ed25519" {
		t.Fatalf("public key: %d %v", status, out)
	}
	raw, err := base64.StdEncoding.DecodeString(out["public_key"].(string))
	if err != nil || string(raw) != string(p.publicKey) {
		t.Errorf("public key %v does not match the signing key", out["public_key"])
	}
}

var keyText = regexp.MustCompile(`data-testid="key">([A-Z0-9-]+)<`)

func TestActivationKeyReissue(t *testing.T) {
	p := newTestPortal(t)
	oldKey := p.activationKey(t, "JWT100234")
	if status, _, _ := p.api(t, "POST", "/api/v1/activate", keyBody(oldKey, "PC-1")); status != 200 {
		t.Fatal("activation before reissue failed")
	}
	c := p.signedIn(t)
	page := c.do("GET", "/orders/JWT100234/activation-key", nil, map[string]string{"HX-Request": "true"})
	if m := keyText.FindStringSubmatch(page.body); m == nil || m[1] != oldKey {
		t.Fatalf("key partial does not show the key %s: %.400s", oldKey, page.body)
	}
	for _, want := range []string{"License", "Activate your license", "data-copy"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("key partial lacks %q", want)
		}
	}
	if page.Header.Get("Cache-Control") != "no-store" {
		t.Error("the key may be cached")
	}

	res := c.post("/orders/JWT100234/activation-key/reissue", nil)
	m := keyText.FindStringSubmatch(res.body)
	if res.StatusCode != 200 || m == nil || m[1] == oldKey || !strings.Contains(res.body, "The old key no longer works") {
		t.Fatalf("reissue: %d %.400s", res.StatusCode, res.body)
	}
	newKey := m[1]
	if newKey != p.activationKey(t, "JWT100234") {
		t.Errorf("shown key %s is not the stored one", newKey)
	}
	for _, path := range []string{"/api/v1/activate", "/api/v1/refresh"} {
		if status, _, _ := p.api(t, "POST", path, keyBody(oldKey, "PC-1")); status != 404 {
			t.Errorf("old key on %s: %d, want 404", path, status)
		}
	}
	status, doc, _ := p.api(t, "POST", "/api/v1/refresh", keyBody(newKey, "PC-1"))
	if status != 200 || p.verified(t, doc).Serial != "PC-1" {
		t.Errorf("the binding did not survive the reissue: %d %v", status, doc)
	}
	history, _ := p.store.LicenseHistory(context.Background(), "JWT100234-2")
	if len(history) == 0 || history[len(history)-1].Kind != domain.ChangeKeyReissue ||
		strings.Contains(history[len(history)-1].Note, strings.ReplaceAll(oldKey, "-", "")) {
		t.Errorf("reissue history: %+v", history)
	}
}

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
	for _, want := range []string{`id="license-JWT100234-1"`, "Synchronised", "users 5 → 8", "serial (none) → PC-9", ">8 <"} {
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
	if res.StatusCode != 200 || !strings.Contains(res.body, "<html") || !strings.Contains(res.body, "users 5 → 8") ||
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
