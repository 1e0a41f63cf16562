package autotls_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"portal/autotls"
	"portal/autotls/pebbletest"
)

// instance is one portal's HTTPS side, as serve wires it: the HTTP listener
// answering the challenge and redirecting, the HTTPS listener with the
// manager's TLS configuration.
type instance struct {
	httpsAddr, httpAddr string
}

func startInstance(t *testing.T, pebble pebbletest.Pebble, files autotls.Files, domain string, tune func(*autotls.Config)) instance {
	t.Helper()
	httpLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	httpsLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := autotls.Config{Domain: domain, Directory: pebble.Directory, CAFile: pebble.CAFile, Email: "ops@vendor.example",
		HTTPAddr: httpLn.Addr().String(), HTTPSAddr: httpsLn.Addr().String(), Files: files, Log: quiet(),
		// Pebble picks one of its profiles at random when none is asked for.
		Profile: "default"}
	if tune != nil {
		tune(&cfg)
	}
	m, err := autotls.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	plain := &http.Server{Handler: m.HTTPHandler()}
	// Handshakes fail until the certificate is there: not worth a line each.
	secure := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("portal")) }),
		ErrorLog: log.New(io.Discard, "", 0)}
	go plain.Serve(httpLn)
	go secure.Serve(tls.NewListener(httpsLn, m.TLSConfig()))
	t.Cleanup(func() { cancel(); plain.Close(); secure.Close() })
	if err := m.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return instance{httpsAddr: httpsLn.Addr().String(), httpAddr: httpLn.Addr().String()}
}

// served dials addr as a browser would reach name there, checking the
// certificate against Pebble's root, until the instance has one; it answers
// the leaf.
func served(t *testing.T, pebble pebbletest.Pebble, addr, name string, differentFrom *x509.Certificate) *x509.Certificate {
	t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	var lastErr error
	for time.Now().Before(deadline) {
		conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr, &tls.Config{ServerName: name, RootCAs: pebble.Roots})
		if err == nil {
			state := conn.ConnectionState()
			conn.Close()
			pebble.Verify(t, state.PeerCertificates, name)
			leaf := state.PeerCertificates[0]
			if differentFrom == nil || leaf.SerialNumber.Cmp(differentFrom.SerialNumber) != 0 {
				return leaf
			}
		}
		lastErr = err
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no (new) certificate for %s on %s within 45 s: %v", name, addr, lastErr)
	return nil
}

// A certificate is obtained from the CA for the domain and verifies against
// the CA's root; the plain-HTTP side redirects permanently to HTTPS on the
// domain (never to the Host the request named).
func TestObtainsACertificateAndRedirects(t *testing.T) {
	pebble := pebbletest.Server(t)
	files, _ := backends[0].open(t)
	in := startInstance(t, pebble, files, "portal.example.com", nil)
	leaf := served(t, pebble, in.httpsAddr, "portal.example.com", nil)
	if !slicesHas(leaf.DNSNames, "portal.example.com") {
		t.Errorf("certificate names %v", leaf.DNSNames)
	}
	// A client that names no server still gets the domain's certificate.
	conn, err := tls.Dial("tcp", in.httpsAddr, &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatalf("a handshake without a server name: %v", err)
	}
	if got := conn.ConnectionState().PeerCertificates[0].SerialNumber; got.Cmp(leaf.SerialNumber) != 0 {
		t.Error("a handshake without a server name got another certificate")
	}
	conn.Close()

	_, port, _ := net.SplitHostPort(in.httpsAddr)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, method := range []string{"GET", "POST", "HEAD"} {
		req, _ := http.NewRequest(method, "http://"+in.httpAddr+"/orders/JWT100234?x=1", strings.NewReader("a=b"))
		req.Host = "evil.example"
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		want := "https://portal.example.com:" + port + "/orders/JWT100234?x=1"
		if res.StatusCode != http.StatusPermanentRedirect && res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
			t.Errorf("%s over HTTP: %d to %q, want a permanent redirect to %s", method, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
}

// A short-lived certificate is renewed before it ends, and the new one is
// what the HTTPS listener then serves.
func TestRenewsAShortLivedCertificate(t *testing.T) {
	pebble := pebbletest.Server(t)
	files, _ := backends[0].open(t)
	in := startInstance(t, pebble, files, "renew.example.com", func(c *autotls.Config) {
		c.Profile = "shortlived" // 20 s (scripts/test.sh's Pebble configuration)
		c.RenewCheckInterval = 250 * time.Millisecond
		c.RenewalWindowRatio = 0.9 // renewed 2 s after it was issued
	})
	first := served(t, pebble, in.httpsAddr, "renew.example.com", nil)
	if life := first.NotAfter.Sub(first.NotBefore); life > time.Minute {
		t.Fatalf("certificate valid for %v: Pebble's shortlived profile is missing", life)
	}
	renewed := served(t, pebble, in.httpsAddr, "renew.example.com", first)
	if !renewed.NotBefore.After(first.NotBefore) && !renewed.NotAfter.After(first.NotAfter) {
		t.Errorf("the new certificate (%v–%v) is not newer than the first (%v–%v)", renewed.NotBefore, renewed.NotAfter, first.NotBefore, first.NotAfter)
	}
}

// A second instance on the same PostgreSQL database serves the certificate
// the first obtained, from the store, without asking the CA: had it asked,
// Pebble would have issued another serial number. (Both instances here run
// in one process, where certmagic also queues same-name orders itself; the
// lock that keeps separate processes from ordering twice is tested in
// TestStorageLocksAcrossInstances and the store suites.)
func TestASecondInstanceTakesTheCertificateFromTheStore(t *testing.T) {
	pebble := pebbletest.Server(t)
	filesA, another := backends[1].open(t)
	a := startInstance(t, pebble, filesA, "shared.example.com", nil)
	first := served(t, pebble, a.httpsAddr, "shared.example.com", nil)
	b := startInstance(t, pebble, another(), "shared.example.com", nil)
	second := served(t, pebble, b.httpsAddr, "shared.example.com", nil)
	if first.SerialNumber.Cmp(second.SerialNumber) != 0 {
		t.Errorf("the instances serve two certificates (serials %x and %x)", first.SerialNumber, second.SerialNumber)
	}
}

func slicesHas(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
