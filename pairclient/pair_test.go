package pairclient_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"portal/domain"
	"portal/pairclient"
)

func request(p *portalStandIn) pairclient.Request {
	return pairclient.Request{Base: p.base, Software: "Remote Work", Serial: "PC-9", Hostname: "build-01"}
}

// inProcess carries requests to the stand-in without a network, so that the
// polling can run in a synctest bubble, whose clock jumps ahead whenever every
// goroutine waits: the 6 s between polls after a slow_down take no real time.
type inProcess struct{ handler http.Handler }

func (t inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.handler.ServeHTTP(rec, r.Clone(r.Context()))
	return rec.Result(), nil
}

// TestPairOK pairs over HTTP with the stand-in, the key fetched from it, and
// checks what the person sees: the code, the link, a QR code of the link with
// the code, and the result with the key masked.
func TestPairOK(t *testing.T) {
	t.Parallel()
	p := newPortalStandIn(t, "approve").serve()
	var out bytes.Buffer
	result, err := pairclient.Pair(context.Background(), request(p), &out)
	if err != nil {
		t.Fatalf("Pair: %v\n%s", err, out.String())
	}
	if software, serial, hostname := p.askedBy(); software != "Remote Work" || serial != "PC-9" || hostname != "build-01" {
		t.Errorf("the portal was asked by client_id %q, serial %q, hostname %q", software, serial, hostname)
	}
	if result.ActivationKey != standInActivationKey || result.KeyURL != p.base+"/api/v1/public-key" {
		t.Errorf("key %q checked with the key of %q", result.ActivationKey, result.KeyURL)
	}
	want := domain.DocumentLicense{ID: "JWT100234-1", Software: "Remote Work", Edition: "Standard", Users: 5,
		SupportStart: "2026-03-14", SupportEnd: "2027-03-14", Version: 2}
	if got := result.License; got.Serial != "PC-9" || got.OrderRef != "JWT100234" || !slices.Equal(got.Licenses, []domain.DocumentLicense{want}) {
		t.Errorf("license %+v", got)
	}

	prompt := out.String()
	for _, shown := range []string{"\n    WDJB-MJHT\n", "\n    " + p.base + "/pair\n", "opens " + p.base + "/pair?code=WDJB-MJHT\n",
		"Remote Work, serial PC-9, host build-01", "the code expires in 10 minutes"} {
		if !strings.Contains(prompt, shown) {
			t.Errorf("the prompt does not show %q:\n%s", shown, prompt)
		}
	}
	if got := decodeQR(t, prompt); got != p.base+"/pair?code=WDJB-MJHT" {
		t.Errorf("the QR code opens %q", got)
	}

	out.Reset()
	if err := pairclient.WriteResult(&out, result); err != nil {
		t.Fatal(err)
	}
	shown := out.String()
	for _, want := range []string{"Paired: serial PC-9, order JWT100234, license issued ", "Activation key: …4HTA",
		"checked with the public key from " + p.base + "/api/v1/public-key", "  Remote Work Standard, 5 users, support until 2027-03-14\n"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the result does not show %q:\n%s", want, shown)
		}
	}
	if strings.Contains(shown, standInActivationKey) {
		t.Errorf("the result shows the whole key:\n%s", shown)
	}
}

// TestPairRefuses runs each way a pairing can fail, and checks that the answer
// says which. It runs on the fake clock (see inProcess): over HTTP each case
// would wait a real second for its first poll.
func TestPairRefuses(t *testing.T) {
	_, otherKey, _ := ed25519.GenerateKey(nil)
	cases := []struct {
		name    string
		answers []string
		prepare func(*portalStandIn, *pairclient.Request)
		want    error
		says    string
	}{
		{"ChangedAfterSigning", []string{"approve"}, func(p *portalStandIn, _ *pairclient.Request) {
			p.tamper = func(doc *domain.LicenseDocument) {
				payload, _ := base64.StdEncoding.DecodeString(doc.Payload)
				doc.Payload = base64.StdEncoding.EncodeToString(bytes.Replace(payload, []byte(`"users":5`), []byte(`"users":500`), 1))
			}
		}, pairclient.ErrUntrusted, "signature does not match"},
		{"SignedByAnotherKey", []string{"approve"}, func(_ *portalStandIn, req *pairclient.Request) {
			req.PublicKey = otherKey.Public().(ed25519.PublicKey)
		}, pairclient.ErrUntrusted, "signature does not match"},
		{"AnotherSerial", []string{"approve"}, func(p *portalStandIn, _ *pairclient.Request) {
			p.documentSerial = "PC-OTHER"
		}, pairclient.ErrUntrusted, `for serial "PC-OTHER", not "PC-9"`},
		{"NoDocument", []string{"approve"}, func(p *portalStandIn, _ *pairclient.Request) {
			p.tamper = func(doc *domain.LicenseDocument) { *doc = domain.LicenseDocument{} }
		}, pairclient.ErrUntrusted, "unsupported signature algorithm"},
		{"CustomerRefused", []string{"authorization_pending", "access_denied"}, nil, pairclient.ErrDenied, "the customer refused"},
		{"CodeExpired", []string{"expired_token"}, nil, pairclient.ErrExpired, "the code expired: run again"},
		{"CodeUnknown", []string{"invalid_grant"}, nil, pairclient.ErrRefused, "the portal refused the code: invalid_grant"},
		{"NoSerial", []string{"approve"}, func(_ *portalStandIn, req *pairclient.Request) { req.Serial = " " }, nil, "the serial must be"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p := newPortalStandIn(t, tc.answers...)
				req := request(p)
				req.HTTPClient = &http.Client{Transport: inProcess{p}}
				if tc.prepare != nil {
					tc.prepare(p, &req)
				}
				_, err := pairclient.Pair(t.Context(), req, new(bytes.Buffer))
				if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) || !strings.Contains(err.Error(), tc.says) {
					t.Errorf("got %v; want %v saying %q", err, tc.want, tc.says)
				}
			})
		})
	}
}

// TestPairUnreachable: a portal that cannot be reached is said to be so, for
// the public key and for the pairing request.
func TestPairUnreachable(t *testing.T) {
	t.Parallel()
	p := newPortalStandIn(t).serve()
	closed := httptest.NewServer(p)
	closed.Close()
	for name, pub := range map[string]ed25519.PublicKey{"KeyFetched": nil, "KeyGiven": p.publicKey()} {
		t.Run(name, func(t *testing.T) {
			req := request(p)
			req.Base, req.PublicKey = closed.URL, pub
			_, err := pairclient.Pair(context.Background(), req, new(bytes.Buffer))
			if !errors.Is(err, pairclient.ErrUnreachable) || !strings.Contains(err.Error(), "cannot reach the portal at "+closed.URL) {
				t.Errorf("got %v", err)
			}
		})
	}
}

// TestPairPolling checks the waiting itself on a fake clock: the interval the
// portal gives, 5 s more for good after a slow_down, the code expiring while
// waiting, and Ctrl+C (the context cancelled) stopping it.
func TestPairPolling(t *testing.T) {
	cases := []struct {
		name      string
		answers   []string
		expiresIn int
		stopAfter time.Duration // cancel the context then; 0: never
		want      error
		gaps      []time.Duration // between polls; nil: not checked
		took      time.Duration
	}{
		{"PendingThenApproved", []string{"authorization_pending", "authorization_pending", "approve"}, 600, 0, nil,
			[]time.Duration{time.Second, time.Second, time.Second}, 3 * time.Second},
		{"SlowDownHonoured", []string{"slow_down", "authorization_pending", "approve"}, 600, 0, nil,
			[]time.Duration{time.Second, 6 * time.Second, 6 * time.Second}, 13 * time.Second},
		{"ExpiresWhileWaiting", []string{"authorization_pending"}, 3, 0, pairclient.ErrExpired, nil, 3 * time.Second},
		{"Stopped", []string{"authorization_pending"}, 600, 2500 * time.Millisecond, pairclient.ErrStopped,
			[]time.Duration{time.Second, time.Second}, 2500 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p := newPortalStandIn(t, tc.answers...)
				p.expiresIn = tc.expiresIn
				req := request(p)
				req.HTTPClient = &http.Client{Transport: inProcess{p}}
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				if tc.stopAfter > 0 {
					time.AfterFunc(tc.stopAfter, cancel)
				}
				start := time.Now()
				_, err := pairclient.Pair(ctx, req, new(bytes.Buffer))
				if !errors.Is(err, tc.want) {
					t.Errorf("got %v; want %v", err, tc.want)
				}
				if took := time.Since(start); took != tc.took {
					t.Errorf("took %v; want %v", took, tc.took)
				}
				if gaps := p.pollGaps(); tc.gaps != nil && !slices.Equal(gaps, tc.gaps) {
					t.Errorf("polled after %v; want %v", gaps, tc.gaps)
				}
			})
		})
	}
}
