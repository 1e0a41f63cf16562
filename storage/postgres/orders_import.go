package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/domain"
)

// importOrderSQL stores one order and its licenses in one statement, unless
// the order's reference or activation key is taken: then it stores nothing and
// answers 0. Statements of many orders go to the server together.
const importOrderSQL = `WITH new_order AS (` + insertOrderSQL + `
	ON CONFLICT DO NOTHING
	RETURNING reference
), new_licenses AS (
	INSERT INTO licenses (id, order_ref, software, edition, users, serial, purchased_at, support_start, support_end, version)
	SELECT l.* FROM new_order, unnest($15::text[], $16::text[], $17::text[], $18::text[], $19::integer[], $20::text[],
		$21::timestamptz[], $22::timestamptz[], $23::timestamptz[], $24::integer[])
		AS l(id, order_ref, software, edition, users, serial, purchased_at, support_start, support_end, version)
	RETURNING 1
)
SELECT count(*) FROM new_order`

// importValues are the values of importOrderSQL for o: the order's row, then
// its licenses column by column.
func importValues(o domain.OrderWithLicenses) ([]any, error) {
	values, err := orderValues(o.Order)
	if err != nil {
		return nil, err
	}
	n := len(o.Licenses)
	ids, refs, software, editions, serials := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	users, versions := make([]int32, n), make([]int32, n)
	purchased, starts, ends := make([]time.Time, n), make([]time.Time, n), make([]time.Time, n)
	for i, l := range o.Licenses {
		ids[i], refs[i], software[i], editions[i], serials[i] = l.ID, l.OrderRef, l.Software, l.Edition, l.Serial
		users[i], versions[i] = int32(l.Users), int32(l.Version)
		purchased[i], starts[i], ends[i] = l.PurchasedAt, l.SupportStart, l.SupportEnd
	}
	return append(values, ids, refs, software, editions, users, serials, purchased, starts, ends, versions), nil
}

// importChunk bounds the statements sent to the server at once.
const importChunk = 500

// ImportOrders stores each order with its licenses, all or nothing per order,
// in one transaction; see domain.ImportStore. A reference already stored
// answers domain.ErrAlreadyImported, an activation key already used by
// another order a conflict; a failure of the database stores nothing.
func (s *Store) ImportOrders(ctx context.Context, orders []domain.OrderWithLicenses) ([]error, error) {
	values := make([][]any, len(orders))
	for i, o := range orders {
		var err error
		if values[i], err = importValues(o); err != nil {
			return nil, fmt.Errorf("storage: import orders: %w", err)
		}
	}
	var results []error
	err := s.tx(ctx, func(tx pgx.Tx) error {
		results = make([]error, len(orders))
		var refused []int
		highest := uint64(0)
		for start := 0; start < len(orders); start += importChunk {
			end := min(start+importChunk, len(orders))
			b := &pgx.Batch{}
			for i := start; i < end; i++ {
				b.Queue(importOrderSQL, values[i]...).QueryRow(func(row pgx.Row) error {
					var stored int
					if err := row.Scan(&stored); err != nil {
						return err
					}
					if stored == 0 {
						refused = append(refused, i)
					} else if n, ok := domain.OrderNumber(orders[i].Order.Reference); ok && n > highest {
						highest = n
					}
					return nil
				})
			}
			if err := tx.SendBatch(ctx, b).Close(); err != nil {
				return err
			}
		}
		if err := whyRefused(ctx, tx, orders, refused, results); err != nil {
			return err
		}
		return noteOrderNumber(ctx, tx, highest)
	})
	if err != nil {
		return nil, fmt.Errorf("storage: import orders: %w", err)
	}
	return results, nil
}

// whyRefused tells, for each order that was not stored, whether its reference
// was taken (already imported) or else its activation key.
func whyRefused(ctx context.Context, tx pgx.Tx, orders []domain.OrderWithLicenses, refused []int, results []error) error {
	if len(refused) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	for _, i := range refused {
		b.Queue(`SELECT EXISTS (SELECT 1 FROM orders WHERE reference = $1)`, orders[i].Order.Reference).QueryRow(func(row pgx.Row) error {
			var taken bool
			if err := row.Scan(&taken); err != nil {
				return err
			}
			results[i] = domain.ErrAlreadyImported
			if !taken {
				results[i] = domain.Conflictf("activation_key is already used by another order")
			}
			return nil
		})
	}
	return tx.SendBatch(ctx, b).Close()
}
