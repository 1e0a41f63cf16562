package handlers_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"
)

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
