package main

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"portal/domain"
	"portal/storage/postgres"
	"portal/storage/postgres/pgtest"
)

const instanceWebhookSecret = "whsec_instances_test"

// instance is "portal serve" in a process of its own, so that it can be killed.
type instance struct {
	base string
	cmd  *exec.Cmd
}

// startInstance starts "portal serve" on db in a child process and answers once
// it listens.
func startInstance(t *testing.T, db, keyFile string) *instance {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(),
		"PORTAL_TEST_RUN=serve --database-url "+db+" --signing-key "+keyFile+" --addr 127.0.0.1:0 --data "+t.TempDir(),
		"STRIPE_SECRET_KEY=sk_test_instances", "STRIPE_WEBHOOK_SECRET="+instanceWebhookSecret)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var line struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "portal listening" {
				listening <- line.Addr
			}
		}
	}()
	select {
	case addr := <-listening:
		return &instance{base: "http://" + addr, cmd: cmd}
	case <-time.After(2 * time.Minute):
		t.Fatal("an instance did not listen within 2 minutes")
		return nil
	}
}

// stripeSigned is a checkout.session.completed event for purchase p, paid on its
// own session, with the Stripe-Signature header Stripe would send.
func stripeSigned(eventID string, p domain.Purchase) (body, signature string) {
	b, _ := json.Marshal(map[string]any{
		"id": eventID, "object": "event", "api_version": "2023-10-16", "type": "checkout.session.completed",
		"created": time.Now().Unix(),
		"data": map[string]any{"object": map[string]any{"id": p.CheckoutID, "object": "checkout.session",
			"client_reference_id": p.ID, "payment_status": "paid", "amount_total": p.Amount,
			"currency": strings.ToLower(p.Currency), "mode": "payment"}},
	})
	ts := time.Now().Unix()
	mac := hmac.New(sha256.New, []byte(instanceWebhookSecret))
	fmt.Fprintf(mac, "%d.%s", ts, b)
	return string(b), fmt.Sprintf("t=%d,v1=%s", ts, hex.EncodeToString(mac.Sum(nil)))
}

func post(t *testing.T, u, contentType, body string, header map[string]string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Errorf("POST %s: %v", u, err)
		return 0
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// TestTwoInstancesShareOneDatabase: two "portal serve" processes on one
// PostgreSQL database behave as one portal (PRODUCT.md section 10).
func TestTwoInstancesShareOneDatabase(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Fresh(t)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "signing-key.pem")
	if err := run(ctx, []string{"keygen", keyFile}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"import", "--database-url", db, writeImportFile(t, 30)}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	store, err := postgres.Open(ctx, db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	a, b := startInstance(t, db, keyFile), startInstance(t, db, keyFile)

	t.Run("a session and a CSRF token from A hold on B", func(t *testing.T) {
		c := browserlessClient(t)
		_, page := httpDo(t, c, "GET", a.base+"/login", nil, "", "")
		token := pageCSRF.FindStringSubmatch(page)[1]
		status, _ := httpDo(t, c, "POST", a.base+"/login", url.Values{"email": {"c0@example.com"}, "order": {"JWT200000"}, "_csrf": {token}}, "", "")
		if status != 303 {
			t.Fatalf("login on A: %d", status)
		}
		// Cookies are the host's, whatever the port: the same browser on B.
		status, page = httpDo(t, c, "GET", b.base+"/licenses", nil, "", "")
		if status != 200 || !strings.Contains(page, "JWT200000") {
			t.Fatalf("licenses on B with A's session: %d", status)
		}
		_, page = httpDo(t, c, "GET", a.base+"/orders/JWT200000/activation-key", nil, "", "")
		token = pageCSRF.FindStringSubmatch(page)[1]
		status, _ = httpDo(t, c, "POST", b.base+"/orders/JWT200000/activation-key/reissue", url.Values{"_csrf": {token}}, "", "")
		if status != 200 {
			t.Errorf("a form from A posted to B: %d", status)
		}
	})

	t.Run("wrong logins spread over A and B meet one limit", func(t *testing.T) {
		c := browserlessClient(t)
		statuses := []int{}
		for i := range 14 {
			base := []string{a.base, b.base}[i%2]
			_, page := httpDo(t, c, "GET", base+"/login", nil, "", "")
			m := pageCSRF.FindStringSubmatch(page)
			if m == nil {
				t.Fatalf("no login form on %s", base)
			}
			status, _ := httpDo(t, c, "POST", base+"/login", url.Values{"email": {fmt.Sprintf("guess%d@x.example", i)},
				"order": {fmt.Sprintf("JWT90000%d", i)}, "_csrf": {m[1]}}, "", "")
			statuses = append(statuses, status)
		}
		if statuses[9] != 401 || statuses[10] != 429 || statuses[13] != 429 {
			t.Errorf("answers to 14 wrong logins, alternately on A and B: %v; want 401 ten times, then 429", statuses)
		}
	})

	order := func(ref string) domain.Order {
		o, found, err := store.Order(ctx, ref)
		if err != nil || !found {
			t.Fatalf("order %s: %v", ref, err)
		}
		return o
	}

	t.Run("an activation on A is refreshed on B", func(t *testing.T) {
		body := fmt.Sprintf(`{"activation_key":%q,"serial":"PC-SHARED"}`, order("JWT200001").ActivationKey)
		if status := post(t, a.base+"/api/v1/activate", "application/json", body, nil); status != 200 {
			t.Fatalf("activate on A: %d", status)
		}
		if status := post(t, b.base+"/api/v1/refresh", "application/json", body, nil); status != 200 {
			t.Errorf("refresh on B: %d", status)
		}
	})

	// Purchases locked as Buy locks them, each with its payment page.
	product, _, _ := store.Product(ctx, "Remote Work", "Standard")
	purchase := func(ref string) domain.Purchase {
		l, _, _ := store.License(ctx, ref+"-1")
		q, err := domain.QuoteUpgrade(l, product, 2, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		p := domain.NewUpgradePurchase(q, l, order(ref).Email, time.Now())
		p.CheckoutID = "cs_" + p.ID
		if err := store.CreatePurchase(ctx, p); err != nil {
			t.Fatal(err)
		}
		if err := store.SetPurchaseCheckout(ctx, p.ID, domain.CheckoutSession{ID: p.CheckoutID, URL: "https://pay.example/" + p.ID}); err != nil {
			t.Fatal(err)
		}
		return p
	}

	t.Run("the same payment event delivered to A and B at once fulfils once", func(t *testing.T) {
		p := purchase("JWT200002")
		body, sig := stripeSigned("evt_once", p)
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				base := []string{a.base, b.base}[i%2]
				if status := post(t, base+"/webhooks/stripe", "application/json", body, map[string]string{"Stripe-Signature": sig}); status != 200 {
					t.Errorf("delivery %d: %d", i, status)
				}
			}()
		}
		wg.Wait()
		l, _, _ := store.License(ctx, "JWT200002-1")
		orders, _ := store.OrdersByEmail(ctx, p.Email)
		upgrades := 0
		for _, o := range orders {
			if o.Source == domain.SourceUpgrade {
				upgrades++
			}
		}
		if l.Users != 7 || upgrades != 1 {
			t.Errorf("after 20 deliveries: %d users (want 7), %d upgrade orders (want 1)", l.Users, upgrades)
		}
	})

	t.Run("payments fulfilled at once on A and B get unique gapless order numbers", func(t *testing.T) {
		var purchases []domain.Purchase
		for i := 10; i < 20; i++ {
			purchases = append(purchases, purchase(fmt.Sprintf("JWT2000%02d", i)))
		}
		var wg sync.WaitGroup
		for i, p := range purchases {
			wg.Add(1)
			go func() {
				defer wg.Done()
				body, sig := stripeSigned(fmt.Sprintf("evt_many_%d", i), p)
				post(t, []string{a.base, b.base}[i%2]+"/webhooks/stripe", "application/json", body, map[string]string{"Stripe-Signature": sig})
			}()
		}
		wg.Wait()
		var numbers []int
		for _, p := range purchases {
			got, _, _ := store.Purchase(ctx, p.ID)
			n, ok := domain.OrderNumber(got.NewOrderRef)
			if got.Status != domain.PurchaseFulfilled || !ok {
				t.Fatalf("purchase %s: %s, order %q", p.ID, got.Status, got.NewOrderRef)
			}
			numbers = append(numbers, int(n))
		}
		sort.Ints(numbers)
		for i := 1; i < len(numbers); i++ {
			if numbers[i] != numbers[i-1]+1 {
				t.Fatalf("order numbers are not unique and gapless: %v", numbers)
			}
		}
	})

	t.Run("an instance killed with SIGKILL loses nothing it answered, and the other serves on", func(t *testing.T) {
		before := order("JWT200003").ActivationKey
		body := fmt.Sprintf(`{"activation_key":%q,"serial":"PC-KILLED"}`, before)
		if status := post(t, a.base+"/api/v1/activate", "application/json", body, nil); status != 200 {
			t.Fatalf("activate on A: %d", status)
		}
		a.cmd.Process.Kill() // right after the answer
		a.cmd.Wait()
		if l, _, _ := store.License(ctx, "JWT200003-1"); l.Serial != "PC-KILLED" {
			t.Errorf("the activation A answered is lost: serial %q", l.Serial)
		}
		if status := post(t, b.base+"/api/v1/refresh", "application/json", body, nil); status != 200 {
			t.Errorf("refresh on B after A was killed: %d", status)
		}
		res, err := http.Get(b.base + "/healthz")
		if err != nil || res.StatusCode != 200 {
			t.Errorf("B after A was killed: %v", err)
		}
	})
}
