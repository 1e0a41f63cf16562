package storage

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

func orderKey(ref string) string             { return prefixOrder + ref }
func emailIndexPrefix(email string) string   { return prefixEmail + email + "\x00" }
func emailIndexKey(email, ref string) string { return emailIndexPrefix(email) + ref }
func activationKeyKey(key string) string     { return prefixKey + key }

// ImportOrders stores each order with its licenses and index entries, all or nothing
// per order; see domain.ImportStore. A batch that is too large for one Badger
// transaction is split, never an order.
func (s *Store) ImportOrders(ctx context.Context, orders []domain.OrderWithLicenses) ([]error, error) {
	results := make([]error, len(orders))
	err := s.update(ctx, func(txn *badger.Txn) error {
		for i, o := range orders {
			res, err := insertOrder(txn, o)
			if err != nil {
				return err
			}
			results[i] = res
		}
		return nil
	})
	if errors.Is(err, badger.ErrTxnTooBig) && len(orders) > 1 {
		half := len(orders) / 2
		first, err := s.ImportOrders(ctx, orders[:half])
		if err != nil {
			return nil, err
		}
		second, err := s.ImportOrders(ctx, orders[half:])
		if err != nil {
			return nil, err
		}
		return append(first, second...), nil
	}
	if err != nil {
		return nil, fmt.Errorf("storage: import orders: %w", err)
	}
	return results, nil
}

// insertOrder writes one order into txn unless its reference or activation key is
// taken. The first return is the per-order outcome; the second a store failure.
func insertOrder(txn *badger.Txn, o domain.OrderWithLicenses) (error, error) {
	taken, err := exists(txn, orderKey(o.Order.Reference))
	if err != nil || taken {
		if taken {
			return domain.ErrAlreadyImported, nil
		}
		return nil, err
	}
	keyTaken, err := exists(txn, activationKeyKey(o.Order.ActivationKey))
	if err != nil {
		return nil, err
	}
	if keyTaken {
		return domain.Conflictf("activation_key is already used by another order"), nil
	}
	if err := setJSON(txn, orderKey(o.Order.Reference), o.Order); err != nil {
		return nil, err
	}
	for _, l := range o.Licenses {
		if err := putLicense(txn, domain.License{}, l); err != nil {
			return nil, err
		}
	}
	if err := txn.Set([]byte(emailIndexKey(o.Order.Email, o.Order.Reference)), nil); err != nil {
		return nil, err
	}
	if err := txn.Set([]byte(domainIndexKey(o.Order.Email, o.Order.Reference)), nil); err != nil {
		return nil, err
	}
	if err := noteOrderNumber(txn, o.Order.Reference); err != nil {
		return nil, err
	}
	return nil, txn.Set([]byte(activationKeyKey(o.Order.ActivationKey)), []byte(o.Order.Reference))
}

// orderNumber is the digits of a reference ("JWT100234" → 100234).
func orderNumber(ref string) uint64 {
	i := strings.IndexFunc(ref, func(r rune) bool { return r >= '0' && r <= '9' })
	if i < 0 {
		return 0
	}
	n, _ := strconv.ParseUint(ref[i:], 10, 64)
	return n
}

// noteOrderNumber keeps the highest order number seen, so that new references
// follow the imported ones.
func noteOrderNumber(txn *badger.Txn, ref string) error {
	n := orderNumber(ref)
	last, err := lastOrderNumber(txn)
	if err != nil || n <= last {
		return err
	}
	return txn.Set([]byte(keyOrderNumber), []byte(strconv.FormatUint(n, 10)))
}

func lastOrderNumber(txn *badger.Txn) (uint64, error) {
	item, err := txn.Get([]byte(keyOrderNumber))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var n uint64
	err = item.Value(func(b []byte) error {
		var perr error
		n, perr = strconv.ParseUint(string(b), 10, 64)
		return perr
	})
	return n, err
}

// newOrderReference takes the next free reference with prefix.
func newOrderReference(txn *badger.Txn, prefix string) (string, error) {
	n, err := lastOrderNumber(txn)
	if err != nil {
		return "", err
	}
	if n < 100000 {
		n = 100000
	}
	for {
		n++
		ref := prefix + strconv.FormatUint(n, 10)
		taken, err := exists(txn, orderKey(ref))
		if err != nil {
			return "", err
		}
		if !taken {
			return ref, noteOrderNumber(txn, ref)
		}
	}
}

// Order returns the order with reference ref.
func (s *Store) Order(ctx context.Context, ref string) (domain.Order, bool, error) {
	o, found, err := lookup[domain.Order](s, orderKey(ref))
	if err != nil {
		return domain.Order{}, false, fmt.Errorf("storage: order %s: %w", ref, err)
	}
	return o, found, nil
}

// OrdersByEmail returns every order bought with email, newest first.
func (s *Store) OrdersByEmail(ctx context.Context, email string) ([]domain.Order, error) {
	var orders []domain.Order
	err := s.db.View(func(txn *badger.Txn) error {
		var err error
		orders, err = ordersByEmail(txn, email)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("storage: orders of an email: %w", err)
	}
	return orders, nil
}

func ordersByEmail(txn *badger.Txn, email string) ([]domain.Order, error) {
	prefix := []byte(emailIndexPrefix(email))
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: false})
	var refs []string
	for it.Rewind(); it.Valid(); it.Next() {
		refs = append(refs, string(it.Item().Key()[len(prefix):]))
	}
	it.Close()
	orders := make([]domain.Order, 0, len(refs))
	for _, ref := range refs {
		var o domain.Order
		found, err := getJSON(txn, orderKey(ref), &o)
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
	n := 0
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefixOrder)})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			n++
		}
		return nil
	})
	return n, err
}

// domainIndexKey lets staff find orders by the company part of an email.
func domainIndexKey(email, ref string) string {
	return prefixDomain + email[strings.LastIndexByte(email, '@')+1:] + "\x00" + ref
}
