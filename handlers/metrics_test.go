package handlers_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"

	"portal/domain"
	"portal/handlers"
	"portal/metrics"
	"portal/payments"
)

const metricsToken = "metrics-token-5c1e0a7d"

// newMetricsPortal is a test portal with metrics on and its mail outbox's
// depth counted, as serve wires them.
func newMetricsPortal(t *testing.T) *testPortal {
	t.Helper()
	m := metrics.New()
	p := newTestPortal(t, func(cfg *handlers.Config) { cfg.Metrics, cfg.MetricsToken = m, metricsToken })
	m.OutboxDepth("mail", p.store.OutboxDepth)
	return p
}

// scrape reads /metrics as Prometheus does, with the token.
func (p *testPortal) scrape(t *testing.T) map[string]float64 {
	t.Helper()
	res := p.client(t).do("GET", "/metrics", nil, map[string]string{"Authorization": "Bearer " + metricsToken})
	if res.StatusCode != 200 {
		t.Fatalf("scrape: %d %s", res.StatusCode, res.body)
	}
	return seriesOf(res.body)
}

// seriesOf reads the text format into each series' value, keyed by its name
// and labels as written.
func seriesOf(text string) map[string]float64 {
	out := map[string]float64{}
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if v, err := strconv.ParseFloat(line[i+1:], 64); err == nil {
			out[line[:i]] = v
		}
	}
	return out
}

func TestMetricsNeedTheToken(t *testing.T) {
	p := newMetricsPortal(t)
	for _, tc := range []struct {
		name, authorization string
		want                int
	}{
		{"none", "", 401},
		{"wrong", "Bearer not-the-token", 401},
		{"the token and more", "Bearer " + metricsToken + "x", 401},
		{"a prefix of the token", "Bearer " + metricsToken[:10], 401},
		{"another scheme", "Basic " + metricsToken, 401},
		{"empty bearer", "Bearer ", 401},
		{"right", "Bearer " + metricsToken, 200},
		{"right, scheme in any case", "bearer " + metricsToken, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := p.client(t).do("GET", "/metrics", nil, map[string]string{"Authorization": tc.authorization})
			if res.StatusCode != tc.want {
				t.Fatalf("status %d, want %d", res.StatusCode, tc.want)
			}
			if tc.want == 401 {
				if strings.Contains(res.body, "portal_") || len(res.body) > 20 || res.Header.Get("WWW-Authenticate") != "Bearer" {
					t.Errorf("a refusal says more than no: %q %v", res.body, res.Header)
				}
				return
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
				t.Errorf("Content-Type %q", ct)
			}
			for _, want := range []string{"portal_http_requests_total", "portal_activations_total", `portal_outbox_depth{outbox="mail"} 0`, "go_goroutines", "process_cpu_seconds_total"} {
				if !strings.Contains(res.body, want) {
					t.Errorf("no %s", want)
				}
			}
		})
	}
}

// TestMetricsRouteAbsentWithoutToken: without PORTAL_METRICS_TOKEN /metrics
// is an unknown path, even with metrics counted.
func TestMetricsRouteAbsentWithoutToken(t *testing.T) {
	for name, p := range map[string]*testPortal{
		"metrics off":             newTestPortal(t),
		"metrics on and no token": newTestPortal(t, func(cfg *handlers.Config) { cfg.Metrics = metrics.New() }),
	} {
		t.Run(name, func(t *testing.T) {
			unknown := p.client(t).get("/no-such-page")
			for _, auth := range []string{"", "Bearer ", "Bearer " + metricsToken} {
				res := p.client(t).do("GET", "/metrics", nil, map[string]string{"Authorization": auth})
				// The language menu links to the page itself: the bodies differ by the path only.
				if res.StatusCode != 404 || strings.ReplaceAll(res.body, "/metrics", "/no-such-page") != unknown.body {
					t.Errorf("GET /metrics (%q): %d, want the 404 of any unknown path", auth, res.StatusCode)
				}
			}
		})
	}
}

// TestMetricsOutboxDepthIsTheQueuedMails: the gauge is read from the store at
// each scrape.
func TestMetricsOutboxDepthIsTheQueuedMails(t *testing.T) {
	p := newMetricsPortal(t)
	ctx := context.Background()
	var mails []domain.Mail
	for _, to := range []string{"a@acme.example", "b@acme.example", "c@acme.example"} {
		mails = append(mails, domain.Mail{ID: domain.NewMailID(fixedNow), To: to, Subject: "s", Text: "t", Created: fixedNow, NextAttempt: fixedNow})
	}
	if err := p.store.QueueMail(ctx, mails...); err != nil {
		t.Fatal(err)
	}
	const gauge = `portal_outbox_depth{outbox="mail"}`
	if got := p.scrape(t)[gauge]; got != 3 {
		t.Fatalf("%s = %v with 3 mails queued", gauge, got)
	}
	if err := p.store.RemoveMail(ctx, mails[0].ID); err != nil {
		t.Fatal(err)
	}
	if got := p.scrape(t)[gauge]; got != 2 {
		t.Errorf("%s = %v after one sent", gauge, got)
	}
}

// TestScrapingWritesNothing: a scrape, right or refused, is a read like any
// page (PRODUCT.md section 14).
func TestScrapingWritesNothing(t *testing.T) {
	base := newTestPortal(t)
	counter := &writeCounter{Store: base.store}
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	m := metrics.New()
	m.OutboxDepth("mail", base.store.OutboxDepth)
	cfg := handlers.Config{Payments: payments.Demo{}, SigningKey: key, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: base.clock.Now, Metrics: m, MetricsToken: metricsToken}
	p := &testPortal{app: handlers.New(cfg, counter).App(), store: base.store, clock: base.clock}
	for range 3 {
		p.scrape(t)
		p.client(t).get("/metrics")
		p.client(t).do("GET", "/metrics", nil, map[string]string{"Authorization": "Bearer wrong"})
	}
	if writes := counter.take(); len(writes) > 0 {
		t.Errorf("scrapes wrote: %v", writes)
	}
}
