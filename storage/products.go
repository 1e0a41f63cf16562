package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

func productKey(software, edition string) string { return prefixProduct + software + "\x00" + edition }

// SaveProduct creates or replaces the catalog entry for the product's software and
// edition; changed is false when the stored entry was already the same.
func (s *Store) SaveProduct(ctx context.Context, p domain.Product) (changed bool, err error) {
	b, err := json.Marshal(p)
	if err != nil {
		return false, err
	}
	key := []byte(productKey(p.Software, p.Edition))
	err = s.update(ctx, func(txn *badger.Txn) error {
		changed = true
		item, err := txn.Get(key)
		if err == nil {
			old, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			if bytes.Equal(old, b) {
				changed = false
				return nil
			}
		} else if !errors.Is(err, badger.ErrKeyNotFound) {
			return err
		}
		return txn.Set(key, b)
	})
	if err != nil {
		return false, fmt.Errorf("storage: save product: %w", err)
	}
	return changed, nil
}

// Product returns the catalog entry for software and edition.
func (s *Store) Product(ctx context.Context, software, edition string) (domain.Product, bool, error) {
	p, found, err := lookup[domain.Product](s, productKey(software, edition))
	if err != nil {
		return domain.Product{}, false, fmt.Errorf("storage: product: %w", err)
	}
	return p, found, nil
}

// Products returns the catalog, ordered by software and edition.
func (s *Store) Products(ctx context.Context) ([]domain.Product, error) {
	return cached(&s.queries, "products", func() ([]domain.Product, error) {
		return read(s, "products", func(txn *badger.Txn) ([]domain.Product, error) {
			return scanAll[domain.Product](txn, prefixProduct)
		})
	})
}

// SaveProductAudited creates or replaces a catalog entry and records who did it.
func (s *Store) SaveProductAudited(ctx context.Context, p domain.Product, audit domain.AuditEntry) error {
	err := s.update(ctx, func(txn *badger.Txn) error {
		if err := setJSON(txn, productKey(p.Software, p.Edition), p); err != nil {
			return err
		}
		return putAudit(txn, audit)
	})
	if err != nil {
		return fmt.Errorf("storage: save product: %w", err)
	}
	return nil
}
