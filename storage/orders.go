package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

func orderKey(ref string) string             { return prefixOrder + ref }
func emailIndexPrefix(email string) string   { return prefixEmail + email + "\x00" }
func emailIndexKey(email, ref string) string { return emailIndexPrefix(email) + ref }
func activationKeyKey(key string) string     { return prefixKey + key }

// domainIndexKey lets staff find orders by the company part of an email.
func domainIndexKey(email, ref string) string {
	return prefixDomain + email[strings.LastIndexByte(email, '@')+1:] + "\x00" + ref
}

// ImportOrders stores each order with its licenses and index entries, all or nothing
// per order; see domain.ImportStore. The orders are written in as few synced
// transactions as Badger's batch limits allow, never splitting an order.
func (s *Store) ImportOrders(ctx context.Context, orders []domain.OrderWithLicenses) ([]error, error) {
	results := make([]error, len(orders))
	records := make([]orderRecords, len(orders))
	for i, o := range orders {
		var err error
		if records[i], err = recordsOf(o); err != nil {
			return nil, fmt.Errorf("storage: import orders: %w", err)
		}
	}
	// Stay well under Badger's limits: its own estimate counts a little more
	// per entry than ours.
	maxSize, maxCount := s.db.MaxBatchSize()*3/4, s.db.MaxBatchCount()*3/4
	for start := 0; start < len(records); {
		end, size, count := start, int64(0), int64(0)
		for end < len(records) && (end == start ||
			size+records[end].size <= maxSize && count+int64(len(records[end].kv)) <= maxCount) {
			size, count = size+records[end].size, count+int64(len(records[end].kv))
			end++
		}
		err := s.update(ctx, func(txn *badger.Txn) error {
			highest, top := "", uint64(0)
			for i := start; i < end; i++ {
				err := insertOrder(txn, records[i])
				if domain.KindOf(err) == domain.KindInternal && err != nil {
					return err
				}
				results[i] = err
				if n, ok := domain.OrderNumber(records[i].ref); err == nil && ok && n > top {
					highest, top = records[i].ref, n
				}
			}
			return noteOrderNumber(txn, highest)
		})
		if errors.Is(err, badger.ErrTxnTooBig) && end == start+1 {
			results[start], err = domain.Invalidf("the order is too large to store"), nil
		}
		if err != nil {
			return nil, fmt.Errorf("storage: import orders: %w", err)
		}
		start = end
	}
	return results, nil
}

// orderRecords is an order as the records it is stored as, encoded before its
// transaction so that a batch can be sized to fit one.
type orderRecords struct {
	ref, email, activationKey string
	kv                        []keyValue
	size                      int64
	// invoice is the number of the order's first invoice; without one, series
	// is what the transaction numbers it from, and order is encoded again then.
	invoice, series string
	order           *domain.Order
}

type keyValue struct{ key, value []byte }

func recordsOf(o domain.OrderWithLicenses) (orderRecords, error) {
	r := orderRecords{ref: o.Order.Reference, email: o.Order.Email, activationKey: o.Order.ActivationKey,
		invoice: o.Order.InvoiceNumber()}
	if r.invoice == "" && len(o.Order.Invoices) > 0 {
		r.series, r.order = o.InvoiceSeries, &o.Order
		if r.series == "" {
			r.series = domain.InvoiceSeries("", o.Order.Date)
		}
	}
	add := func(key string, value []byte) {
		r.kv = append(r.kv, keyValue{[]byte(key), value})
		r.size += int64(len(key) + len(value) + 32)
	}
	b, err := json.Marshal(o.Order)
	if err != nil {
		return r, err
	}
	add(orderKey(r.ref), b)
	for _, l := range o.Licenses {
		if b, err = json.Marshal(l); err != nil {
			return r, err
		}
		add(licenseKey(l.ID), b)
		if l.Serial != "" {
			add(serialIndexKey(l.Serial, l.ID), nil)
		}
	}
	add(emailIndexKey(r.email, r.ref), nil)
	add(domainIndexKey(r.email, r.ref), nil)
	add(activationKeyKey(r.activationKey), []byte(r.ref))
	return r, nil
}

// insertOrder writes one order into txn unless its reference or activation key
// is taken. A taken one answers a domain error before anything is written; any
// other error is a failure of the store.
func insertOrder(txn *badger.Txn, r orderRecords) error {
	taken, err := exists(txn, orderKey(r.ref))
	if err != nil {
		return err
	}
	if taken {
		return domain.ErrAlreadyImported
	}
	keyTaken, err := exists(txn, activationKeyKey(r.activationKey))
	if err != nil {
		return err
	}
	if keyTaken {
		return domain.Conflictf("activation_key is already used by another order")
	}
	if r.order != nil {
		// The first entry is the order: encode it again with its new number.
		if r.kv[0].value, err = numberInvoice(txn, *r.order, r.series); err != nil {
			return err
		}
	} else if r.invoice != "" {
		if err := claimInvoiceNumber(txn, r.invoice, r.ref); err != nil {
			return err
		}
	}
	for _, e := range r.kv {
		if err := txn.Set(e.key, e.value); err != nil {
			return err
		}
	}
	return nil
}

// Order returns the order with reference ref.
func (s *Store) Order(ctx context.Context, ref string) (domain.Order, bool, error) {
	o, found, err := lookup[domain.Order](s, orderKey(ref))
	if err != nil {
		return domain.Order{}, false, fmt.Errorf("storage: order %s: %w", ref, err)
	}
	return o, found, nil
}

// OrderByActivationKey returns the order that key (in stored form) belongs to.
// The caller still compares the key in constant time: this is an index look-up.
func (s *Store) OrderByActivationKey(ctx context.Context, key string) (domain.Order, bool, error) {
	type answer struct {
		order domain.Order
		found bool
	}
	a, err := cached(&s.queries, "akey\x00"+key, func() (answer, error) {
		return read(s, "order by activation key", func(txn *badger.Txn) (answer, error) {
			ref, ok, err := getString(txn, activationKeyKey(key))
			if err != nil || !ok {
				return answer{}, err
			}
			o, ok, err := getShared[domain.Order](s, txn, orderKey(ref))
			return answer{o, ok}, err
		})
	})
	return a.order, a.found, err
}

// OrdersByEmail returns every order bought with email, newest first.
func (s *Store) OrdersByEmail(ctx context.Context, email string) ([]domain.Order, error) {
	return cached(&s.queries, "orders\x00"+email, func() ([]domain.Order, error) {
		return read(s, "orders of an email", func(txn *badger.Txn) ([]domain.Order, error) {
			return s.ordersByEmail(txn, email)
		})
	})
}

func (s *Store) ordersByEmail(txn *badger.Txn, email string) ([]domain.Order, error) {
	refs := keysUnder(txn, emailIndexPrefix(email))
	orders := make([]domain.Order, 0, len(refs))
	for _, ref := range refs {
		o, found, err := getShared[domain.Order](s, txn, orderKey(ref))
		if err != nil {
			return nil, err
		}
		if found {
			orders = append(orders, o)
		}
	}
	sort.SliceStable(orders, func(i, j int) bool {
		if !orders[i].Date.Equal(orders[j].Date) {
			return orders[i].Date.After(orders[j].Date)
		}
		return orders[i].Reference > orders[j].Reference
	})
	return orders, nil
}

// OrderCount returns how many orders are stored.
func (s *Store) OrderCount(ctx context.Context) (int, error) {
	return read(s, "order count", func(txn *badger.Txn) (int, error) {
		return len(keysUnder(txn, prefixOrder)), nil
	})
}
