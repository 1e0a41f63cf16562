package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"portal/domain"
	"portal/handlers"
	"portal/payments"
)

// stripeCall is one request the portal sent to the Stripe API.
type stripeCall struct {
	method, path string
	header       http.Header
	form         url.Values
}

// stripeRecorder is a Stripe API base that records every request and forwards it
// to stripe-mock, so that the portal gets real answers and the test sees what the
// portal really sent.
type stripeRecorder struct {
	URL   string
	mu    sync.Mutex
	calls []stripeCall
}

func newStripeRecorder(t *testing.T, upstream string) *stripeRecorder {
	t.Helper()
	target, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	r := &stripeRecorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		form, _ := url.ParseQuery(string(body))
		r.mu.Lock()
		r.calls = append(r.calls, stripeCall{method: req.Method, path: req.URL.Path, header: req.Header.Clone(), form: form})
		r.mu.Unlock()
		req.Body = io.NopCloser(bytes.NewReader(body))
		proxy.ServeHTTP(w, req)
	}))
	t.Cleanup(srv.Close)
	r.URL = srv.URL
	return r
}

// sessions returns the Checkout Session creations recorded so far.
func (r *stripeRecorder) sessions() []stripeCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []stripeCall
	for _, c := range r.calls {
		if c.method == "POST" && c.path == "/v1/checkout/sessions" {
			out = append(out, c)
		}
	}
	return out
}

func withBaseURL(u string) portalOption { return func(c *handlers.Config) { c.BaseURL = u } }

// TestCheckoutSessionSentToStripe checks every field of the Checkout Session that
// POST /licenses/{id}/upgrade creates, as Stripe receives it, then pays it through
// a signed webhook built from what was sent, and sees the license grow.
func TestCheckoutSessionSentToStripe(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		currency string
		// 3 workstations, 107 days at 9000 a year: 7915 minor units of the currency.
		wantUnitAmount string
	}{
		{"EUR", "7915"},
		// The Icelandic króna has no minor unit in ISO 4217, but Stripe counts it in hundredths.
		{"ISK", "791500"},
	} {
		t.Run(tc.currency, func(t *testing.T) {
			rec := newStripeRecorder(t, stripeMockURL(t))
			p := newTestPortal(t, withStripe(rec.URL), withBaseURL("https://licenses.example.com"))
			if _, err := p.store.SaveProduct(ctx, domain.Product{Software: "Remote Work", Edition: "Standard", Upgradable: true,
				Currency: tc.currency, SupportPricePerSeatYear: 9000}); err != nil {
				t.Fatal(err)
			}
			c := p.signedIn(t)
			c.get("/licenses/" + upgradeLicense + "/upgrade")
			res := c.post("/licenses/"+upgradeLicense+"/upgrade", url.Values{"add": {"3"}, "amount": {"1"}})
			if res.StatusCode != 303 || !strings.HasPrefix(res.Header.Get("Location"), "https://") {
				t.Fatalf("buy: %d %q %.300s", res.StatusCode, res.Header.Get("Location"), res.body)
			}
			purchases, _ := p.store.PurchasesByEmail(ctx, "marie@acme.example")
			if len(purchases) != 1 {
				t.Fatalf("%d purchases, want 1", len(purchases))
			}
			pur := purchases[0]
			if pur.Amount != 7915 || pur.Currency != tc.currency {
				t.Fatalf("locked %d %s, want 7915 %s", pur.Amount, pur.Currency, tc.currency)
			}

			sent := rec.sessions()
			if len(sent) != 1 {
				t.Fatalf("%d Checkout Sessions created, want 1", len(sent))
			}
			form := sent[0].form
			want := map[string]string{
				"mode":                                   "payment",
				"client_reference_id":                    pur.ID,
				"customer_email":                         "marie@acme.example",
				"expires_at":                             strconv.FormatInt(fixedNow.Add(24*time.Hour).Unix(), 10),
				"success_url":                            "https://licenses.example.com/purchases/" + pur.ID + "/success",
				"cancel_url":                             "https://licenses.example.com/purchases/" + pur.ID + "/cancel",
				"line_items[0][quantity]":                "1",
				"line_items[0][price_data][currency]":    strings.ToLower(tc.currency),
				"line_items[0][price_data][unit_amount]": tc.wantUnitAmount,
				"line_items[0][price_data][product_data][name]": "Add 3 workstations to Remote Work Standard (license " + upgradeLicense + ")",
			}
			for field, value := range want {
				if got := form.Get(field); got != value {
					t.Errorf("%s = %q, want %q", field, got, value)
				}
			}
			if !pur.ExpiresAt.Equal(fixedNow.Add(24 * time.Hour)) {
				t.Errorf("the purchase expires at %s, the session at %s", pur.ExpiresAt, form.Get("expires_at"))
			}
			for field := range form {
				if strings.HasPrefix(field, "line_items[1]") || strings.Contains(field, "[price]") {
					t.Errorf("a second line item or a stored price was sent: %s", field)
				}
			}
			// The idempotency key belongs to the purchase: any retry of this purchase,
			// from any process, sends the same key and cannot make a second session.
			key := sent[0].header.Get("Idempotency-Key")
			if !strings.Contains(key, pur.ID) {
				t.Errorf("Idempotency-Key %q is not the purchase's (%s)", key, pur.ID)
			}
			stripe := payments.NewStripe("sk_test_portal", webhookSecret, rec.URL)
			if _, err := stripe.CreateCheckout(ctx, domain.CheckoutRequest{PurchaseID: pur.ID, Description: pur.Description,
				Amount: pur.Amount, Currency: pur.Currency, Email: pur.Email, ExpiresAt: pur.ExpiresAt,
				SuccessURL: want["success_url"], CancelURL: want["cancel_url"]}); err != nil {
				t.Fatal(err)
			}
			if again := rec.sessions(); len(again) != 2 || again[1].header.Get("Idempotency-Key") != key {
				t.Errorf("a retry of the same purchase sent another idempotency key")
			}

			// Stripe reports the payment of that session: fulfilled.
			if !strings.HasPrefix(pur.CheckoutID, "cs_") {
				t.Fatalf("the purchase does not know its session: %q", pur.CheckoutID)
			}
			amount, _ := strconv.ParseInt(form.Get("line_items[0][price_data][unit_amount]"), 10, 64)
			event, _ := json.Marshal(map[string]any{
				"id": "evt_checkout", "object": "event", "api_version": "2023-10-16", "type": "checkout.session.completed",
				"created": fixedNow.Unix(),
				"data": map[string]any{"object": map[string]any{
					"id": pur.CheckoutID, "object": "checkout.session", "client_reference_id": form.Get("client_reference_id"),
					"payment_status": "paid", "amount_total": amount, "currency": form.Get("line_items[0][price_data][currency]"), "mode": "payment",
				}},
			})
			if status, _ := p.deliver(t, event, sign(event, webhookSecret)); status != 200 {
				t.Fatalf("webhook: %d", status)
			}
			l, _, _ := p.store.License(ctx, upgradeLicense)
			got, _, _ := p.store.Purchase(ctx, pur.ID)
			if l.Users != 8 || got.Status != domain.PurchaseFulfilled {
				t.Fatalf("after the payment: %d users, purchase %s %s", l.Users, got.Status, got.FlagReason)
			}
			if o, found, _ := p.store.Order(ctx, got.NewOrderRef); !found || o.Total != 7915 || o.Currency != tc.currency {
				t.Errorf("new order %+v", o)
			}
		})
	}
}

// stripeMockURL is the stripe-mock that scripts/test.sh starts on loopback.
func stripeMockURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("STRIPE_MOCK_URL")
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("STRIPE_MOCK_URL is not set; scripts/test.sh starts stripe-mock")
		}
		t.Skip("STRIPE_MOCK_URL is not set (scripts/test.sh starts stripe-mock)")
	}
	return u
}

func TestCheckoutSessionAgainstStripeMock(t *testing.T) {
	p := newTestPortal(t, withStripe(stripeMockURL(t)))
	c := p.signedIn(t)
	c.get("/licenses/" + upgradeLicense + "/upgrade")
	res := c.post("/licenses/"+upgradeLicense+"/upgrade", url.Values{"add": {"3"}})
	loc := res.Header.Get("Location")
	if res.StatusCode != 303 || !strings.HasPrefix(loc, "https://") {
		t.Fatalf("buy with Stripe: %d %q %.300s", res.StatusCode, loc, res.body)
	}
	// The purchase was recorded before the session, and knows its session.
	purchases, err := p.store.PurchasesByEmail(context.Background(), "marie@acme.example")
	if err != nil || len(purchases) != 1 {
		t.Fatalf("purchases: %v %v", purchases, err)
	}
	if pur := purchases[0]; pur.Amount != 7915 || !strings.HasPrefix(pur.CheckoutID, "cs_") || pur.Status != domain.PurchasePending {
		t.Errorf("purchase %+v", pur)
	}
	if o, _ := p.store.OrdersByEmail(context.Background(), "marie@acme.example"); len(o) != 2 {
		t.Errorf("a checkout created an order before any payment")
	}
}
