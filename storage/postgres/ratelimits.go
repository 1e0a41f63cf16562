package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/domain"
)

// Rate limits live in the database, so that every instance spends from the
// same buckets: a client cannot get more attempts by reaching another
// instance. Each change of a bucket is one statement, atomic on its row.

// refilled is the bucket's tokens at $5 (domain.Rate.Refill): what it held,
// plus what it earned since at, up to the burst ($3); $4 is the rate's
// interval in seconds. A time before the bucket's own adds nothing, so that
// instances whose clocks differ a little never take tokens back.
const refilled = `(CASE WHEN $5::timestamptz > b.at
	THEN least($3::double precision, b.tokens + extract(epoch FROM ($5::timestamptz - b.at))::double precision / $4::double precision)
	ELSE b.tokens END)`

// spendSQL takes one token if there is one and answers the tokens left and
// whether it took one. A bucket never seen is full.
const spendSQL = `INSERT INTO rate_buckets AS b (name, key, tokens, at, spent, burst, every_seconds)
	VALUES ($1, $2, $3::double precision - 1, $5::timestamptz, true, $3::double precision, $4::double precision)
	ON CONFLICT (name, key) DO UPDATE SET
		tokens = CASE WHEN ` + refilled + ` >= 1 THEN ` + refilled + ` - 1 ELSE ` + refilled + ` END,
		spent = ` + refilled + ` >= 1,
		at = greatest(b.at, $5::timestamptz), burst = $3::double precision, every_seconds = $4::double precision
	RETURNING tokens, spent`

// refundSQL gives a token back, up to the burst; a bucket never seen is full already.
const refundSQL = `UPDATE rate_buckets AS b SET tokens = least($3::double precision, ` + refilled + ` + 1),
	at = greatest(b.at, $5::timestamptz)
	WHERE name = $1 AND key = $2`

func bucketValues(rate domain.Rate, key string, now time.Time) []any {
	return []any{rate.Name, []byte(key), float64(rate.Burst), rate.Every.Seconds(), now}
}

// SpendToken takes one token of key's bucket of rate. Without one it takes
// nothing and says how long until the next.
func (s *Store) SpendToken(ctx context.Context, rate domain.Rate, key string, now time.Time) (domain.Limit, error) {
	var tokens float64
	var spent bool
	err := retry(ctx, func() error {
		return s.pool.QueryRow(ctx, spendSQL, bucketValues(rate, key, now)...).Scan(&tokens, &spent)
	})
	if err != nil {
		return domain.Limit{}, fmt.Errorf("storage: spend token: %w", err)
	}
	if spent {
		return domain.Limit{OK: true}, nil
	}
	return domain.Limit{Wait: rate.Wait(domain.Bucket{Tokens: tokens})}, nil
}

// RefundToken gives key's bucket of rate a token back (a right login does not
// count against anyone).
func (s *Store) RefundToken(ctx context.Context, rate domain.Rate, key string, now time.Time) error {
	if _, err := s.exec(ctx, refundSQL, bucketValues(rate, key, now)...); err != nil {
		return fmt.Errorf("storage: refund token: %w", err)
	}
	return nil
}

// TokenLeft reports whether key's bucket of rate holds a token, spending none
// and writing nothing.
func (s *Store) TokenLeft(ctx context.Context, rate domain.Rate, key string, now time.Time) (domain.Limit, error) {
	var b domain.Bucket
	err := s.pool.QueryRow(ctx, `SELECT tokens, at FROM rate_buckets WHERE name = $1 AND key = $2`,
		rate.Name, []byte(key)).Scan(&b.Tokens, &b.At)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Limit{OK: true}, nil
	}
	if err != nil {
		return domain.Limit{}, fmt.Errorf("storage: token left: %w", err)
	}
	b = rate.Refill(b, true, now)
	return domain.Limit{OK: b.Tokens >= 1, Wait: rate.Wait(b)}, nil
}
