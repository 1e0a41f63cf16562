package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"portal/domain"
	"portal/i18n"
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
	// Languages are the built-in message files and those of --languages.
	Languages *i18n.Catalog
	// SelfHost: HTTPS by itself and scheduled backups.
	SelfHost
}

func parseServeFlags(args []string, stderr io.Writer) (Config, error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg Config
	fs.StringVar(&cfg.Addr, "addr", env("PORTAL_ADDR", "127.0.0.1:8080"), "listen address, without --domain (PORTAL_ADDR)")
	data := dataFlag(fs)
	database := databaseFlag(fs)
	signingKey := signingKeyFlag(fs)
	fs.StringVar(&cfg.BaseURL, "base-url", env("PORTAL_BASE_URL", ""), "public base URL, such as https://licenses.example.com (PORTAL_BASE_URL; default http://ADDR, or https://DOMAIN with --domain)")
	fs.StringVar(&cfg.Brand, "brand", env("PORTAL_BRAND", "Customer Portal"), "brand name shown on every page (PORTAL_BRAND)")
	fs.StringVar(&cfg.SupportEmail, "support-email", env("PORTAL_SUPPORT_EMAIL", "support@example.com"), "support address shown on every page (PORTAL_SUPPORT_EMAIL)")
	fs.StringVar(&cfg.OrderPrefix, "order-prefix", env("PORTAL_ORDER_PREFIX", "JWT"), "letters that begin new order numbers (PORTAL_ORDER_PREFIX)")
	proxies := fs.String("trusted-proxies", env("PORTAL_TRUSTED_PROXIES", ""), "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed (PORTAL_TRUSTED_PROXIES)")
	fs.IntVar(&cfg.RehostLimit, "rehost-limit", envInt("PORTAL_REHOST_LIMIT", 3), "rehosts allowed per license in any 365 days (PORTAL_REHOST_LIMIT)")
	fs.StringVar(&cfg.StripeAPIURL, "stripe-api-url", env("STRIPE_API_URL", ""), "another Stripe API base, such as stripe-mock (STRIPE_API_URL)")
	fs.StringVar(&cfg.PprofAddr, "pprof-addr", env("PORTAL_PPROF_ADDR", ""), "serve Go's profiler (net/http/pprof) on this loopback address, for measuring (PORTAL_PPROF_ADDR)")
	fs.BoolVar(&cfg.Demo, "demo", false, "on an empty data folder, load demo products, customers, orders and licenses; without a Stripe key, a demo payment page stands in")
	fs.BoolVar(&cfg.DemoPayments, "demo-payments", false, "without a Stripe key, let a demo payment page stand in for Stripe (never on a real portal)")
	languages := fs.String("languages", env("PORTAL_LANGUAGES", ""), "a folder of message files (it.toml, ...) that add languages or replace the built-in wording, each with every message of en.toml (PORTAL_LANGUAGES)")
	checkSelfHost := selfHostFlags(fs, &cfg.SelfHost)
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if err := checkSelfHost(); err != nil {
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
	cfg.Languages = i18n.Builtin()
	if *languages != "" {
		// Checked before anything opens: a half-translated file stops the start.
		var err error
		if cfg.Languages, err = i18n.LoadWithDir(*languages); err != nil {
			return cfg, err
		}
	}
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
	switch {
	case cfg.Domain != "" && cfg.BaseURL == "":
		cfg.BaseURL = cfg.SelfHost.baseURL()
	case cfg.Domain != "" && !strings.HasPrefix(cfg.BaseURL, "https://"):
		return cfg, fmt.Errorf("base URL %q: with --domain the portal is served over HTTPS only", cfg.BaseURL)
	case cfg.BaseURL == "":
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
