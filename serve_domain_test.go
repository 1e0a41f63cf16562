package main

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"portal/autotls/pebbletest"
)

// TestServeWithDomain runs "portal serve --domain" against Pebble: the
// certificate it obtains verifies against Pebble's root for the domain,
// every HTTPS answer carries HSTS, cookies are Secure and a customer signs
// in over HTTPS; the HTTP listener redirects permanently to HTTPS. Served
// again from the same data folder, the portal takes its certificate from
// there.
func TestServeWithDomain(t *testing.T) {
	pebble := pebbletest.Server(t)
	for _, name := range []string{"PORTAL_BASE_URL", "STRIPE_SECRET_KEY", "PORTAL_DOMAIN"} {
		t.Setenv(name, "")
	}
	const domain = "portal.example.com"
	data := t.TempDir()
	args := []string{"serve", "--demo", "--data", data, "--domain", domain, "--https-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0",
		"--acme-directory", pebble.Directory, "--acme-ca-file", pebble.CAFile, "--acme-email", "ops@vendor.example",
		// Pebble picks one of its profiles at random when none is asked for.
		"--acme-profile", "default"}
	s := startServe(t, args...)
	c := domainClient(t, pebble)
	base := "https://" + domain + ":" + port(t, s.base)

	res := getUntilServed(t, c, base+"/healthz")
	pebble.Verify(t, res.TLS.PeerCertificates, domain)
	serial := res.TLS.PeerCertificates[0].SerialNumber

	for _, path := range []string{"/healthz", "/login", "/", "/no/such/page", "/static/app.css"} {
		res, err := c.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if hsts := res.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(hsts, "max-age=") {
			t.Errorf("GET %s (%d) over HTTPS has no HSTS header", path, res.StatusCode)
		}
	}
	status, page := httpDo(t, c, "GET", base+"/login", nil, "", "")
	m := pageCSRF.FindStringSubmatch(page)
	if status != 200 || m == nil {
		t.Fatalf("login page over HTTPS: %d %.300s", status, page)
	}
	if status, _ := httpDo(t, c, "POST", base+"/login", url.Values{"email": {"marie@acme.example"}, "order": {"JWT100234"}, "_csrf": {m[1]}}, "", ""); status != 303 {
		t.Fatalf("sign-in over HTTPS answered %d", status)
	}
	if _, page := httpDo(t, c, "GET", base+"/licenses", nil, "", ""); !strings.Contains(page, "JWT100234") {
		t.Error("signed in over HTTPS, the licenses page lacks the customer's order")
	}
	// A fresh browser's first page sets cookies: each one Secure.
	res, err := domainClient(t, pebble).Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	for _, line := range res.Header.Values("Set-Cookie") {
		if !strings.Contains(line, "; secure") && !strings.Contains(line, "; Secure") {
			t.Errorf("cookie without Secure over HTTPS: %s", line)
		}
	}

	// Plain HTTP: a permanent redirect to the same path on HTTPS, for any method.
	plain := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, method := range []string{"GET", "POST"} {
		req, _ := http.NewRequest(method, "http://"+s.httpAddr+"/licenses?x=1", nil)
		req.Host = domain
		res, err := plain.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusPermanentRedirect && res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != base+"/licenses?x=1" {
			t.Errorf("%s over HTTP: %d to %q, want a permanent redirect to %s", method, res.StatusCode, res.Header.Get("Location"), base+"/licenses?x=1")
		}
	}

	if os.Getenv("PORTAL_TEST_SHOW_LOGS") != "" {
		t.Log(s.logs.String())
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	again := startServe(t, args...)
	res = getUntilServed(t, domainClient(t, pebble), "https://"+domain+":"+port(t, again.base)+"/healthz")
	if got := res.TLS.PeerCertificates[0].SerialNumber; got.Cmp(serial) != 0 {
		t.Errorf("after a restart the portal serves another certificate (%x, was %x): it was not kept with the data", got, serial)
	}
}

// domainClient reaches every name at 127.0.0.1, as if the domain's DNS
// pointed there, trusts Pebble's root, keeps cookies and shows redirects.
func domainClient(t *testing.T, pebble pebbletest.Pebble) *http.Client {
	jar, _ := cookiejar.New(nil)
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pebble.Roots},
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				_, p, _ := net.SplitHostPort(addr)
				return dialer.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", p))
			}}}
}

// getUntilServed asks u until the portal has its certificate.
func getUntilServed(t *testing.T, c *http.Client, u string) *http.Response {
	t.Helper()
	var err error
	for deadline := time.Now().Add(45 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		var res *http.Response
		if res, err = c.Get(u); err == nil {
			res.Body.Close()
			return res
		}
	}
	t.Fatalf("no HTTPS answer with a valid certificate within 45 s: %v", err)
	return nil
}

func port(t *testing.T, base string) string {
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	return u.Port()
}
