package pairclient_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"portal/domain"
)

// portalStandIn is the server's stand-in for this client's unit tests: it
// speaks PRODUCT.md section 13's contract on the wire (form-encoded requests,
// the device authorization answer, 400 {"error"} while waiting, the key and the
// signed document once) with decisions scripted by the test. The real portal
// is tested end to end with the server.
type portalStandIn struct {
	t         *testing.T
	base      string
	key       ed25519.PrivateKey // signs the license documents
	interval  int                // seconds, as the device authorization answers it
	expiresIn int                // seconds
	// answers are what the polls get in turn: authorization_pending, slow_down,
	// access_denied, expired_token, invalid_grant, or approve; the last repeats.
	answers []string
	// documentSerial names another serial in the document; empty: the one asked.
	documentSerial string
	// tamper changes the document after it was signed.
	tamper func(*domain.LicenseDocument)

	mu                         sync.Mutex
	software, serial, hostname string
	asked                      time.Time     // when the device authorization was answered
	enforced                   time.Duration // the interval the client is held to
	lastPoll                   time.Time
	polls                      []time.Time
	scripted                   int // polls answered from answers
	collected                  bool
}

// pollSlack is how much earlier than the interval a poll may arrive.
const pollSlack = 500 * time.Millisecond

const (
	standInDeviceCode    = "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS"
	standInUserCode      = "WDJB-MJHT"
	standInActivationKey = "RWK-7M2Q-X9PD-4HTA"
)

func newPortalStandIn(t *testing.T, answers ...string) *portalStandIn {
	_, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &portalStandIn{t: t, base: "http://portal.test", key: key, interval: 1, expiresIn: 600, answers: answers}
}

// serve starts the stand-in on a loopback port; it is closed with the test.
func (p *portalStandIn) serve() *portalStandIn {
	srv := httptest.NewServer(p)
	p.t.Cleanup(srv.Close)
	p.base = srv.URL
	return p
}

func (p *portalStandIn) publicKey() ed25519.PublicKey { return p.key.Public().(ed25519.PublicKey) }

func (p *portalStandIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch r.Method + " " + r.URL.Path {
	case "GET /api/v1/public-key":
		answer(w, http.StatusOK, map[string]string{"alg": domain.DocumentAlg,
			"public_key": base64.StdEncoding.EncodeToString(p.publicKey())})
	case "POST /api/v1/pair":
		p.deviceAuthorization(w, p.form(r))
	case "POST /api/v1/pair/token":
		p.token(w, p.form(r))
	default:
		answer(w, http.StatusNotFound, map[string]string{"error": "not found"})
	}
}

// form reads a request as RFC 8628 sends it: form-encoded.
func (p *portalStandIn) form(r *http.Request) *http.Request {
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		p.t.Errorf("%s sent as %q, want form-encoded", r.URL.Path, ct)
	}
	if err := r.ParseForm(); err != nil {
		p.t.Errorf("%s: %v", r.URL.Path, err)
	}
	return r
}

func (p *portalStandIn) deviceAuthorization(w http.ResponseWriter, r *http.Request) {
	p.software, p.serial, p.hostname = r.PostFormValue("client_id"), r.PostFormValue("serial"), r.PostFormValue("hostname")
	if p.software == "" || p.serial == "" {
		answer(w, http.StatusBadRequest, map[string]string{"error": "client_id and serial are needed"})
		return
	}
	p.asked = time.Now()
	p.enforced, p.lastPoll = time.Duration(p.interval)*time.Second, p.asked
	answer(w, http.StatusOK, map[string]any{
		"device_code":               standInDeviceCode,
		"user_code":                 standInUserCode,
		"verification_uri":          p.base + "/pair",
		"verification_uri_complete": p.base + "/pair?code=" + standInUserCode,
		"expires_in":                p.expiresIn,
		"interval":                  p.interval,
	})
}

func (p *portalStandIn) token(w http.ResponseWriter, r *http.Request) {
	if g := r.PostFormValue("grant_type"); g != "urn:ietf:params:oauth:grant-type:device_code" {
		p.t.Errorf("grant_type %q", g)
	}
	if c := r.PostFormValue("client_id"); c != p.software {
		p.t.Errorf("client_id %q on the token endpoint, %q on the device authorization", c, p.software)
	}
	if r.PostFormValue("device_code") != standInDeviceCode {
		answer(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
		return
	}
	now := time.Now()
	p.polls = append(p.polls, now)
	// A client's polls are spaced by its own ticker, so their arrival wanders by
	// the requests' latency: held to the exact interval, a loopback poll landed
	// a millisecond early in one run of eight and was slowed down for nothing.
	tooEarly := now.Sub(p.lastPoll) < p.enforced-pollSlack
	p.lastPoll = now
	var next string
	switch {
	case p.collected:
		next = "expired_token"
	case tooEarly:
		next = "slow_down"
	default:
		next = p.answers[min(p.scripted, len(p.answers)-1)]
		p.scripted++
	}
	if next == "slow_down" {
		p.enforced += 5 * time.Second // for good, as RFC 8628 §3.5 says
	}
	if next != "approve" {
		answer(w, http.StatusBadRequest, map[string]string{"error": next})
		return
	}
	p.collected = true
	answer(w, http.StatusOK, map[string]any{"access_token": standInActivationKey, "token_type": "N_A",
		"activation_key": standInActivationKey, "license": p.document()})
}

// document signs, with the project's own code, the license that the portal
// would send for the serial asked.
func (p *portalStandIn) document() domain.LicenseDocument {
	serial := p.serial
	if p.documentSerial != "" {
		serial = p.documentSerial
	}
	l := domain.License{ID: "JWT100234-1", Software: p.software, Edition: "Standard", Users: 5, Serial: serial,
		SupportStart: time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), SupportEnd: time.Date(2027, 3, 14, 0, 0, 0, 0, time.UTC), Version: 2}
	doc, err := domain.Sign(p.key, domain.NewDocumentPayload(domain.DocKindLicense, "JWT100234", serial, []domain.License{l}, time.Now()))
	if err != nil {
		p.t.Error(err)
	}
	if p.tamper != nil {
		p.tamper(&doc)
	}
	return doc
}

// askedBy answers what the device authorization said about the computer.
func (p *portalStandIn) askedBy() (software, serial, hostname string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.software, p.serial, p.hostname
}

// pollGaps says how long the client waited before each poll: after the device
// authorization for the first, after the previous poll for the others.
func (p *portalStandIn) pollGaps() []time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	var gaps []time.Duration
	last := p.asked
	for _, at := range p.polls {
		gaps = append(gaps, at.Sub(last))
		last = at
	}
	return gaps
}

func answer(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}
