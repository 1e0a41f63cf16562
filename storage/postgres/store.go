// Package postgres keeps the portal's data in PostgreSQL (15 or newer) through
// pgx, with the behaviour of the Badger store in package storage, so that any
// number of portal instances can share one database.
//
// Tables (see migrations/): orders (with their items as JSON and the list of
// their licenses), licenses, history, products, purchases, payment_events,
// staff, audit, counters, sessions, staff_sessions, rate_buckets, and
// schema_migrations. Every multi-row change is one transaction (tx.go); the
// rows a change reads and then writes are locked first (SELECT ... FOR UPDATE),
// so that concurrent instances wait for each other rather than overwrite.
//
// Times are stored to the microsecond, PostgreSQL's precision: a time read back
// is the time written, truncated to the microsecond.
package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store is the PostgreSQL-backed store. A method returns once its transaction
// has committed: what it answered is in the database.
type Store struct {
	pool *pgxpool.Pool
	log  *slog.Logger
	stop chan struct{}
	wg   sync.WaitGroup
	once sync.Once
	// trips counts what is sent to the server (roundtrips.go).
	trips *roundTrips
}

// Open connects to the database at databaseURL (postgres://...) and brings its
// schema up to date.
func Open(ctx context.Context, databaseURL string, log *slog.Logger) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		// The error may quote the URL, password included: say only what is wrong.
		return nil, fmt.Errorf("storage: the database URL is not a PostgreSQL URL (postgres://user:password@host:port/database)")
	}
	cfg.AfterConnect = utcTimes
	trips := &roundTrips{}
	cfg.ConnConfig.Tracer = trips
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("storage: connect to the database: %w", err)
	}
	s := &Store{pool: pool, log: log, stop: make(chan struct{}), trips: trips}
	if err := s.Migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	s.wg.Add(1)
	go s.forgetExpired()
	return s, nil
}

// utcTimes makes the connection read timestamptz in UTC, as the domain keeps
// every time, rather than in the machine's zone.
func utcTimes(ctx context.Context, conn *pgx.Conn) error {
	conn.TypeMap().RegisterType(&pgtype.Type{
		Name: "timestamptz", OID: pgtype.TimestamptzOID,
		Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC},
	})
	return nil
}

// Close stops the store's background work and closes its connections. Calls
// after the first do nothing.
func (s *Store) Close() error {
	s.once.Do(func() {
		close(s.stop)
		s.wg.Wait()
		s.pool.Close()
	})
	return nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	s.trips.n.Add(1) // pgx sends it below the tracer
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("storage: ping: %w", err)
	}
	return nil
}

// forgetExpired deletes expired sessions and full rate-limit buckets now and
// then, as Badger's time to live does: a look-up never writes, so expired rows
// stay until here. Every instance does it; they may meet on the same rows,
// which tx retries.
func (s *Store) forgetExpired() {
	defer s.wg.Done()
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			if err := s.deleteExpired(ctx); err != nil {
				s.log.Warn("could not delete expired sessions and rate limits", "err", err)
			}
			cancel()
		}
	}
}

func (s *Store) deleteExpired(ctx context.Context) error {
	for _, sql := range []string{
		`DELETE FROM sessions WHERE expires_at <= now()`,
		`DELETE FROM staff_sessions WHERE expires_at <= now()`,
		`DELETE FROM mail_links WHERE expires <= now()`,
		`DELETE FROM email_changes WHERE keep_until <= now()`,
		`DELETE FROM pairings WHERE keep_until <= now()`,
		`DELETE FROM deliveries WHERE status <> 'pending' AND created < now() - interval '7 days'`,
		// A bucket that has refilled is the same as no bucket.
		`DELETE FROM rate_buckets WHERE at + (burst - tokens) * every_seconds * interval '1 second' < now() - interval '1 hour'`,
	} {
		if err := s.tx(ctx, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, sql)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}
