package main

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"portal/autotls"
	"portal/domain"
	"portal/handlers"
	"portal/mail"
	"portal/storage"
	"portal/storage/postgres"
)

// portalStore is what the server and the commands need of a storage backend: a
// Badger data folder (the embedded default) or a PostgreSQL database shared by
// any number of instances.
type portalStore interface {
	handlers.Store
	OrderCount(ctx context.Context) (int, error)
	ForgetUnpaidPurchases(ctx context.Context, now time.Time) (int, error)
	Load(ctx context.Context, records iter.Seq2[domain.Record, error]) error
	NumberInvoices(ctx context.Context, prefix string) (int, error)
	mail.OutboxStore
	ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]domain.Delivery, error)
	SaveDelivery(ctx context.Context, d domain.Delivery) error
	PendingDeliveries(ctx context.Context) (int, error)
	OutboxDepth(ctx context.Context) (int, error)
	// Certificates for --domain, with the data.
	autotls.Files
	Close() error
}

// openStore opens the PostgreSQL database at databaseURL, or without one the
// Badger data folder dataDir.
func openStore(ctx context.Context, dataDir, databaseURL string, log *slog.Logger) (portalStore, error) {
	if databaseURL != "" {
		return postgres.Open(ctx, databaseURL, log)
	}
	return storage.Open(dataDir, log)
}

// isDatabaseURL tells a PostgreSQL URL from a data folder's path.
func isDatabaseURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// describeStore names a store for logs and messages without its password.
func describeStore(dataDir, databaseURL string) string {
	if databaseURL == "" {
		return "data folder " + dataDir
	}
	u, err := url.Parse(databaseURL)
	if err != nil {
		return "a PostgreSQL database"
	}
	return fmt.Sprintf("PostgreSQL database %s on %s", strings.TrimPrefix(u.Path, "/"), u.Host)
}
