// Package autotls serves the portal over HTTPS by itself (PRODUCT.md section
// 17): a certificate for one domain, obtained and renewed over ACME by
// certmagic and kept in the portal's own store, and the plain-HTTP side that
// answers the ACME HTTP challenge and sends everything else to HTTPS.
//
// certmagic rather than x/crypto/acme/autocert: its Storage has locks, which
// the store keeps (a row with an expiry in PostgreSQL), so instances sharing
// a database obtain a certificate once and share it, where autocert's Cache
// has no locking and each instance would order its own; and it renews on a
// schedule, with ACME Renewal Information, rather than at a handshake.
package autotls

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/caddyserver/certmagic"
)

// Config is what the certificates are made from.
type Config struct {
	Domain string
	// Directory is the ACME CA's directory URL.
	Directory string
	// CAFile, if set, holds the PEM roots that the CA's own API is served
	// with, for a private or test CA; otherwise the system's roots.
	CAFile string
	// Email is the ACME account's contact (optional).
	Email string
	// HTTPAddr and HTTPSAddr are where the portal listens: certmagic is told
	// them, so that it answers challenges through the portal's listeners
	// instead of opening ports of its own.
	HTTPAddr, HTTPSAddr string
	Files               Files
	Log                 *slog.Logger

	// Profile is the CA's certificate profile to ask for; empty is the CA's default.
	Profile string

	// Tests shorten the renewal: how often certificates are checked, and the
	// part of a certificate's lifetime left when it is renewed. Zero means
	// certmagic's defaults (every 10 minutes; a third).
	RenewCheckInterval time.Duration
	RenewalWindowRatio float64
}

// Manager holds the certificate of one domain.
type Manager struct {
	domain string
	magic  *certmagic.Config
	issuer *certmagic.ACMEIssuer
	cache  *certmagic.Cache
	// httpsBase is where the HTTP side sends its visitors.
	httpsBase string
}

// New prepares the certificate's management; Start begins it.
func New(cfg Config) (*Manager, error) {
	roots, err := caRoots(cfg.CAFile)
	if err != nil {
		return nil, err
	}
	httpHost, httpPort, err := hostPort(cfg.HTTPAddr)
	if err != nil {
		return nil, err
	}
	_, httpsPort, err := hostPort(cfg.HTTPSAddr)
	if err != nil {
		return nil, err
	}
	logger := zapToSlog(cfg.Log.With("component", "acme"))
	var magic *certmagic.Config
	cache := certmagic.NewCache(certmagic.CacheOptions{
		GetConfigForCert:   func(certmagic.Certificate) (*certmagic.Config, error) { return magic, nil },
		RenewCheckInterval: cfg.RenewCheckInterval,
		Logger:             logger,
	})
	magic = certmagic.New(cache, certmagic.Config{
		Storage:            NewStorage(cfg.Files, cfg.Log.With("component", "acme")),
		RenewalWindowRatio: cfg.RenewalWindowRatio,
		// A client that names no server (one that dials the address) still
		// gets the domain's certificate.
		DefaultServerName: cfg.Domain,
		Logger:            logger,
	})
	template := certmagic.ACMEIssuer{
		CA:     cfg.Directory,
		Email:  cfg.Email,
		Agreed: true,
		// Only the HTTP challenge, answered on the portal's HTTP listener:
		// that is what section 17 opens port 80 for.
		DisableTLSALPNChallenge: true,
		ListenHost:              httpHost,
		AltHTTPPort:             httpPort,
		AltTLSALPNPort:          httpsPort,
		TrustedRoots:            roots,
		Profile:                 cfg.Profile,
		Logger:                  logger,
	}
	if cfg.Directory != certmagic.LetsEncryptProductionCA {
		// certmagic retries a failing order against a test CA, Let's
		// Encrypt's staging by default: another CA is its own test CA.
		template.TestCA = cfg.Directory
	}
	issuer := certmagic.NewACMEIssuer(magic, template)
	magic.Issuers = []certmagic.Issuer{issuer}
	base := "https://" + cfg.Domain
	if httpsPort != 443 {
		base = "https://" + net.JoinHostPort(cfg.Domain, strconv.Itoa(httpsPort))
	}
	return &Manager{domain: cfg.Domain, magic: magic, issuer: issuer, cache: cache, httpsBase: base}, nil
}

// Start loads the domain's certificate from the store, or obtains one in the
// background (the HTTP side must be listening for the challenge), and renews
// it until ctx ends. HTTPS handshakes fail until a certificate is there.
func (m *Manager) Start(ctx context.Context) error {
	if err := m.magic.ManageAsync(ctx, []string{m.domain}); err != nil {
		return fmt.Errorf("certificate for %s: %w", m.domain, err)
	}
	go func() {
		<-ctx.Done()
		m.cache.Stop()
	}()
	return nil
}

// TLSConfig is the HTTPS listener's: the managed certificate, TLS 1.2 or
// newer, and HTTP/1.1 only (the server speaks no HTTP/2, so it must not offer it).
func (m *Manager) TLSConfig() *tls.Config {
	return &tls.Config{
		GetCertificate: m.magic.GetCertificate,
		NextProtos:     []string{"http/1.1"},
		MinVersion:     tls.VersionTLS12,
	}
}

// HTTPHandler answers plain HTTP: the ACME HTTP challenge (also one that
// another instance started, from the shared store), and a permanent redirect
// to the same path on HTTPS for everything else. The redirect names the
// configured domain, never the request's Host, so that it cannot be turned
// to another site.
func (m *Manager) HTTPHandler() http.Handler {
	return m.issuer.HTTPChallengeHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", m.httpsBase+r.URL.RequestURI())
		w.Header().Set("Connection", "close")
		// 308 keeps the method and body, as 301 need not.
		w.WriteHeader(http.StatusPermanentRedirect)
	}))
}

func caRoots(file string) (*x509.CertPool, error) {
	if file == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("ACME CA roots: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, errors.New("ACME CA roots: " + file + " holds no PEM certificate")
	}
	return pool, nil
}

func hostPort(addr string) (string, int, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	n, err := strconv.Atoi(port)
	if err != nil {
		return "", 0, fmt.Errorf("listen address %q: the port must be a number", addr)
	}
	return host, n, nil
}
