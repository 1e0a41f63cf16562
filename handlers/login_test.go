package handlers_test

import (
	"regexp"
	"strings"
	"testing"
)

func TestLogin(t *testing.T) {
	generic := "We could not find an order with this email address and order number"
	cases := []struct {
		name, email, order string
		wantStatus         int
		wantBody           string
	}{
		{"exact", "marie@acme.example", "JWT100234", 303, ""},
		{"order with space, lower case", "marie@acme.example", "jwt 100234", 303, ""},
		{"email in capitals with spaces", "  Marie@ACME.example ", "JWT100391", 303, ""},
		{"wrong order of an existing email", "marie@acme.example", "JWT100999", 401, generic},
		{"order of another email", "marie@acme.example", "JWT100412", 401, generic},
		{"unknown email", "nobody@acme.example", "JWT100234", 401, generic},
		{"not an order number at all", "marie@acme.example", "hello", 401, generic},
		{"missing order", "marie@acme.example", "", 400, "Please enter both"},
		{"missing email", "", "JWT100234", 400, "Please enter both"},
		{"oversized input", strings.Repeat("a", 300) + "@x.example", "JWT100234", 400, generic},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newTestPortal(t)
			c := p.client(t)
			res := c.login(tc.email, tc.order)
			if res.StatusCode != tc.wantStatus {
				t.Fatalf("status %d, want %d: %.300s", res.StatusCode, tc.wantStatus, res.body)
			}
			if tc.wantBody != "" && !strings.Contains(res.body, tc.wantBody) {
				t.Errorf("body lacks %q", tc.wantBody)
			}
			if tc.wantStatus != 303 {
				if _, ok := c.cookies["portal_session"]; ok {
					t.Error("a failed login set a session cookie")
				}
				return
			}
			if loc := res.Header.Get("Location"); loc != "/licenses" {
				t.Errorf("Location %q, want /licenses", loc)
			}
			if res := c.get("/licenses"); res.StatusCode != 200 || !strings.Contains(res.body, "license-JWT100234-1") {
				t.Errorf("after login, licenses page: %d", res.StatusCode)
			}
		})
	}
}

func TestLoginFailuresLookTheSame(t *testing.T) {
	p := newTestPortal(t)
	bodies := map[string]string{}
	for name, pair := range map[string][2]string{
		"wrong order":   {"marie@acme.example", "JWT100999"},
		"unknown email": {"nobody@acme.example", "JWT100234"},
		"foreign order": {"marie@acme.example", "JWT100412"},
	} {
		c := p.client(t)
		res := c.login(pair[0], pair[1])
		// Everything but the echoed email and the per-visitor CSRF token must match.
		body := strings.ReplaceAll(res.body, c.csrf, "")
		body = echoedField.ReplaceAllString(body, "$1")
		bodies[name] = body
	}
	if bodies["wrong order"] != bodies["unknown email"] || bodies["unknown email"] != bodies["foreign order"] {
		t.Error("failed logins answer differently depending on which field was wrong")
	}
}

var echoedField = regexp.MustCompile(`(name="(email|order)" value=")[^"]*`)
