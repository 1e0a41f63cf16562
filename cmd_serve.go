package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"portal/backups"
	"portal/buildinfo"
	"portal/domain"
	"portal/handlers"
	"portal/storage"
)

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
	build := buildinfo.Read()
	log.Info("portal starting", "version", build.Version, "commit", build.Commit, "modified", build.Modified, "go", build.GoVersion)
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

	lns, err := openListeners(&cfg)
	if err != nil {
		return err
	}
	defer lns.Close()

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
		Languages:      cfg.Languages,
		Build:          build,
	}, store)
	app := h.App()
	go forgetUnpaidPurchases(ctx, store, log)
	sched, err := scheduleBackups(ctx, cfg.SelfHost, store, log)
	if err != nil {
		return err
	}
	if sched != nil {
		counts.Backups(sched.Successes, sched.Failures)
	}

	if cfg.PprofAddr != "" {
		if err := servePprof(cfg.PprofAddr, store, log); err != nil {
			return err
		}
	}
	return lns.serve(ctx, cfg, app, store, log, stdout)
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

// scheduleBackups starts the scheduled backups when --backup-dir is set. The
// folder is made at start, so that a wrong path stops the start rather than
// every backup; later failures are logged and counted by the schedule, whose
// Failures is the hook for the metrics.
func scheduleBackups(ctx context.Context, cfg SelfHost, store portalStore, log *slog.Logger) (*backups.Schedule, error) {
	if cfg.BackupDir == "" {
		return nil, nil
	}
	if err := os.MkdirAll(cfg.BackupDir, 0o700); err != nil {
		return nil, fmt.Errorf("backup folder: %w", err)
	}
	s := &backups.Schedule{Dir: cfg.BackupDir, Every: cfg.BackupEvery, Keep: cfg.BackupKeep, Store: store, Log: log.With("component", "backups")}
	log.Info("scheduled backups", "dir", cfg.BackupDir, "every", cfg.BackupEvery.String(), "keep", cfg.BackupKeep)
	go s.Run(ctx)
	return s, nil
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
