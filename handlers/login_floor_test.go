package handlers_test

import (
	"net/url"
	"testing"
	"time"

	"portal/handlers"
)

// TestLoginAnswersTakeAtLeastTheFloor: right and wrong pairs alike answer no sooner
// than the configured floor, so that response times do not tell which part of a
// pair was wrong. Only the lower bound is checked: a loaded machine may be slower.
func TestLoginAnswersTakeAtLeastTheFloor(t *testing.T) {
	const floor = 150 * time.Millisecond
	p := newTestPortal(t, func(c *handlers.Config) { c.LoginFloor = floor })
	for _, tc := range []struct {
		name, email, order string
		want               int
	}{
		{"right pair", "marie@acme.example", "JWT100234", 303},
		{"wrong order number", "marie@acme.example", "JWT100999", 401},
		{"unknown email", "nobody@acme.example", "JWT100234", 401},
		{"another customer's order", "marie@acme.example", "JWT100412", 401},
		{"not an order number at all", "john@northwind.example", "hello", 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := p.client(t)
			c.get("/login")
			start := time.Now()
			res := c.post("/login", url.Values{"email": {tc.email}, "order": {tc.order}})
			took := time.Since(start)
			if res.StatusCode != tc.want {
				t.Fatalf("status %d, want %d", res.StatusCode, tc.want)
			}
			if took < floor {
				t.Errorf("the answer took %v, less than the %v floor", took, floor)
			}
		})
	}
}
