package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

// Export writes the catalog and every order with its licenses as JSON Lines that
// "portal import" reads back. It reads one consistent snapshot, online.
func (s *Store) Export(ctx context.Context, w io.Writer) (orders int, err error) {
	enc := json.NewEncoder(w)
	err = s.db.View(func(txn *badger.Txn) error {
		err := scan(txn, prefixProduct, false, func(p domain.Product) (bool, error) {
			return true, enc.Encode(domain.NewProductLine(p))
		})
		if err != nil {
			return err
		}
		return scan(txn, prefixOrder, false, func(o domain.Order) (bool, error) {
			if err := ctx.Err(); err != nil {
				return false, err
			}
			licenses := make([]domain.License, 0, len(o.LicenseIDs))
			for _, id := range o.LicenseIDs {
				var l domain.License
				if _, err := getJSON(txn, licenseKey(id), &l); err != nil {
					return false, err
				}
				licenses = append(licenses, l)
			}
			orders++
			return true, enc.Encode(domain.NewOrderLine(o, licenses))
		})
	})
	if err != nil {
		return orders, fmt.Errorf("storage: export: %w", err)
	}
	return orders, nil
}
