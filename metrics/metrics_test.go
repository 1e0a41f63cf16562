package metrics_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"portal/metrics"
)

func scrape(t *testing.T, m *metrics.Metrics) (string, error) {
	t.Helper()
	var b strings.Builder
	err := m.WriteText(&b)
	return b.String(), err
}

// TestNilMetricsCountNothing: with metrics off every call is a no-op, so that
// callers need no check of their own.
func TestNilMetricsCountNothing(t *testing.T) {
	var m *metrics.Metrics
	m.Request("/", "GET", 200, time.Millisecond)
	m.Activation(metrics.ViaAPI)
	m.Refresh(metrics.ViaAPI)
	m.Rehost()
	m.KeyReissue()
	m.Purchase(metrics.PurchaseFulfilled)
	m.LoginRefused(metrics.Customer, "login-email")
	m.MailSent()
	m.MailFailed()
	m.MailGivenUp()
	m.Delivery(metrics.DeliveryDelivered)
	m.OutboxDepth("mail", func(context.Context) (int, error) { return 1, nil })
	if text, err := scrape(t, m); text != "" || err != nil {
		t.Errorf("nil metrics wrote %q, %v", text, err)
	}
}

// TestRequestsBySeries: requests of one label set share a series, counted
// once each however many goroutines answer at once; the runtime and process
// collectors sit beside them.
func TestRequestsBySeries(t *testing.T) {
	m := metrics.New()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				m.Request("/licenses/:id", "GET", 200, 3*time.Millisecond)
				m.Request("/licenses/:id", "GET", 404, time.Millisecond)
			}
		})
	}
	wg.Wait()
	m.Request(metrics.Unmatched, "GET", 404, time.Millisecond)
	text, err := scrape(t, m)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`portal_http_requests_total{method="GET",route="/licenses/:id",status="200"} 800`,
		`portal_http_requests_total{method="GET",route="/licenses/:id",status="404"} 800`,
		`portal_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`portal_http_request_duration_seconds_bucket{method="GET",route="/licenses/:id",status="200",le="0.0025"} 0`,
		`portal_http_request_duration_seconds_bucket{method="GET",route="/licenses/:id",status="200",le="0.005"} 800`,
		`portal_http_request_duration_seconds_count{method="GET",route="/licenses/:id",status="200"} 800`,
		`portal_activations_total{via="api"} 0`,
		`portal_purchases_total{outcome="seen"} 0`,
		`portal_mails_total{outcome="given_up"} 0`,
		`portal_webhook_deliveries_total{outcome="disabled"} 0`,
		"go_goroutines ",
		"process_resident_memory_bytes ",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %s in:\n%s", want, text)
		}
	}
}

// TestOutboxDepth: each outbox is counted at every scrape under its label; a
// count that fails leaves out its own series and says so, not the scrape.
func TestOutboxDepth(t *testing.T) {
	m := metrics.New()
	queued := 3
	m.OutboxDepth("mail", func(context.Context) (int, error) { return queued, nil })
	text, err := scrape(t, m)
	if err != nil || !strings.Contains(text, `portal_outbox_depth{outbox="mail"} 3`) {
		t.Fatalf("%v\n%s", err, text)
	}
	queued = 1
	m.OutboxDepth("webhooks", func(ctx context.Context) (int, error) {
		<-ctx.Done() // a database that does not answer
		return 0, ctx.Err()
	})
	start := time.Now()
	text, err = scrape(t, m)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Errorf("a stuck count: error %v after %s", err, time.Since(start))
	}
	if !strings.Contains(text, `portal_outbox_depth{outbox="mail"} 1`) || strings.Contains(text, `outbox="webhooks"`) || !strings.Contains(text, "go_goroutines") {
		t.Errorf("the rest of the scrape:\n%s", text)
	}
}

// BenchmarkRequest is what the request middleware adds to each request for
// the metrics: a map read, a counter and a histogram.
func BenchmarkRequest(b *testing.B) {
	m := metrics.New()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.Request("/licenses/:id/refresh", "POST", 200, 4*time.Millisecond)
		}
	})
}
