// Package pebbletest finds the Pebble ACME test CA that the test command
// (scripts/test.sh) starts on 127.0.0.1 with PEBBLE_VA_ALWAYS_VALID=1, so
// that certificates are issued for any name without the CA fetching the
// challenge. Without it a test that needs it is skipped, or fails when CI is
// set: CI must run it, as with PostgreSQL (storage/postgres/pgtest).
package pebbletest

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"
	"testing"
	"time"
)

// The variables scripts/test.sh sets for Pebble.
const (
	// DirectoryVariable names the ACME directory URL.
	DirectoryVariable = "PORTAL_TEST_ACME_DIRECTORY"
	// CAFileVariable names the PEM file of the root Pebble's own API is served with.
	CAFileVariable = "PORTAL_TEST_ACME_CA_FILE"
	// ManagementVariable names Pebble's management API, which gives the root
	// its certificates chain to (/roots/0), new at each start.
	ManagementVariable = "PORTAL_TEST_ACME_MANAGEMENT"
)

// Pebble is a running Pebble.
type Pebble struct {
	Directory string
	CAFile    string
	// Roots holds the root that Pebble's certificates chain to.
	Roots *x509.CertPool
}

// Server answers the running Pebble, or skips the test (fails it under CI)
// when there is none.
func Server(t testing.TB) Pebble {
	t.Helper()
	p := Pebble{Directory: os.Getenv(DirectoryVariable), CAFile: os.Getenv(CAFileVariable)}
	management := os.Getenv(ManagementVariable)
	if p.Directory == "" || p.CAFile == "" || management == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s, %s and %s must be set: CI must run the ACME tests (scripts/test.sh starts Pebble)", DirectoryVariable, CAFileVariable, ManagementVariable)
		}
		t.Skipf("%s is not set: run scripts/test.sh, which starts Pebble", DirectoryVariable)
	}
	apiRoots := x509.NewCertPool()
	pem, err := os.ReadFile(p.CAFile)
	if err != nil || !apiRoots.AppendCertsFromPEM(pem) {
		t.Fatalf("%s=%s: %v", CAFileVariable, p.CAFile, err)
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: apiRoots}}}
	res, err := client.Get(management + "/roots/0")
	if err != nil {
		t.Fatalf("Pebble's root: %v", err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	p.Roots = x509.NewCertPool()
	if err != nil || res.StatusCode != 200 || !p.Roots.AppendCertsFromPEM(body) {
		t.Fatalf("Pebble's root: %d %v %.200s", res.StatusCode, err, body)
	}
	return p
}

// Verify checks that chain (leaf first, as a TLS server sends it) is valid
// for name and chains to Pebble's root.
func (p Pebble) Verify(t testing.TB, chain []*x509.Certificate, name string) {
	t.Helper()
	if len(chain) == 0 {
		t.Fatal("no certificate")
	}
	intermediates := x509.NewCertPool()
	for _, c := range chain[1:] {
		intermediates.AddCert(c)
	}
	if _, err := chain[0].Verify(x509.VerifyOptions{DNSName: name, Roots: p.Roots, Intermediates: intermediates}); err != nil {
		t.Errorf("the certificate does not verify for %s against Pebble's root: %v", name, err)
	}
}
