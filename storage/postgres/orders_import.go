package postgres

import (
	"cmp"
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
	SELECT l.* FROM new_order, unnest($19::text[], $20::text[], $21::text[], $22::text[], $23::integer[], $24::text[],
		$25::timestamptz[], $26::timestamptz[], $27::timestamptz[], $28::integer[])
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
		var unnumbered, series []string // stored orders whose invoice the series numbers
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
					o := orders[i]
					if stored == 0 {
						refused = append(refused, i)
						return nil
					}
					if n, ok := domain.OrderNumber(o.Order.Reference); ok && n > highest {
						highest = n
					}
					if len(o.Order.Invoices) > 0 && o.Order.InvoiceNumber() == "" {
						unnumbered = append(unnumbered, o.Order.Reference)
						series = append(series, cmp.Or(o.InvoiceSeries, domain.InvoiceSeries("", o.Order.Date)))
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
		// The order counter before the invoice series', as fulfilments lock them.
		if err := noteOrderNumber(ctx, tx, highest); err != nil {
			return err
		}
		return numberStoredInvoices(ctx, tx, unnumbered, series)
	})
	if err != nil {
		return nil, fmt.Errorf("storage: import orders: %w", err)
	}
	return results, nil
}

// whyRefused tells, for each order that was not stored, whether its reference
// was taken (already imported), or else its activation key, or else its
// invoice number.
func whyRefused(ctx context.Context, tx pgx.Tx, orders []domain.OrderWithLicenses, refused []int, results []error) error {
	if len(refused) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	for _, i := range refused {
		o := orders[i].Order
		b.Queue(`SELECT EXISTS (SELECT 1 FROM orders WHERE reference = $1), EXISTS (SELECT 1 FROM orders WHERE activation_key = $2),
			(SELECT reference FROM orders WHERE invoice_number = $3)`, o.Reference, o.ActivationKey, o.InvoiceNumber()).QueryRow(func(row pgx.Row) error {
			var refTaken, keyTaken bool
			var invoiceOwner *string
			if err := row.Scan(&refTaken, &keyTaken, &invoiceOwner); err != nil {
				return err
			}
			switch {
			case refTaken:
				results[i] = domain.ErrAlreadyImported
			case keyTaken:
				results[i] = domain.Conflictf("activation_key is already used by another order")
			case invoiceOwner != nil:
				results[i] = domain.Conflictf("invoice_number %s is already used by order %s", o.InvoiceNumber(), *invoiceOwner)
			default:
				return fmt.Errorf("order %s was not stored, for no reason found", o.Reference)
			}
			return nil
		})
	}
	return tx.SendBatch(ctx, b).Close()
}
