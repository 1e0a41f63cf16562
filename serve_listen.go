package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"portal/autotls"
)

// listeners are where the portal answers: plain HTTP on --addr, or with
// --domain HTTPS on --https-addr and, on --http-addr, the ACME challenge and
// the redirect to HTTPS.
type listeners struct {
	app  net.Listener
	http net.Listener
}

// openListeners opens the portal's ports before anything else starts, so
// that a port in use stops the start at once. A base URL made from a port the
// system picks (":0", in tests) gets the port it picked.
func openListeners(cfg *Config) (listeners, error) {
	if cfg.Domain == "" {
		ln, err := net.Listen("tcp", cfg.Addr)
		if err != nil {
			return listeners{}, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
		}
		return listeners{app: ln}, nil
	}
	httpsLn, err := net.Listen("tcp", cfg.HTTPSAddr)
	if err != nil {
		return listeners{}, fmt.Errorf("listen on %s (--https-addr): %w", cfg.HTTPSAddr, err)
	}
	httpLn, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		httpsLn.Close()
		return listeners{}, fmt.Errorf("listen on %s (--http-addr): %w", cfg.HTTPAddr, err)
	}
	if cfg.BaseURL == cfg.SelfHost.baseURL() {
		picked := cfg.SelfHost
		picked.HTTPSAddr = httpsLn.Addr().String()
		cfg.BaseURL = picked.baseURL()
	}
	return listeners{app: httpsLn, http: httpLn}, nil
}

func (l listeners) Close() {
	for _, ln := range []net.Listener{l.app, l.http} {
		if ln != nil {
			ln.Close()
		}
	}
}

// serve answers on the listeners until ctx ends, then finishes the requests
// in flight.
func (l listeners) serve(ctx context.Context, cfg Config, app *fiber.App, store portalStore, log *slog.Logger, stdout io.Writer) error {
	appLn, plain := l.app, (*http.Server)(nil)
	if cfg.Domain != "" {
		certs, err := autotls.New(autotls.Config{
			Domain: cfg.Domain, Directory: cfg.ACMEDirectory, CAFile: cfg.ACMECAFile, Email: cfg.ACMEEmail, Profile: cfg.ACMEProfile,
			HTTPAddr: l.http.Addr().String(), HTTPSAddr: l.app.Addr().String(), Files: store, Log: log,
		})
		if err != nil {
			return err
		}
		plain = &http.Server{Handler: certs.HTTPHandler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
			WriteTimeout: 30 * time.Second, IdleTimeout: time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
		go plain.Serve(l.http)
		// The challenge is answered on the HTTP listener, open from here on.
		if err := certs.Start(ctx); err != nil {
			return err
		}
		appLn = tls.NewListener(l.app, certs.TLSConfig())
		log.Info("HTTPS by itself", "domain", cfg.Domain, "acme_directory", cfg.ACMEDirectory,
			"http_addr", l.http.Addr().String(), "note", "a certificate is obtained in the background when the store has none")
	}
	attrs := []any{"addr", l.app.Addr().String(), "base_url", cfg.BaseURL, "store", describeStore(cfg.DataDir, cfg.DatabaseURL)}
	if l.http != nil {
		attrs = append(attrs, "http_addr", l.http.Addr().String())
	}
	log.Info("portal listening", attrs...)
	fmt.Fprintf(stdout, "Portal running at %s (Ctrl+C stops it)\n", cfg.BaseURL)

	served := make(chan error, 1)
	go func() { served <- app.Listener(appLn) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	if plain != nil {
		stop, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		plain.Shutdown(stop)
	}
	if err := app.ShutdownWithTimeout(20 * time.Second); err != nil {
		log.Error("shutdown", "error", err.Error())
	}
	return <-served
}
