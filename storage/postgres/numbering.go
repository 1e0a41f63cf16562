package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"portal/domain"
)

// noteOrderNumber raises the highest order number counted to n, so that new
// references follow the imported ones; 0 changes nothing.
func noteOrderNumber(ctx context.Context, tx pgx.Tx, n uint64) error {
	if n == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE counters SET value = $1 WHERE name = $2 AND value < $1`, int64(n), domain.CounterOrderNumber)
	return err
}

// newOrderReference takes the next free reference with prefix. The counter's
// row stays locked until the transaction ends, so that instances fulfilling at
// once take numbers one after the other: unique, and without gaps since a
// number is counted only by the transaction that stores its order.
func newOrderReference(ctx context.Context, tx pgx.Tx, prefix string) (string, error) {
	var last int64
	err := tx.QueryRow(ctx, `SELECT value FROM counters WHERE name = $1 FOR UPDATE`, domain.CounterOrderNumber).Scan(&last)
	if err != nil {
		return "", err
	}
	for n := uint64(last); ; {
		ref, next, err := domain.NextOrderReference(prefix, n)
		if err != nil {
			return "", err
		}
		var taken bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM orders WHERE reference = $1)`, ref).Scan(&taken); err != nil {
			return "", err
		}
		if !taken {
			return ref, noteOrderNumber(ctx, tx, next)
		}
		n = next
	}
}
