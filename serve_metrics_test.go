package main

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"portal/mail/mailtest"
)

// scrapeServed reads /metrics from a served portal with authorization.
func scrapeServed(t *testing.T, s *servedPortal, authorization string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.base+"/metrics", nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestServeMetrics: PORTAL_METRICS_TOKEN turns /metrics on for its bearer;
// the mail dispatcher's sends are counted and the outbox is read from the
// store; a successful scrape leaves no request line in the log, a refused
// one does.
func TestServeMetrics(t *testing.T) {
	smtp := mailtest.Start(t)
	t.Setenv("PORTAL_SMTP_URL", smtp.URL())
	t.Setenv("PORTAL_MAIL_FROM", "Vendor Licensing <licensing@vendor.example>")
	t.Setenv("PORTAL_METRICS_TOKEN", "serve-metrics-token")
	s := startServe(t, "serve", "--demo", "--data", t.TempDir())
	c := browserlessClient(t)
	_, page := httpDo(t, c, "GET", s.base+"/login/remind", nil, "", "")
	m := pageCSRF.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("reminder page without a CSRF token: %.300s", page)
	}
	if status, _ := httpDo(t, c, "POST", s.base+"/login/remind", url.Values{"email": {"marie@acme.example"}, "_csrf": {m[1]}}, "", ""); status != 200 {
		t.Fatalf("remind: %d", status)
	}
	smtp.WaitFor(t, 1, 30*time.Second)
	var text string
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var status int
		status, text = scrapeServed(t, s, "Bearer serve-metrics-token")
		if status != 200 {
			t.Fatalf("scrape: %d", status)
		}
		if strings.Contains(text, `portal_mails_total{outcome="sent"} 1`) || time.Now().After(deadline) {
			break
		}
	}
	for _, want := range []string{`portal_mails_total{outcome="sent"} 1`, `portal_outbox_depth{outbox="mail"} 0`,
		`portal_http_requests_total{method="POST",route="/login/remind",status="200"} 1`} {
		if !strings.Contains(text, want) {
			t.Errorf("no %s in the scrape", want)
		}
	}
	if status, _ := scrapeServed(t, s, "Bearer wrong"); status != 401 {
		t.Errorf("a wrong token: %d", status)
	}
	// Lines are written in order, a few times a second: once the refused
	// scrape's line is there, so would the others be.
	var scrapes []string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		scrapes = scrapes[:0]
		for line := range strings.Lines(s.logs.String()) {
			if strings.Contains(line, `"path":"/metrics"`) {
				scrapes = append(scrapes, line)
			}
		}
		if len(scrapes) > 0 && strings.Contains(scrapes[len(scrapes)-1], `"status":401`) {
			break
		}
	}
	if len(scrapes) != 1 || !strings.Contains(scrapes[0], `"status":401`) {
		t.Errorf("logged scrapes: %q, want the refused one alone", scrapes)
	}
}

// TestServeWithoutMetricsToken: without the variable there is no route.
func TestServeWithoutMetricsToken(t *testing.T) {
	t.Setenv("PORTAL_METRICS_TOKEN", "")
	s := startServe(t, "serve", "--data", t.TempDir())
	if status, _ := scrapeServed(t, s, "Bearer "); status != 404 {
		t.Errorf("GET /metrics: %d, want 404", status)
	}
}
