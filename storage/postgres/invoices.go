package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"portal/domain"
)

// nextInvoiceNumbers takes the next k free numbers of series. The series'
// counter row stays locked until tx ends, so that instances numbering at once
// take numbers one after the other; a number is counted only by the
// transaction that stores its order, so the series has no gaps. Numbers that
// imported orders brought are skipped.
func nextInvoiceNumbers(ctx context.Context, tx pgx.Tx, series string, k int) ([]string, error) {
	name := domain.CounterInvoiceSeries(series)
	if _, err := tx.Exec(ctx, `INSERT INTO counters (name, value) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING`, name); err != nil {
		return nil, err
	}
	var last int64
	if err := tx.QueryRow(ctx, `SELECT value FROM counters WHERE name = $1 FOR UPDATE`, name).Scan(&last); err != nil {
		return nil, err
	}
	n := uint64(last)
	out := make([]string, 0, k)
	for len(out) < k {
		candidates := make([]string, k-len(out))
		for i := range candidates {
			n++
			candidates[i] = domain.InvoiceNumber(series, n)
		}
		rows, err := tx.Query(ctx, `SELECT invoice_number FROM orders WHERE invoice_number = ANY($1)`, candidates)
		if err != nil {
			return nil, err
		}
		taken, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, err
		}
		for _, c := range candidates {
			if !contains(taken, c) {
				out = append(out, c)
			}
		}
	}
	_, err := tx.Exec(ctx, `UPDATE counters SET value = $2 WHERE name = $1`, name, int64(n))
	return out, err
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// numberStoredInvoices gives the stored orders refs, in that order, the next
// numbers of their series, in tx: one statement per series.
func numberStoredInvoices(ctx context.Context, tx pgx.Tx, refs, series []string) error {
	bySeries := map[string][]string{}
	var order []string
	for i, s := range series {
		if _, ok := bySeries[s]; !ok {
			order = append(order, s)
		}
		bySeries[s] = append(bySeries[s], refs[i])
	}
	for _, s := range order {
		numbers, err := nextInvoiceNumbers(ctx, tx, s, len(bySeries[s]))
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE orders o SET invoice_number = u.n, invoices = jsonb_set(o.invoices, '{0,number}', to_jsonb(u.n))
			FROM unnest($1::text[], $2::text[]) AS u(ref, n) WHERE o.reference = u.ref`, bySeries[s], numbers)
		if err != nil {
			return fmt.Errorf("number invoices of %s: %w", s, err)
		}
	}
	return nil
}

// NumberInvoices issues the first invoice of every order stored before
// invoices existed (none since: imports and payments issue theirs), numbered
// from the series of prefix in the order of the orders' dates, a few hundred
// per transaction. It answers how many it numbered.
func (s *Store) NumberInvoices(ctx context.Context, prefix string) (int, error) {
	total := 0
	for {
		n := 0
		err := s.tx(ctx, func(tx pgx.Tx) error {
			n = 0
			rows, err := tx.Query(ctx, `SELECT `+orderColumns+` FROM orders o WHERE o.invoices IS NULL
				ORDER BY o.ordered_at, o.reference LIMIT 500 FOR UPDATE`)
			if err != nil {
				return err
			}
			orders, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Order, error) { return scanOrder(row) })
			if err != nil {
				return err
			}
			refs, series := make([]string, len(orders)), make([]string, len(orders))
			b := &pgx.Batch{}
			for i, o := range orders {
				refs[i], series[i] = o.Reference, domain.InvoiceSeries(prefix, o.Date)
				invoices, err := json.Marshal([]domain.Invoice{{Issued: o.Date, Billing: o.Billing}})
				if err != nil {
					return err
				}
				b.Queue(`UPDATE orders SET invoices = $2 WHERE reference = $1`, o.Reference, invoices)
			}
			if err := tx.SendBatch(ctx, b).Close(); err != nil {
				return err
			}
			n = len(orders)
			return numberStoredInvoices(ctx, tx, refs, series)
		})
		if err != nil {
			return total, fmt.Errorf("storage: number invoices: %w", err)
		}
		if total += n; n == 0 {
			return total, nil
		}
	}
}
