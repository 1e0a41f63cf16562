package handlers_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"portal/domain"
)

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
