package storage

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

// An order's first invoice number is indexed (prefixInvoice + number → the
// order's reference), so that no two orders share one; each series counts its
// last number under prefixSeq + domain.CounterInvoiceSeries(series).

func invoiceKey(number string) string { return prefixInvoice + number }

func seriesKey(series string) string { return prefixSeq + domain.CounterInvoiceSeries(series) }

// nextInvoiceNumber takes the next free number of series. The counter moves in
// the transaction that stores the order: a number is counted only when its
// order is, so the series has no gaps; numbers an import brought are skipped.
func nextInvoiceNumber(txn *badger.Txn, series string) (string, error) {
	last := uint64(0)
	v, found, err := getString(txn, seriesKey(series))
	if err != nil {
		return "", err
	}
	if found {
		if last, err = strconv.ParseUint(v, 10, 64); err != nil {
			return "", err
		}
	}
	for n := last + 1; ; n++ {
		number := domain.InvoiceNumber(series, n)
		taken, err := exists(txn, invoiceKey(number))
		if err != nil {
			return "", err
		}
		if !taken {
			return number, txn.Set([]byte(seriesKey(series)), []byte(strconv.FormatUint(n, 10)))
		}
	}
}

// claimInvoiceNumber indexes number as ref's; a number another order holds
// answers a conflict before anything is written.
func claimInvoiceNumber(txn *badger.Txn, number, ref string) error {
	owner, taken, err := getString(txn, invoiceKey(number))
	if err != nil {
		return err
	}
	if taken && owner != ref {
		return domain.Conflictf("invoice_number %s is already used by order %s", number, owner)
	}
	return txn.Set([]byte(invoiceKey(number)), []byte(ref))
}

// numberInvoice gives o's first invoice the next number of series, and
// answers o's encoding with it.
func numberInvoice(txn *badger.Txn, o domain.Order, series string) ([]byte, error) {
	number, err := nextInvoiceNumber(txn, series)
	if err != nil {
		return nil, err
	}
	o.Invoices = slices.Clone(o.Invoices) // a retried transaction starts again from the caller's order
	o.Invoices[0].Number = number
	if err := claimInvoiceNumber(txn, number, o.Reference); err != nil {
		return nil, err
	}
	return json.Marshal(o)
}

// keyInvoicesNumbered marks a store whose orders all have an invoice, so that
// NumberInvoices reads no order at the next start.
const keyInvoicesNumbered = "meta/invoices-numbered"

// NumberInvoices issues the first invoice of every order stored before
// invoices existed (or loaded from such a backup), numbered from the series of
// prefix in the order of the orders' dates, 500 per transaction. It answers
// how many it numbered.
func (s *Store) NumberInvoices(ctx context.Context, prefix string) (int, error) {
	type pending struct {
		ref  string
		date time.Time
	}
	todo, err := read(s, "orders without an invoice", func(txn *badger.Txn) ([]pending, error) {
		if done, err := exists(txn, keyInvoicesNumbered); err != nil || done {
			return nil, err
		}
		var out []pending
		err := scan(txn, prefixOrder, false, func(o domain.Order) (bool, error) {
			if len(o.Invoices) == 0 {
				out = append(out, pending{o.Reference, o.Date})
			}
			return true, nil
		})
		return out, err
	})
	if err != nil {
		return 0, fmt.Errorf("storage: number invoices: %w", err)
	}
	slices.SortFunc(todo, func(a, b pending) int { return cmp.Or(a.date.Compare(b.date), cmp.Compare(a.ref, b.ref)) })
	numbered := 0
	for batch := range slices.Chunk(todo, 500) {
		err := s.update(ctx, func(txn *badger.Txn) error {
			for _, p := range batch {
				var o domain.Order
				if found, err := getJSON(txn, orderKey(p.ref), &o); err != nil || !found || len(o.Invoices) > 0 {
					continue // gone, or numbered meanwhile
				}
				o.Invoices = []domain.Invoice{{Issued: o.Date, Billing: o.Billing}}
				b, err := numberInvoice(txn, o, domain.InvoiceSeries(prefix, o.Date))
				if err != nil {
					return err
				}
				if err := txn.Set([]byte(orderKey(o.Reference)), b); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return numbered, fmt.Errorf("storage: number invoices: %w", err)
		}
		numbered += len(batch)
	}
	err = s.update(ctx, func(txn *badger.Txn) error { return txn.Set([]byte(keyInvoicesNumbered), nil) })
	return numbered, err
}
