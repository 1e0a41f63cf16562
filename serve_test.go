package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"portal/domain"
	"portal/i18n"
)

// servedPortal is "portal serve" running inside the test process.
type servedPortal struct {
	base string
	// httpAddr, with --domain, is the plain-HTTP listener's address.
	httpAddr string
	stdout   *safeBuffer
	logs     *safeBuffer
	stop     func() error
}

// startServe runs "portal serve" with args on a port the system picks (the test
// never guesses a free one) and returns once the server has logged that it
// listens, with that address. Under -race on a busy machine that may take a
// while: the only limit is a generous one, for a server that never comes up.
func startServe(t *testing.T, args ...string) *servedPortal {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	s := &servedPortal{stdout: &safeBuffer{}, logs: &safeBuffer{}}
	type listeningLine struct {
		Msg, Addr string
		HTTPAddr  string `json:"http_addr"`
	}
	listening := make(chan listeningLine, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			s.logs.Write([]byte(sc.Text() + "\n"))
			var line listeningLine
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "portal listening" {
				select {
				case listening <- line:
				default:
				}
			}
		}
		io.Copy(io.Discard, pr)
	}()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append(args, "--addr", "127.0.0.1:0"), nil, s.stdout, pw)
		pw.Close()
	}()
	stopped := false
	s.stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(60 * time.Second):
			return fmt.Errorf("serve did not stop within 60 s")
		}
	}
	t.Cleanup(func() { s.stop() })
	select {
	case line := <-listening:
		s.base = "http://" + line.Addr
		if line.HTTPAddr != "" {
			s.base, s.httpAddr = "https://"+line.Addr, line.HTTPAddr
		}
	case err := <-done:
		t.Fatalf("serve ended before listening: %v\n%s", err, s.logs.String())
	case <-time.After(2 * time.Minute):
		t.Fatalf("serve did not listen within 2 minutes:\n%s", s.logs.String())
	}
	return s
}

// browserlessClient keeps cookies and does not follow redirects, so that each
// answer can be checked.
func browserlessClient(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var (
	pageCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	pageKey  = regexp.MustCompile(`data-testid="key">([A-Z0-9-]+)<`)
)

func httpDo(t *testing.T, c *http.Client, method, u string, form url.Values, contentType string, body string) (int, string) {
	t.Helper()
	var r io.Reader
	if form != nil {
		r = strings.NewReader(form.Encode())
		contentType = "application/x-www-form-urlencoded"
	} else if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, r)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestServeFlagDefaults: what a vendor gets with no flags and no environment.
func TestServeFlagDefaults(t *testing.T) {
	for _, name := range []string{"PORTAL_ADDR", "PORTAL_DATA", "PORTAL_BASE_URL", "PORTAL_BRAND", "PORTAL_SUPPORT_EMAIL",
		"PORTAL_ORDER_PREFIX", "PORTAL_REHOST_LIMIT", "PORTAL_TRUSTED_PROXIES", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_URL", "PORTAL_DATABASE_URL", "PORTAL_SIGNING_KEY", "PORTAL_PPROF_ADDR",
		"PORTAL_SELLER_NAME", "PORTAL_SELLER_ADDRESS", "PORTAL_SELLER_VAT_ID", "PORTAL_INVOICE_PREFIX", "PORTAL_SMTP_URL", "PORTAL_MAIL_FROM",
		"PORTAL_METRICS_TOKEN", "PORTAL_LANGUAGES",

		"PORTAL_DOMAIN", "PORTAL_HTTPS_ADDR", "PORTAL_HTTP_ADDR", "PORTAL_ACME_DIRECTORY", "PORTAL_ACME_CA_FILE", "PORTAL_ACME_EMAIL", "PORTAL_ACME_PROFILE",
		"PORTAL_BACKUP_DIR", "PORTAL_BACKUP_EVERY", "PORTAL_BACKUP_KEEP"} {
		t.Setenv(name, "")
	}
	cfg, err := parseServeFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Addr: "127.0.0.1:8080", DataDir: "./data", SigningKey: "data/signing-key.pem", BaseURL: "http://127.0.0.1:8080",
		Brand: "Customer Portal", SupportEmail: "support@example.com", OrderPrefix: "JWT", RehostLimit: 3,
		Seller:    domain.Seller{InvoicePrefix: "INV-"},
		Languages: i18n.Builtin(),
		SelfHost:  SelfHost{HTTPSAddr: ":443", HTTPAddr: ":80", ACMEDirectory: letsEncrypt, BackupEvery: 24 * time.Hour, BackupKeep: 7}}
	if fmt.Sprintf("%+v", cfg) != fmt.Sprintf("%+v", want) {
		t.Errorf("defaults\n got %+v\nwant %+v", cfg, want)
	}
	// The limit can be changed, by flag or environment.
	t.Setenv("PORTAL_REHOST_LIMIT", "5")
	if cfg, _ := parseServeFlags(nil, io.Discard); cfg.RehostLimit != 5 {
		t.Errorf("PORTAL_REHOST_LIMIT=5 gives %d", cfg.RehostLimit)
	}
	if cfg, _ := parseServeFlags([]string{"--rehost-limit", "2"}, io.Discard); cfg.RehostLimit != 2 {
		t.Errorf("--rehost-limit 2 gives %d", cfg.RehostLimit)
	}
}

// TestServeDefaultsLimitRehostsAndPadLogins runs the real server with no settings
// but its data folder and address, and uses it over HTTP as a customer and as the
// licensed software would: a login answers no sooner than 250 ms, and a license
// can move to another computer 3 times in a year, not a 4th.
func TestServeDefaultsLimitRehostsAndPadLogins(t *testing.T) {
	for _, name := range []string{"PORTAL_REHOST_LIMIT", "PORTAL_BASE_URL", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "PORTAL_TRUSTED_PROXIES"} {
		t.Setenv(name, "")
	}
	s := startServe(t, "serve", "--demo", "--data", t.TempDir())
	c := browserlessClient(t)

	_, page := httpDo(t, c, "GET", s.base+"/login", nil, "", "")
	m := pageCSRF.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("login page without a CSRF token: %.300s", page)
	}
	for _, pair := range [][2]string{{"marie@acme.example", "JWT100999"}, {"marie@acme.example", "JWT100234"}} {
		start := time.Now()
		status, _ := httpDo(t, c, "POST", s.base+"/login", url.Values{"email": {pair[0]}, "order": {pair[1]}, "_csrf": {m[1]}}, "", "")
		if took := time.Since(start); took < 250*time.Millisecond {
			t.Errorf("login %s answered %d after %v, sooner than the 250 ms floor", pair[1], status, took)
		}
		if want := map[string]int{"JWT100999": 401, "JWT100234": 303}[pair[1]]; status != want {
			t.Fatalf("login %s: %d, want %d", pair[1], status, want)
		}
	}

	_, page = httpDo(t, c, "GET", s.base+"/orders/JWT100234/activation-key", nil, "", "")
	k, tok := pageKey.FindStringSubmatch(page), pageCSRF.FindStringSubmatch(page)
	if k == nil || tok == nil {
		t.Fatalf("activation key page: %.500s", page)
	}
	activate := func(serial string) {
		t.Helper()
		body, _ := json.Marshal(map[string]string{"activation_key": k[1], "serial": serial})
		if status, out := httpDo(t, c, "POST", s.base+"/api/v1/activate", nil, "application/json", string(body)); status != 200 {
			t.Fatalf("activate on %s: %d %s", serial, status, out)
		}
	}
	rehost := func() (int, string) {
		t.Helper()
		return httpDo(t, c, "POST", s.base+"/licenses/JWT100234-2/rehost", url.Values{"_csrf": {tok[1]}}, "", "")
	}
	// JWT100234-2 is on ACME-SRV-01 in the demo.
	for i := 1; i <= 3; i++ {
		if status, body := rehost(); status != 200 || !strings.Contains(body, "The license was freed") {
			t.Fatalf("rehost %d: %d %.300s", i, status, body)
		}
		activate(fmt.Sprintf("PC-%d", i))
	}
	status, body := rehost()
	if status != 409 || !strings.Contains(body, "rehosted 3 times in the last 365 days") {
		t.Errorf("4th rehost in a year with the default limit: %d %.300s", status, body)
	}
	if err := s.stop(); err != nil {
		t.Errorf("serve: %v", err)
	}
}

// A mail setting that cannot work stops the start at once, and its error
// never shows the SMTP password.
func TestServeRefusesBadMailSettings(t *testing.T) {
	for _, tc := range []struct{ url, from, says string }{
		{"smtp://user:s3cret-pw@mail.vendor.example:587", "", "From"},
		{"smtp://user:s3cret-pw@mail.vendor.example", "licensing@vendor.example", "no port"},
		{"http://user:s3cret-pw@mail.vendor.example:587", "licensing@vendor.example", "smtp"},
		{"smtp://user:s3cret-pw@mail.vendor.example:587", "not an address", "From"},
	} {
		t.Setenv("PORTAL_SMTP_URL", tc.url)
		t.Setenv("PORTAL_MAIL_FROM", tc.from)
		_, err := parseServeFlags(nil, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.says) || strings.Contains(err.Error(), "s3cret-pw") {
			t.Errorf("PORTAL_SMTP_URL=%s PORTAL_MAIL_FROM=%q: %v; want a refusal naming %q, without the password", tc.url, tc.from, err, tc.says)
		}
	}
	t.Setenv("PORTAL_SMTP_URL", "smtp://user:s3cret-pw@mail.vendor.example:587")
	t.Setenv("PORTAL_MAIL_FROM", "Vendor Licensing <licensing@vendor.example>")
	if cfg, err := parseServeFlags(nil, io.Discard); err != nil || cfg.SMTPURL == "" {
		t.Errorf("good settings: %v", err)
	}
}
