package handlers_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/handlers"
	"portal/mail"
	"portal/payments"
	"portal/storage"
	"portal/storage/postgres"
	"portal/storage/postgres/pgtest"
	"portal/webhook"
)

// fixture is a small import: two customers, three orders, one of each support state.
// The clock of the tests is fixedNow.
const fixture = `{"kind":"product","software":"Remote Work","edition":"Standard","upgradable":true,"currency":"EUR","seat_price":0,"support_price_per_seat_year":9000}
{"kind":"product","software":"Remote Access","edition":"Enterprise","upgradable":false,"currency":"EUR","seat_price":0,"support_price_per_seat_year":7500}
{"kind":"order","reference":"JWT100234","date":"2026-03-14T10:22:00Z","name":"Acme SARL","country":"FR","city":"Lyon","contact_name":"Marie Dupont","email":"marie@acme.example","currency":"EUR","items":[{"description":"Remote Work Standard, 5 workstations","quantity":1,"unit_amount":45000},{"description":"Setup assistance","quantity":2,"unit_amount":7550}],"licenses":[{"software":"Remote Work","edition":"Standard","users":5,"serial":"","support_start":"2026-03-14","support_end":"2027-03-14"},{"software":"Remote Access","edition":"Enterprise","users":10,"serial":"ACME-SRV-01","support_start":"2026-03-14","support_end":"2026-06-01"}]}
{"kind":"order","reference":"JWT100391","date":"2025-12-01T08:00:00Z","name":"Acme SARL","country":"FR","city":"Lyon","contact_name":"Marie Dupont","email":"marie@acme.example","currency":"EUR","items":[{"description":"Advanced Security Ultimate, 10 users","quantity":1,"unit_amount":32000}],"licenses":[{"software":"Advanced Security","edition":"Ultimate","users":10,"serial":"","support_start":"2025-12-01","support_end":"2026-12-10"}]}
{"kind":"order","reference":"JWT100412","date":"2025-10-01T09:00:00Z","name":"Northwind Traders Inc.","country":"US","city":"Seattle","contact_name":"John Carter","email":"john@northwind.example","currency":"USD","items":[{"description":"Remote Access Standard, 3 users","quantity":1,"unit_amount":24900}],"licenses":[{"software":"Remote Access","edition":"Standard","users":3,"serial":"NW-TS-2019","support_start":"2025-10-01","support_end":"2026-10-01"}]}
`

var fixedNow = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// clock is a settable time source for the rate limits.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type testPortal struct {
	app   *fiber.App
	store testStore
	clock *clock
	// publicKey checks the portal's signatures.
	publicKey ed25519.PublicKey
	// marie is the first client signed in as Marie.
	marie *client
}

type portalOption func(*handlers.Config)

func withSecureCookies(c *handlers.Config) { c.Secure = true }

// testStore is a store of either backend, as the tests use it.
type testStore interface {
	handlers.Store
	mail.OutboxStore
	webhook.Store
	OutboxDepth(ctx context.Context) (int, error)
	Close() error
}

// openTestStore opens a real store: a Badger folder, or with
// PORTAL_TEST_BACKEND=postgres a schema of its own on the test command's
// PostgreSQL server, so that the same handler tests run on both backends.
func openTestStore(t testing.TB, log *slog.Logger) testStore {
	t.Helper()
	var store testStore
	var err error
	switch backend := os.Getenv("PORTAL_TEST_BACKEND"); backend {
	case "", "badger":
		store, err = storage.Open(t.TempDir(), log)
	case "postgres":
		store, err = postgres.Open(context.Background(), pgtest.Fresh(t), log)
	default:
		t.Fatalf("PORTAL_TEST_BACKEND=%s: want badger or postgres", backend)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}

// newTestPortal serves the fixture from a real store.
func newTestPortal(t testing.TB, opts ...portalOption) *testPortal {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	store := openTestStore(t, log)
	report, err := domain.Import(context.Background(), strings.NewReader(fixture), store, domain.NewActivationKey)
	if err != nil || len(report.Rejected) > 0 {
		t.Fatalf("fixture import: %v %s", err, report)
	}
	clk := &clock{now: fixedNow}
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cfg := handlers.Config{
		Payments:     payments.Demo{},
		SigningKey:   key,
		Brand:        "Test Portal",
		SupportEmail: "help@vendor.example",
		Log:          log,
		Now:          clk.Now,
	}
	for _, o := range opts {
		o(&cfg)
	}
	return &testPortal{app: handlers.New(cfg, store).App(), store: store, clock: clk, publicKey: pub}
}

// client is a browser without JavaScript: it keeps cookies and the page's CSRF token.
type client struct {
	t       testing.TB
	p       *testPortal
	cookies map[string]string
	csrf    string
}

func (p *testPortal) client(t testing.TB) *client {
	return &client{t: t, p: p, cookies: map[string]string{}}
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

type response struct {
	*http.Response
	body string
}

func (c *client) do(method, path string, form url.Values, header map[string]string) response {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	for name, value := range c.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	res, err := c.p.app.Test(req, -1)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	if m := csrfField.FindStringSubmatch(string(b)); m != nil {
		c.csrf = m[1]
	}
	return response{res, string(b)}
}

func (c *client) get(path string) response { return c.do("GET", path, nil, nil) }

// post sends a form with the CSRF token of the last page seen.
func (c *client) post(path string, form url.Values) response {
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", c.csrf)
	return c.do("POST", path, form, nil)
}

func (c *client) login(email, order string) response {
	c.t.Helper()
	c.get("/login")
	return c.post("/login", url.Values{"email": {email}, "order": {order}})
}

// signedIn returns a client signed in as Marie (orders JWT100234 and JWT100391).
// Clients after the first share her session, as tabs of one browser do: a
// customer's sign-ins are bounded per hour.
func (p *testPortal) signedIn(t testing.TB) *client {
	t.Helper()
	if p.marie == nil {
		c := p.client(t)
		if res := c.login("marie@acme.example", "JWT100234"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("login: status %d", res.StatusCode)
		}
		c.get("/licenses")
		p.marie = c
	}
	c := &client{t: t, p: p, cookies: maps.Clone(p.marie.cookies), csrf: p.marie.csrf}
	return c
}
