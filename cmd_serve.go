package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"portal/domain"
	"portal/handlers"
	"portal/mail"
	"portal/storage"
)

// Config is everything the portal is told at start, from flags and environment.
type Config struct {
	Addr string
	// PprofAddr serves the Go profiler, on loopback only.
	PprofAddr string
	DataDir   string
	// DatabaseURL, when set, keeps everything in PostgreSQL instead of DataDir.
	DatabaseURL string
	// SigningKey is the signing key's file (default: in DataDir).
	SigningKey   string
	BaseURL      string
	Brand        string
	SupportEmail string
	OrderPrefix  string
	Demo         bool
	// DemoPayments turns the demo payment page on without the demo data.
	DemoPayments bool
	// TrustedProxies lists reverse proxies whose X-Forwarded-For is believed.
	TrustedProxies []string
	// Stripe: with no secret key, the demo payment page stands in.
	StripeSecretKey     string
	StripeWebhookSecret string
	// SMTPURL and MailFrom send the portal's mails (PORTAL_SMTP_URL, PORTAL_MAIL_FROM).
	SMTPURL, MailFrom string
	// WebhookURL and WebhookSecret name an endpoint of the outbound events
	// (PORTAL_WEBHOOK_URL, PORTAL_WEBHOOK_SECRET); more are added on /admin/webhooks.
	WebhookURL, WebhookSecret string
	StripeAPIURL              string
	// RehostLimit is how many rehosts a license may have in any 365 days.
	RehostLimit int
	// Seller is who issues the invoices until an admin saves other details
	// (PORTAL_SELLER_*, PORTAL_INVOICE_PREFIX: environment only).
	Seller domain.Seller
	// MetricsToken turns GET /metrics on for its bearer (PORTAL_METRICS_TOKEN).
	MetricsToken string
}

func parseServeFlags(args []string, stderr io.Writer) (Config, error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg Config
	fs.StringVar(&cfg.Addr, "addr", env("PORTAL_ADDR", "127.0.0.1:8080"), "listen address (PORTAL_ADDR)")
	data := dataFlag(fs)
	database := databaseFlag(fs)
	signingKey := signingKeyFlag(fs)
	fs.StringVar(&cfg.BaseURL, "base-url", env("PORTAL_BASE_URL", ""), "public base URL, such as https://licenses.example.com (PORTAL_BASE_URL; default http://ADDR)")
	fs.StringVar(&cfg.Brand, "brand", env("PORTAL_BRAND", "Customer Portal"), "brand name shown on every page (PORTAL_BRAND)")
	fs.StringVar(&cfg.SupportEmail, "support-email", env("PORTAL_SUPPORT_EMAIL", "support@example.com"), "support address shown on every page (PORTAL_SUPPORT_EMAIL)")
	fs.StringVar(&cfg.OrderPrefix, "order-prefix", env("PORTAL_ORDER_PREFIX", "JWT"), "letters that begin new order numbers (PORTAL_ORDER_PREFIX)")
	proxies := fs.String("trusted-proxies", env("PORTAL_TRUSTED_PROXIES", ""), "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed (PORTAL_TRUSTED_PROXIES)")
	fs.IntVar(&cfg.RehostLimit, "rehost-limit", envInt("PORTAL_REHOST_LIMIT", 3), "rehosts allowed per license in any 365 days (PORTAL_REHOST_LIMIT)")
	fs.StringVar(&cfg.StripeAPIURL, "stripe-api-url", env("STRIPE_API_URL", ""), "another Stripe API base, such as stripe-mock (STRIPE_API_URL)")
	fs.StringVar(&cfg.PprofAddr, "pprof-addr", env("PORTAL_PPROF_ADDR", ""), "serve Go's profiler (net/http/pprof) on this loopback address, for measuring (PORTAL_PPROF_ADDR)")
	fs.BoolVar(&cfg.Demo, "demo", false, "on an empty data folder, load demo products, customers, orders and licenses; without a Stripe key, a demo payment page stands in")
	fs.BoolVar(&cfg.DemoPayments, "demo-payments", false, "without a Stripe key, let a demo payment page stand in for Stripe (never on a real portal)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	cfg.DataDir, cfg.DatabaseURL, cfg.SigningKey = *data, *database, *signingKey
	if cfg.SigningKey == "" {
		cfg.SigningKey = filepath.Join(cfg.DataDir, storage.SigningKeyFile)
	}
	// Secrets come from the environment only, never from flags that show in ps.
	cfg.StripeSecretKey = os.Getenv("STRIPE_SECRET_KEY")
	cfg.StripeWebhookSecret = os.Getenv("STRIPE_WEBHOOK_SECRET")
	cfg.SMTPURL, cfg.MailFrom = os.Getenv("PORTAL_SMTP_URL"), os.Getenv("PORTAL_MAIL_FROM")
	cfg.WebhookURL, cfg.WebhookSecret = os.Getenv("PORTAL_WEBHOOK_URL"), os.Getenv("PORTAL_WEBHOOK_SECRET")
	if cfg.WebhookURL != "" {
		if _, err := domain.NewWebhookEndpoint(domain.EnvWebhookID, cfg.WebhookURL, cfg.WebhookSecret, time.Now()); err != nil {
			return cfg, fmt.Errorf("PORTAL_WEBHOOK_URL and PORTAL_WEBHOOK_SECRET: %s", domain.MessageOf(err))
		}
	}
	cfg.MetricsToken = os.Getenv("PORTAL_METRICS_TOKEN")
	if cfg.SMTPURL != "" {
		// Checked before anything opens: a bad setting stops the start at once.
		if _, err := mail.NewSMTP(cfg.SMTPURL, cfg.MailFrom); err != nil {
			return cfg, err
		}
	}
	if cfg.StripeSecretKey != "" && cfg.StripeWebhookSecret == "" {
		return cfg, errors.New("STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY: without it no payment could be confirmed")
	}
	var err error
	if cfg.Seller, err = sellerFromEnv(); err != nil {
		return cfg, err
	}
	if cfg.RehostLimit < 1 || cfg.RehostLimit > 1000 {
		return cfg, fmt.Errorf("rehost limit %d must be between 1 and 1000", cfg.RehostLimit)
	}
	for _, p := range strings.Split(*proxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			_, perr := netip.ParsePrefix(p)
			_, aerr := netip.ParseAddr(p)
			if perr != nil && aerr != nil {
				return cfg, fmt.Errorf("trusted proxy %q is neither an address nor a CIDR range", p)
			}
			cfg.TrustedProxies = append(cfg.TrustedProxies, p)
		}
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://" + cfg.Addr
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if _, ok := domain.NormalizeEmail(cfg.SupportEmail); !ok {
		return cfg, fmt.Errorf("support email %q is not an email address", cfg.SupportEmail)
	}
	if prefix, ok := domain.NormalizeReference(cfg.OrderPrefix + "1"); !ok || prefix != cfg.OrderPrefix+"1" {
		return cfg, fmt.Errorf("order prefix %q must be 1 to 10 capital letters", cfg.OrderPrefix)
	}
	return cfg, nil
}

// serverMemoryLimit is the Go heap's soft limit when GOMEMLIMIT is not set.
const serverMemoryLimit = 96 << 20

// clock dates the demo; tests set it to one fixed day.
var clock = time.Now

// serveCommand reads the server's flags and runs it.
func serveCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseServeFlags(args, stderr)
	if err != nil {
		return err
	}
	return serve(ctx, cfg, stdout, stderr)
}

// serve runs the web server until ctx ends, then finishes requests in flight and
// closes the database cleanly.
func serve(ctx context.Context, cfg Config, stdout, stderr io.Writer) error {
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft limit: the collector works harder as the heap nears it, so
		// that the portal stays within a small server's memory; GOMEMLIMIT
		// sets another.
		debug.SetMemoryLimit(serverMemoryLimit)
	}
	logs := newLogWriter(stderr)
	defer logs.Close()
	log := newLogger(logs)
	signingKey, err := serverSigningKey(cfg, log)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg.DataDir, cfg.DatabaseURL, log)
	if err != nil {
		return err
	}
	defer func() {
		if err := store.Close(); err != nil {
			log.Error("closing the store", "error", err.Error())
		}
	}()

	if cfg.Demo {
		if err := loadDemo(ctx, store, stdout, clock()); err != nil {
			return err
		}
	}
	// Orders stored before invoices existed get theirs now, once: opening an
	// invoice never writes.
	prefix, err := invoicePrefix(ctx, store)
	if err != nil {
		return err
	}
	if n, err := store.NumberInvoices(ctx, prefix); err != nil {
		return err
	} else if n > 0 {
		log.Info("issued the invoices of orders stored before invoices existed", "orders", n)
	}

	pay := choosePayments(cfg, log)
	counts := chooseMetrics(cfg, store, log)
	mailer, outbox, err := chooseMail(ctx, cfg, store, counts, log)
	if err != nil {
		return err
	}
	hooks, err := startWebhooks(ctx, cfg, store, counts, log)
	if err != nil {
		return err
	}

	h := handlers.New(handlers.Config{
		BaseURL:        cfg.BaseURL,
		OrderPrefix:    cfg.OrderPrefix,
		Seller:         cfg.Seller,
		Payments:       pay,
		Mail:           mailer,
		Webhooks:       hooks,
		DemoOutbox:     outbox,
		Brand:          cfg.Brand,
		SupportEmail:   cfg.SupportEmail,
		Secure:         strings.HasPrefix(cfg.BaseURL, "https://"),
		LoginFloor:     250 * time.Millisecond,
		TrustedProxies: cfg.TrustedProxies,
		SigningKey:     signingKey,
		Rehost:         domain.RehostPolicy{Limit: cfg.RehostLimit, Window: 365 * 24 * time.Hour},
		Log:            log,
		Metrics:        counts,
		MetricsToken:   cfg.MetricsToken,
	}, store)
	app := h.App()
	go forgetUnpaidPurchases(ctx, store, log)

	if cfg.PprofAddr != "" {
		if err := servePprof(cfg.PprofAddr, store, log); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	log.Info("portal listening", "addr", ln.Addr().String(), "base_url", cfg.BaseURL, "store", describeStore(cfg.DataDir, cfg.DatabaseURL))
	fmt.Fprintf(stdout, "Portal running at %s (Ctrl+C stops it)\n", cfg.BaseURL)

	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	if err := app.ShutdownWithTimeout(20 * time.Second); err != nil {
		log.Error("shutdown", "error", err.Error())
	}
	return <-served
}

// forgetUnpaidPurchases deletes, every hour while the server runs, the purchases
// that were never paid and whose time to be kept has passed.
func forgetUnpaidPurchases(ctx context.Context, store portalStore, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := store.ForgetUnpaidPurchases(ctx, time.Now()); err != nil {
			log.Error("forgetting unpaid purchases", "error", err.Error())
		} else if n > 0 {
			log.Info("forgot unpaid purchases", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// serverSigningKey loads the license-signing key. On a data folder of its own a
// portal makes one on first start; instances that share a database must all be
// given the same file, so there a missing file stops the start rather than
// making a key that the others would not have.
func serverSigningKey(cfg Config, log *slog.Logger) (ed25519.PrivateKey, error) {
	key, created, err := storage.LoadSigningKey(cfg.SigningKey, cfg.DatabaseURL == "")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no signing key at %s: make one with \"portal keygen %s\" and give the same file to every instance (--signing-key)", cfg.SigningKey, cfg.SigningKey)
	}
	if err != nil {
		return nil, err
	}
	if created {
		log.Info("made a new license signing key", "file", cfg.SigningKey)
	}
	return key, nil
}
