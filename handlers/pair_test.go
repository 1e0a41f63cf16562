package handlers_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"portal/domain"
	"portal/handlers"
)

// pairAPI posts a form-encoded request to a pairing endpoint, as a device-flow
// client does, and decodes its JSON answer.
func pairAPI(t *testing.T, p *testPortal, path string, form url.Values) (int, map[string]any) {
	t.Helper()
	c := p.client(t)
	res := c.do("POST", path, form, nil)
	var body map[string]any
	if err := json.Unmarshal([]byte(res.body), &body); err != nil {
		t.Fatalf("POST %s: %d, not JSON: %s", path, res.StatusCode, res.body)
	}
	if res.StatusCode >= 500 || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("POST %s: %d, Cache-Control %q", path, res.StatusCode, res.Header.Get("Cache-Control"))
	}
	return res.StatusCode, body
}

// askPairing is the software asking: it answers the device and user codes.
func askPairing(t *testing.T, p *testPortal, serial string) (device, user string) {
	t.Helper()
	status, body := pairAPI(t, p, "/api/v1/pair", url.Values{"client_id": {"Remote Work"}, "serial": {serial}, "hostname": {"atelier-namur"}})
	if status != 200 {
		t.Fatalf("device authorization: %d %v", status, body)
	}
	return body["device_code"].(string), body["user_code"].(string)
}

func pollToken(t *testing.T, p *testPortal, device string) (int, map[string]any) {
	t.Helper()
	return pairAPI(t, p, "/api/v1/pair/token", url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"},
		"device_code": {device}, "client_id": {"Remote Work"}})
}

func wantPollError(t *testing.T, p *testPortal, device, want string) {
	t.Helper()
	if status, body := pollToken(t, p, device); status != 400 || body["error"] != want {
		t.Errorf("poll: %d %v, want 400 %s", status, body, want)
	}
}

// approve is Marie approving the code in the portal with these licenses.
func approve(t *testing.T, c *client, user string, licenses ...string) response {
	t.Helper()
	c.get("/pair?code=" + url.QueryEscape(user))
	return c.post("/pair/"+user+"/approve", url.Values{"license": licenses})
}

func TestPairingDeviceAuthorizationAnswer(t *testing.T) {
	p := newTestPortal(t)
	status, body := pairAPI(t, p, "/api/v1/pair", url.Values{"client_id": {"Remote Work"}, "serial": {"PAIR-PC-77"}, "hostname": {"atelier-namur"}})
	if status != 200 {
		t.Fatalf("%d %v", status, body)
	}
	user, _ := body["user_code"].(string)
	if len(user) != 9 || user[4] != '-' || strings.Trim(user, "BCDFGHJKLMNPQRSTVWXZ-") != "" {
		t.Errorf("user_code %q is not 8 of the RFC's consonants shown as XXXX-XXXX", user)
	}
	if device, _ := body["device_code"].(string); len(device) < 22 {
		t.Errorf("device_code %q carries less than 128 bits", device)
	}
	if body["verification_uri"] != "http://example.com/pair" && !strings.HasSuffix(body["verification_uri"].(string), "/pair") ||
		body["verification_uri_complete"] != body["verification_uri"].(string)+"?code="+user ||
		body["expires_in"] != float64(600) || body["interval"] != float64(5) {
		t.Errorf("answer: %v", body)
	}
	// JSON is accepted too; a missing serial is the client's error, never a 5xx.
	c := p.client(t)
	res := c.do("POST", "/api/v1/pair", nil, nil)
	if res.StatusCode != 400 || !strings.Contains(res.body, "invalid_request") {
		t.Errorf("an empty request: %d %s", res.StatusCode, res.body)
	}
	req, _ := http.NewRequest("POST", "/api/v1/pair", strings.NewReader(`{"client_id":"Remote Work","serial":"PC-9","hostname":"h"}`))
	req.Header.Set("Content-Type", "application/json")
	if res, err := p.app.Test(req, -1); err != nil || res.StatusCode != 200 {
		t.Errorf("a JSON request: %v %v", res.StatusCode, err)
	}
}

func TestPairingPollAnswersWithATestClock(t *testing.T) {
	p := newTestPortal(t)
	device, user := askPairing(t, p, "PAIR-PC-77")
	wantPollError(t, p, device, "authorization_pending")
	wantPollError(t, p, device, "slow_down") // at once: faster than 5 s
	p.clock.Advance(6 * time.Second)
	wantPollError(t, p, device, "slow_down") // the interval was 10 s: 15 s now
	p.clock.Advance(16 * time.Second)
	wantPollError(t, p, device, "authorization_pending")
	wantPollError(t, p, "no-such-device-code", "invalid_grant")
	if status, body := pairAPI(t, p, "/api/v1/pair/token", url.Values{"grant_type": {"password"}, "device_code": {device}}); status != 400 || body["error"] != "unsupported_grant_type" {
		t.Errorf("another grant type: %d %v", status, body)
	}
	if status, body := pairAPI(t, p, "/api/v1/pair/token", url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"},
		"device_code": {device}, "client_id": {"Other Software"}}); status != 400 || body["error"] != "invalid_grant" {
		t.Errorf("another client's device code: %d %v", status, body)
	}

	marie := p.signedIn(t)
	if res := approve(t, marie, strings.ToLower(strings.ReplaceAll(user, "-", "")), upgradeLicense); res.StatusCode != 200 || !strings.Contains(res.body, "Approved") {
		t.Fatalf("approve with the code in lower case, without its dash: %d %s", res.StatusCode, visibleText(res.body))
	}
	p.clock.Advance(20 * time.Second)
	status, body := pollToken(t, p, device)
	order, _, _ := p.store.Order(context.Background(), "JWT100234")
	if status != 200 || body["access_token"] != order.ActivationKey || body["activation_key"] != order.ActivationKey || body["token_type"] != "N_A" {
		t.Fatalf("the token: %d %v", status, body)
	}
	doc, _ := json.Marshal(body["license"])
	payload, err := domain.Verify(p.publicKey, doc)
	if err != nil || payload.Serial != "PAIR-PC-77" || len(payload.Licenses) != 1 || payload.Licenses[0].ID != upgradeLicense {
		t.Errorf("the signed license: %+v, %v", payload, err)
	}
	p.clock.Advance(20 * time.Second)
	wantPollError(t, p, device, "expired_token") // collected once

	// Denied, then expired.
	denied, deniedUser := askPairing(t, p, "PAIR-PC-78")
	marie.get("/pair?code=" + deniedUser)
	if res := marie.post("/pair/"+deniedUser+"/deny", nil); res.StatusCode != 200 || !strings.Contains(res.body, "Denied") {
		t.Errorf("deny: %d", res.StatusCode)
	}
	wantPollError(t, p, denied, "access_denied")
	late, _ := askPairing(t, p, "PAIR-PC-79")
	p.clock.Advance(domain.PairingTTL)
	wantPollError(t, p, late, "expired_token")
}

func TestPairingApprovalBindsLicensesAndRecordsIt(t *testing.T) {
	p := newTestPortal(t)
	_, user := askPairing(t, p, "PAIR-PC-77")
	marie := p.signedIn(t)
	page := marie.get("/pair?code=" + user)
	text := visibleText(page.body)
	for _, want := range []string{"Remote Work on atelier-namur asks for a license", "PAIR-PC-77", upgradeLicense, "Order JWT100234"} {
		if !strings.Contains(text, want) {
			t.Errorf("the pairing page lacks %q", want)
		}
	}
	// JWT100234-2 is Remote Access, and on another computer: not offered.
	if strings.Contains(page.body, `value="JWT100234-2"`) {
		t.Error("a license of other software, on another computer, is offered")
	}
	// Another customer's license, or one of another software, is refused, and nothing is bound.
	for _, id := range []string{"JWT100412-1", "JWT100234-2"} {
		if res := approve(t, marie, user, id); res.StatusCode < 400 || strings.Contains(res.body, "Approved") {
			t.Errorf("approving %s: %d", id, res.StatusCode)
		}
	}
	if l, _, _ := p.store.License(context.Background(), "JWT100412-1"); l.Serial != "NW-TS-2019" {
		t.Errorf("John's license moved to %q", l.Serial)
	}
	if res := approve(t, marie, user, upgradeLicense); res.StatusCode != 200 {
		t.Fatalf("approve: %d", res.StatusCode)
	}
	l, _, _ := p.store.License(context.Background(), upgradeLicense)
	hist, _ := p.store.LicenseHistory(context.Background(), upgradeLicense)
	if l.Serial != "PAIR-PC-77" || hist[len(hist)-1].Note != "paired with atelier-namur (PAIR-PC-77)" {
		t.Errorf("after approval: %+v, history %+v", l, hist[len(hist)-1])
	}
	if res := approve(t, marie, user, upgradeLicense); res.StatusCode != 404 {
		t.Errorf("approving a decided pairing again: %d, want 404", res.StatusCode)
	}
}

func TestPairingSignsInFirstAndComesBackToTheCode(t *testing.T) {
	p := newTestPortal(t)
	_, user := askPairing(t, p, "PAIR-PC-77")
	c := p.client(t)
	res := c.get("/pair?code=" + user)
	if res.StatusCode != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
		t.Fatalf("not signed in: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	c.get(res.Header.Get("Location"))
	signedIn := c.post("/login", url.Values{"email": {"marie@acme.example"}, "order": {"JWT100234"}, "next": {"/pair?code=" + user}})
	if signedIn.Header.Get("Location") != "/pair?code="+url.QueryEscape(user) {
		t.Errorf("after the login: %s, want back to the code", signedIn.Header.Get("Location"))
	}
	// Only the pairing page: the login is no open redirect.
	for _, next := range []string{"https://evil.example/pair", "//evil.example/pair", "/licenses/../admin", "/\\evil.example"} {
		c := p.client(t)
		c.get("/login")
		if res := c.post("/login", url.Values{"email": {"marie@acme.example"}, "order": {"JWT100234"}, "next": {next}}); res.Header.Get("Location") != "/licenses" {
			t.Errorf("next=%s sent the browser to %s", next, res.Header.Get("Location"))
		}
	}
}

func TestWrongPairingCodesAreLimitedPerAddress(t *testing.T) {
	p := newTestPortal(t)
	marie := p.signedIn(t)
	for i := range 10 {
		if res := marie.get("/pair?code=BBBB-BBBB"); res.StatusCode != 404 {
			t.Fatalf("wrong code %d: %d, want 404", i+1, res.StatusCode)
		}
	}
	_, user := askPairing(t, p, "PAIR-PC-77")
	if res := marie.get("/pair?code=" + user); res.StatusCode != 429 || res.Header.Get("Retry-After") == "" {
		t.Errorf("after 10 wrong codes, even a right one: %d, want 429", res.StatusCode)
	}
	p.clock.Advance(time.Minute)
	if res := marie.get("/pair?code=" + user); res.StatusCode != 200 {
		t.Errorf("a minute later: %d", res.StatusCode)
	}
}

// TestOffTheShelfDeviceFlowClient runs golang.org/x/oauth2's device flow,
// unchanged, against the portal over HTTP.
func TestOffTheShelfDeviceFlowClient(t *testing.T) {
	p := newTestPortal(t, func(cfg *handlers.Config) {})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go p.app.Listener(ln)
	t.Cleanup(func() { p.app.Shutdown() })
	base := "http://" + ln.Addr().String()
	conf := &oauth2.Config{ClientID: "Remote Work", Endpoint: oauth2.Endpoint{
		DeviceAuthURL: base + "/api/v1/pair", TokenURL: base + "/api/v1/pair/token", AuthStyle: oauth2.AuthStyleInParams}}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	da, err := conf.DeviceAuth(ctx, oauth2.SetAuthURLParam("serial", "PAIR-PC-77"), oauth2.SetAuthURLParam("hostname", "atelier-namur"))
	if err != nil {
		t.Fatalf("DeviceAuth: %v", err)
	}
	if res := approve(t, p.signedIn(t), da.UserCode, upgradeLicense); res.StatusCode != 200 {
		t.Fatalf("approve: %d", res.StatusCode)
	}
	da.Interval = 1 // the client waits this long before its first poll
	tok, err := conf.DeviceAccessToken(ctx, da)
	if err != nil {
		t.Fatalf("DeviceAccessToken: %v", err)
	}
	order, _, _ := p.store.Order(context.Background(), "JWT100234")
	if tok.AccessToken != order.ActivationKey || tok.Extra("license") == nil {
		t.Errorf("the token: %q, license %v", tok.AccessToken, tok.Extra("license"))
	}
}
