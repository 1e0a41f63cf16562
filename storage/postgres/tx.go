package postgres

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// maxRetries bounds the runs of a transaction that met a concurrent one.
const maxRetries = 30

// tx runs fn in a read-write transaction and commits it, through retry.
// fn may run more than once, so it must reset whatever it fills in. An error
// from fn rolls back and is returned as it is.
func (s *Store) tx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return retry(ctx, func() error { return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{}, fn) })
}

// exec runs one statement that writes, on its own, through retry.
func (s *Store) exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	var tag pgconn.CommandTag
	err := retry(ctx, func() (err error) {
		tag, err = s.pool.Exec(ctx, sql, args...)
		return err
	})
	return tag, err
}

// retry is the one place that runs a write again: on a serialization failure
// or a deadlock (SQLSTATE 40001, 40P01: PostgreSQL under contention,
// CockroachDB at any time), after a short random pause that grows with each
// try, at most maxRetries times.
func retry(ctx context.Context, run func() error) error {
	var err error
	for attempt := range maxRetries {
		if err = ctx.Err(); err != nil {
			return err
		}
		if err = run(); !retryable(err) {
			return err
		}
		pause := time.Duration(rand.Int64N(int64(attempt+1) * int64(2*time.Millisecond)))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
	}
	return err
}

func retryable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40001" || pgErr.Code == "40P01")
}

// snapshot runs fn in a read-only transaction that sees one state of the
// database throughout (REPEATABLE READ), for reads of more than one statement
// that must agree with each other, such as an export.
func (s *Store) snapshot(ctx context.Context, fn func(tx pgx.Tx) error) error {
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	return pgx.BeginTxFunc(ctx, s.pool, opts, fn)
}

// uniqueViolation reports whether err broke the unique constraint named.
func uniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == constraint
}

// storable reports whether every value can be stored as PostgreSQL text: valid
// UTF-8 without NUL. A look-up of anything else finds nothing, as in Badger,
// whose keys are bytes, rather than failing.
func storable(values ...string) bool {
	for _, v := range values {
		if !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 {
			return false
		}
	}
	return true
}

// prefixEnd is the end of the range of text that starts with prefix in byte
// order (COLLATE "C"): prefix followed by the highest code point, so that
// "col >= prefix AND col < prefixEnd(prefix)" is one range of a btree index.
// Only text continuing prefix with U+10FFFF itself, a noncharacter, is missed.
func prefixEnd(prefix string) string { return prefix + "\U0010FFFF" }

// optionalTime stores the zero time, which the domain uses for "none", as NULL.
func optionalTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// timeOrZero reads a column that optionalTime wrote.
func timeOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
