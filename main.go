// Command portal is a self-hosted customer license portal: customers sign in with
// their purchase email and an order number to see their orders and licenses.
//
// Usage:
//
//	portal [serve] [--demo] [flags]   start the web server (the default command)
//	portal import FILE                import products and orders (JSON Lines; - for stdin)
//
// Every command reads the data folder from --data or PORTAL_DATA.
package main

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"portal/domain"
	"portal/handlers"
	"portal/payments"
	"portal/storage"
)

// Config is everything the portal is told at start, from flags and environment.
type Config struct {
	Addr         string
	DataDir      string
	BaseURL      string
	Brand        string
	SupportEmail string
	OrderPrefix  string
	Demo         bool
	// TrustedProxies lists reverse proxies whose X-Forwarded-For is believed.
	TrustedProxies []string
	// Stripe: with no secret key, the demo payment page stands in.
	StripeSecretKey     string
	StripeWebhookSecret string
	StripeAPIURL        string
	// RehostLimit is how many rehosts a license may have in any 365 days.
	RehostLimit int
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		var exit exitError
		if errors.As(err, &exit) {
			os.Exit(int(exit))
		}
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(1)
	}
}

// Test hooks. afterAnswer runs once a command has written its answer and before
// it closes the data folder, so that a test can kill the process at that moment;
// clock dates the demo. Nothing else sets them.
var (
	afterAnswer = func() {}
	clock       = time.Now
)

// exitError ends the program with a status after the command has said why itself.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	command := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		command, args = args[0], args[1:]
	}
	switch command {
	case "serve":
		cfg, err := parseServeFlags(args, stderr)
		if err != nil {
			return err
		}
		return serve(ctx, cfg, stdout, stderr)
	case "import":
		return importCommand(ctx, args, stdin, stdout, stderr)
	case "verify":
		return verifyCommand(args, stdout, stderr)
	case "export":
		return exportCommand(ctx, args, stdout, stderr)
	case "backup":
		return backupCommand(args, stdout, stderr)
	case "restore":
		return restoreCommand(args, stdin, stdout, stderr)
	case "user":
		return userCommand(ctx, args, stdin, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", command)
	}
}

const usage = `Usage:
  portal [serve] [--demo] [flags]   start the portal (default command)
  portal import [--data DIR] FILE   import products and orders from JSON Lines (- reads stdin)
  portal verify [--data DIR | --public-key B64] FILE
                                    check a license document or .lic file offline
  portal export [--data DIR] [FILE] write the catalog and orders as JSON Lines (stdout without FILE)
  portal backup [--data DIR] FILE   write a backup of the data folder (Badger's format)
  portal restore [--data DIR] FILE  restore a backup into an empty data folder
  portal user add --email E --role support|admin [--password-stdin]
                                    add a staff account (or reset its password)

Run "portal serve -h" for the server's flags and their environment variables.
`

func env(name, fallback string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return fallback
}

func envInt(name string, fallback int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return fallback
}

func dataFlag(fs *flag.FlagSet) *string {
	return fs.String("data", env("PORTAL_DATA", "./data"), "data folder (PORTAL_DATA)")
}

func parseServeFlags(args []string, stderr io.Writer) (Config, error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg Config
	fs.StringVar(&cfg.Addr, "addr", env("PORTAL_ADDR", "127.0.0.1:8080"), "listen address (PORTAL_ADDR)")
	data := dataFlag(fs)
	fs.StringVar(&cfg.BaseURL, "base-url", env("PORTAL_BASE_URL", ""), "public base URL, such as https://licenses.example.com (PORTAL_BASE_URL; default http://ADDR)")
	fs.StringVar(&cfg.Brand, "brand", env("PORTAL_BRAND", "Customer Portal"), "brand name shown on every page (PORTAL_BRAND)")
	fs.StringVar(&cfg.SupportEmail, "support-email", env("PORTAL_SUPPORT_EMAIL", "support@example.com"), "support address shown on every page (PORTAL_SUPPORT_EMAIL)")
	fs.StringVar(&cfg.OrderPrefix, "order-prefix", env("PORTAL_ORDER_PREFIX", "JWT"), "letters that begin new order numbers (PORTAL_ORDER_PREFIX)")
	proxies := fs.String("trusted-proxies", env("PORTAL_TRUSTED_PROXIES", ""), "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed (PORTAL_TRUSTED_PROXIES)")
	fs.IntVar(&cfg.RehostLimit, "rehost-limit", envInt("PORTAL_REHOST_LIMIT", 3), "rehosts allowed per license in any 365 days (PORTAL_REHOST_LIMIT)")
	fs.StringVar(&cfg.StripeAPIURL, "stripe-api-url", env("STRIPE_API_URL", ""), "another Stripe API base, such as stripe-mock (STRIPE_API_URL)")
	fs.BoolVar(&cfg.Demo, "demo", false, "on an empty data folder, load demo products, customers, orders and licenses")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	cfg.DataDir = *data
	// Secrets come from the environment only, never from flags that show in ps.
	cfg.StripeSecretKey = os.Getenv("STRIPE_SECRET_KEY")
	cfg.StripeWebhookSecret = os.Getenv("STRIPE_WEBHOOK_SECRET")
	if cfg.StripeSecretKey != "" && cfg.StripeWebhookSecret == "" {
		return cfg, errors.New("STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY: without it no payment could be confirmed")
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

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// serve runs the web server until ctx ends, then finishes requests in flight and
// closes the database cleanly.
func serve(ctx context.Context, cfg Config, stdout, stderr io.Writer) error {
	log := newLogger(stderr)
	store, err := storage.Open(cfg.DataDir, log)
	if err != nil {
		return err
	}
	defer func() {
		if err := store.Close(); err != nil {
			log.Error("closing the data folder", "error", err.Error())
		}
	}()

	signingKey, created, err := storage.SigningKey(cfg.DataDir)
	if err != nil {
		return err
	}
	if created {
		log.Info("made a new license signing key", "file", filepath.Join(cfg.DataDir, storage.SigningKeyFile))
	}
	if err := store.KeepSigningKey(ctx, signingKey); err != nil {
		return err
	}

	if cfg.Demo {
		if err := loadDemo(ctx, store, stdout, clock()); err != nil {
			return err
		}
	}

	var pay handlers.Payments = payments.Demo{BaseURL: cfg.BaseURL}
	if cfg.StripeSecretKey != "" {
		pay = payments.NewStripe(cfg.StripeSecretKey, cfg.StripeWebhookSecret, cfg.StripeAPIURL)
		log.Info("payments through Stripe", "api_url", cfg.StripeAPIURL)
	} else {
		log.Warn("no STRIPE_SECRET_KEY: the demo payment page stands in for Stripe")
	}

	h := handlers.New(handlers.Config{
		BaseURL:        cfg.BaseURL,
		OrderPrefix:    cfg.OrderPrefix,
		Payments:       pay,
		Brand:          cfg.Brand,
		SupportEmail:   cfg.SupportEmail,
		Secure:         strings.HasPrefix(cfg.BaseURL, "https://"),
		LoginFloor:     250 * time.Millisecond,
		Tokens:         store.Tokens(),
		TrustedProxies: cfg.TrustedProxies,
		SigningKey:     signingKey,
		Rehost:         domain.RehostPolicy{Limit: cfg.RehostLimit, Window: 365 * 24 * time.Hour},
		Log:            log,
	}, store)
	app := h.App()

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	log.Info("portal listening", "addr", ln.Addr().String(), "base_url", cfg.BaseURL, "data", cfg.DataDir)
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

// importCommand imports a JSON Lines file and prints its report. It fails when the
// file cannot be read or when every line was refused.
func importCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := dataFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("import needs one file (or - for standard input)")
	}
	in := stdin
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("cannot read the import file: %w", err)
		}
		defer f.Close()
		in = f
	}
	store, err := storage.Open(*data, newLogger(stderr))
	if err != nil {
		return err
	}
	defer store.Close()

	report, err := domain.Import(ctx, in, store, domain.NewActivationKey)
	fmt.Fprint(stdout, report.String())
	afterAnswer()
	detail := fmt.Sprintf("%s: %d lines, %d imported, %d skipped, %d rejected", fs.Arg(0), report.Read, report.Imported, report.Skipped, len(report.Rejected))
	if aerr := store.RecordAudit(ctx, domain.AuditEntry{At: time.Now().UTC(), Staff: "command line", Action: "import", Detail: detail}); aerr != nil && err == nil {
		err = aerr
	}
	if err != nil {
		return fmt.Errorf("import stopped: %w", err)
	}
	if report.Failed() {
		fmt.Fprintln(stderr, "portal: no line could be imported")
		return exitError(1)
	}
	return nil
}

// verifyCommand checks a license document offline, with the public key given or
// the one of the data folder's signing key.
func verifyCommand(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := dataFlag(fs)
	pubFlag := fs.String("public-key", "", "the public key as GET /api/v1/public-key gives it (standard base64); default: the data folder's key")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("verify needs one file")
	}
	var pub ed25519.PublicKey
	if *pubFlag != "" {
		b, err := base64.StdEncoding.DecodeString(*pubFlag)
		if err != nil || len(b) != ed25519.PublicKeySize {
			return errors.New("--public-key must be the standard base64 of a 32-byte Ed25519 public key")
		}
		pub = b
	} else {
		path := filepath.Join(*data, storage.SigningKeyFile)
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("no signing key at %s: give --data or --public-key", path)
		}
		key, _, err := storage.SigningKey(*data)
		if err != nil {
			return err
		}
		pub = key.Public().(ed25519.PublicKey)
	}
	raw, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", fs.Arg(0), err)
	}
	p, err := domain.Verify(pub, raw)
	if err != nil {
		fmt.Fprintf(stdout, "INVALID: %s\n", err)
		return exitError(1)
	}
	fmt.Fprintf(stdout, "VALID: %s document of order %s for serial %q, issued %s\n",
		p.Kind, p.OrderRef, p.Serial, p.IssuedAt.UTC().Format(time.RFC3339))
	for _, l := range p.Licenses {
		fmt.Fprintf(stdout, "  %s: %s %s, %d users, support until %s, version %d\n",
			l.ID, l.Software, l.Edition, l.Users, l.SupportEnd, l.Version)
	}
	return nil
}
