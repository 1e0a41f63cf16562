package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"
	"golang.org/x/crypto/bcrypt"

	"portal/domain"
	"portal/handlers"
	"portal/payments"
)

// Marie's JWT100234-1: Remote Work Standard, 5 workstations, support until
// 2027-03-14, 107 days after fixedNow. 3 more: 3 × 9000 × 107 / 365 = 7915.07.
const upgradeLicense = "JWT100234-1"

const webhookSecret = "whsec_test_portal"

func withStripe(apiURL string) portalOption {
	return func(c *handlers.Config) {
		c.Payments = payments.NewStripe("sk_test_portal", webhookSecret, apiURL)
	}
}

// stripeEvent is a checkout.session.completed event as Stripe sends it.
func stripeEvent(id, purchaseID, status string, amount int64, currency, apiVersion string) []byte {
	b, _ := json.Marshal(map[string]any{
		"id": id, "object": "event", "api_version": apiVersion, "type": "checkout.session.completed",
		"created": fixedNow.Unix(),
		"data": map[string]any{"object": map[string]any{
			"id": "cs_test_" + purchaseID, "object": "checkout.session", "client_reference_id": purchaseID,
			"payment_status": status, "amount_total": amount, "currency": currency, "mode": "payment",
		}},
	})
	return b
}

func (p *testPortal) deliver(t *testing.T, payload []byte, signature string) (int, string) {
	t.Helper()
	req := httptest.NewRequest("POST", "/webhooks/stripe", strings.NewReader(string(payload)))
	req.Header.Set("Content-Type", "application/json")
	if signature != "" {
		req.Header.Set("Stripe-Signature", signature)
	}
	res, err := p.app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprint(&b, res.Status)
	return res.StatusCode, b.String()
}

func sign(payload []byte, secret string) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: time.Now()}).Header
}

// lockUpgrade stores a pending upgrade of 3 workstations, as POST .../upgrade does.
func (p *testPortal) lockUpgrade(t *testing.T) domain.Purchase {
	t.Helper()
	ctx := context.Background()
	l, _, _ := p.store.License(ctx, upgradeLicense)
	prod, _, _ := p.store.Product(ctx, "Remote Work", "Standard")
	q, err := domain.QuoteUpgrade(l, prod, 3, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	pur := domain.NewUpgradePurchase(q, l, "marie@acme.example", fixedNow)
	if err := p.store.CreatePurchase(ctx, pur); err != nil {
		t.Fatal(err)
	}
	// The payment page opened for it, as stripeEvent names it.
	checkout := domain.CheckoutSession{ID: "cs_test_" + pur.ID, URL: "https://checkout.stripe.test/" + pur.ID}
	if err := p.store.SetPurchaseCheckout(ctx, pur.ID, checkout); err != nil {
		t.Fatal(err)
	}
	pur.CheckoutID, pur.CheckoutURL = checkout.ID, checkout.URL
	return pur
}

const staffPassword = "correct horse battery"

// addStaff stores an account; the hash is made at bcrypt's lowest cost so that
// tests stay fast (a check costs what its hash says).
func (p *testPortal) addStaff(t testing.TB, email string, role domain.Role) {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(staffPassword), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	err = p.store.SaveStaffUser(context.Background(), domain.StaffUser{Email: email, Role: role, PasswordHash: hash, CreatedAt: fixedNow},
		domain.AuditEntry{At: fixedNow, Staff: "test", Action: "staff account added", Detail: email})
	if err != nil {
		t.Fatal(err)
	}
}

func (c *client) staffLogin(email, password string) response {
	c.t.Helper()
	c.get("/staff/login")
	return c.post("/staff/login", url.Values{"email": {email}, "password": {password}})
}

func (p *testPortal) staff(t testing.TB, email string) *client {
	t.Helper()
	c := p.client(t)
	if res := c.staffLogin(email, staffPassword); res.StatusCode != 303 {
		t.Fatalf("staff login %s: %d", email, res.StatusCode)
	}
	return c
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

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
