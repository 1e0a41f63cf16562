package handlers_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"portal/domain"
	"portal/handlers"
	"portal/webhook"
)

// receiver is the vendor's system: it checks every request with the Standard
// Webhooks library (not ours) and answers what the test asks.
type receiver struct {
	t       *testing.T
	server  *httptest.Server
	secrets []string
	mu      sync.Mutex
	got     []received
	answers []int // the next answers' statuses; 204 once they run out
}

type received struct {
	id, typ string
	data    map[string]any
}

func newReceiver(t *testing.T, secrets ...string) *receiver {
	r := &receiver{t: t, secrets: secrets}
	r.server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.server.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	for _, secret := range r.secrets {
		wh, err := standardwebhooks.NewWebhook(secret)
		if err != nil {
			r.t.Errorf("the library refuses our secret %q: %v", secret, err)
			continue
		}
		if err := wh.Verify(body, req.Header); err != nil {
			r.t.Errorf("the Standard Webhooks library refuses a delivery for secret %d: %v", slices.Index(r.secrets, secret), err)
		}
	}
	var ev struct {
		Type      string         `json:"type"`
		Timestamp string         `json:"timestamp"`
		Data      map[string]any `json:"data"`
	}
	if err := json.Unmarshal(body, &ev); err != nil || ev.Timestamp == "" {
		r.t.Errorf("the body is not {type, timestamp, data}: %s", body)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, received{id: req.Header.Get("webhook-id"), typ: ev.Type, data: ev.Data})
	status := http.StatusNoContent
	if len(r.answers) > 0 {
		status, r.answers = r.answers[0], r.answers[1:]
	}
	w.WriteHeader(status)
}

func (r *receiver) types() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, g := range r.got {
		out = append(out, g.typ)
	}
	slices.Sort(out)
	return out
}

// hookPortal is a test portal on the real clock (signatures carry the time,
// and the library checks it), with an endpoint for the receiver and a
// dispatcher the test runs by hand.
func hookPortal(t *testing.T, r *receiver) (*testPortal, *webhook.Dispatcher, *time.Time) {
	t.Helper()
	now := time.Now()
	p := newTestPortal(t, func(cfg *handlers.Config) { cfg.Now = time.Now })
	e, err := domain.NewWebhookEndpoint("crm", r.server.URL+"/hooks", r.secrets[0], now)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.store.SaveWebhookEndpoint(context.Background(), e, nil); err != nil {
		t.Fatal(err)
	}
	at := &now
	d := webhook.NewDispatcher(p.store, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), func() time.Time { return *at }, nil)
	return p, d, at
}

func TestEachEventTypeIsDeliveredOnceAndVerifies(t *testing.T) {
	ctx := context.Background()
	r := newReceiver(t, domain.NewWebhookSecret())
	p, d, at := hookPortal(t, r)
	marie := p.signedIn(t)
	order, _, _ := p.store.Order(ctx, "JWT100234")
	if status, _, _ := p.api(t, "POST", "/api/v1/activate", keyBody(order.ActivationKey, "PC-NEW")); status != 200 {
		t.Fatalf("activate: %d", status)
	}
	marie.get("/licenses")
	marie.post("/licenses/JWT100234-2/rehost", nil)
	marie.post("/orders/JWT100234/activation-key/reissue", nil)
	id := buyUpgrade(t, marie, upgradeLicense, url.Values{"add": {"1"}})
	marie.get("/demo-pay/" + id)
	marie.post("/demo-pay/"+id, nil)
	c, _ := domain.NewEmailChange("chg_1", "marie@acme.example", "marie@new.example", "marie@acme.example", time.Now())
	if err := p.store.RequestEmailChange(ctx, c, "c", "x", nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := p.store.ConfirmEmailChange(ctx, "c", time.Now(), domain.ActorCustomer, func(domain.EmailChange) []domain.Mail { return nil }); err != nil {
		t.Fatal(err)
	}
	*at = time.Now()
	d.SendDue(ctx)
	want := []string{"activation_key.reissued", "customer.email_changed", "license.activated", "license.changed", "license.rehosted", "purchase.fulfilled"}
	if got := slices.Compact(r.types()); !slices.Equal(got, want) {
		t.Errorf("event types %v, want %v", got, want)
	}
	for _, g := range r.got {
		if g.typ == "license.changed" && (g.data["license_id"] != upgradeLicense || g.data["order_reference"] != "JWT100234") {
			t.Errorf("license.changed data: %v", g.data)
		}
		if g.typ == "purchase.fulfilled" && (g.data["amount"] == nil || g.data["currency"] != "EUR") {
			t.Errorf("purchase.fulfilled data: %v", g.data)
		}
	}
	activated := 0
	for _, g := range r.got {
		if g.typ == "license.activated" {
			activated++
		}
	}
	if activated != 1 {
		t.Errorf("%d license.activated events, want one for the one license the activation bound", activated)
	}
	// Nothing is delivered twice.
	*at = time.Now().Add(time.Hour)
	n := len(r.got)
	d.SendDue(ctx)
	if len(r.got) != n {
		t.Errorf("%d more deliveries after everything was delivered", len(r.got)-n)
	}
}

func TestA500IsRetriedWithTheSameWebhookID(t *testing.T) {
	ctx := context.Background()
	r := newReceiver(t, domain.NewWebhookSecret())
	r.answers = []int{500}
	p, d, at := hookPortal(t, r)
	marie := p.signedIn(t)
	marie.get("/licenses")
	marie.post("/orders/JWT100234/activation-key/reissue", nil)
	*at = time.Now()
	d.SendDue(ctx)
	log, _ := p.store.Deliveries(ctx, "crm", 1)
	if len(r.got) != 1 || log[0].Status != domain.DeliveryPending || log[0].LastStatus != 500 || log[0].NextAttempt.Sub(*at) > 10*time.Second {
		t.Fatalf("after a 500: %d received, %+v", len(r.got), log[0])
	}
	d.SendDue(ctx) // not yet due
	if len(r.got) != 1 {
		t.Fatalf("retried before its time")
	}
	*at = at.Add(10 * time.Second)
	d.SendDue(ctx)
	if len(r.got) != 2 || r.got[0].id != r.got[1].id || r.got[0].id == "" {
		t.Fatalf("the retry: %+v", r.got)
	}
	if log, _ := p.store.Deliveries(ctx, "crm", 1); log[0].Status != domain.DeliveryDelivered || log[0].Attempts != 2 {
		t.Errorf("after the retry: %+v", log[0])
	}
}

func TestA410DisablesTheEndpoint(t *testing.T) {
	ctx := context.Background()
	r := newReceiver(t, domain.NewWebhookSecret())
	r.answers = []int{410}
	p, d, at := hookPortal(t, r)
	marie := p.signedIn(t)
	marie.get("/licenses")
	marie.post("/orders/JWT100234/activation-key/reissue", nil)
	*at = time.Now()
	d.SendDue(ctx)
	e, _, _ := p.store.WebhookEndpoint(ctx, "crm")
	if e.Enabled || !strings.Contains(e.Disabled, "410") {
		t.Fatalf("after a 410: %+v", e)
	}
	marie.get("/licenses")
	marie.post("/orders/JWT100234/activation-key/reissue", nil)
	*at = time.Now()
	d.SendDue(ctx)
	if len(r.got) != 1 {
		t.Errorf("a disabled endpoint received %d events", len(r.got))
	}
	p.addStaff(t, "ada@vendor.example", domain.RoleAdmin)
	if page := p.staff(t, "ada@vendor.example").get("/admin/webhooks"); !strings.Contains(visibleText(page.body), "answered 410 Gone") {
		t.Error("the admin page does not say the endpoint was disabled by a 410")
	}
}

func TestAdminWebhooksAddRotateAndTest(t *testing.T) {
	ctx := context.Background()
	p := newTestPortal(t, func(cfg *handlers.Config) { cfg.Now = time.Now })
	p.addStaff(t, "ada@vendor.example", domain.RoleAdmin)
	admin := p.staff(t, "ada@vendor.example")
	r := newReceiver(t)
	admin.get("/admin/webhooks")
	if res := admin.post("/admin/webhooks", url.Values{"url": {"ftp://nope"}}); res.StatusCode != 422 {
		t.Errorf("a bad address: %d", res.StatusCode)
	}
	added := admin.post("/admin/webhooks", url.Values{"url": {r.server.URL + "/hooks"}})
	first := regexpFind(t, added.body, `whsec_[A-Za-z0-9+/=]+`)
	if page := admin.get("/admin/webhooks"); strings.Contains(page.body, first) {
		t.Error("the secret shows again after it was shown once")
	}
	endpoints, _ := p.store.WebhookEndpoints(ctx)
	id := endpoints[0].ID
	rotated := admin.post("/admin/webhooks/"+id+"/rotate", nil)
	second := regexpFind(t, rotated.body, `whsec_[A-Za-z0-9+/=]+`)
	r.secrets = []string{first, second} // the receiver verifies with either: both sign during the overlap
	admin.get("/admin/webhooks")
	admin.post("/admin/webhooks/"+id+"/test", nil)
	d := webhook.NewDispatcher(p.store, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now, nil)
	d.SendDue(ctx)
	if got := r.types(); !slices.Equal(got, []string{"portal.test"}) {
		t.Errorf("the test event: %v", got)
	}
	audit, _ := p.store.Audit(ctx, 10)
	var actions []string
	for _, a := range audit {
		actions = append(actions, a.Action)
	}
	for _, want := range []string{"webhook endpoint added", "webhook endpoint rotate", "webhook test sent"} {
		if !slices.Contains(actions, want) {
			t.Errorf("audit lacks %q: %v", want, actions)
		}
	}
	if page := admin.get("/admin/webhooks"); !strings.Contains(page.body, "portal.test") {
		t.Error("the delivery log does not show the test event")
	}
}

func regexpFind(t *testing.T, body, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindString(body)
	if m == "" {
		t.Fatalf("no %s in the page", pattern)
	}
	return m
}
