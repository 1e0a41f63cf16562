package storage

import (
	"context"
	"fmt"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

// Seller returns the seller details an admin saved; found is false until one
// did (the invoices then use the PORTAL_SELLER_* settings).
func (s *Store) Seller(ctx context.Context) (domain.Seller, bool, error) {
	seller, found, err := lookup[domain.Seller](s, keySeller)
	if err != nil {
		return domain.Seller{}, false, fmt.Errorf("storage: seller: %w", err)
	}
	return seller, found, nil
}

// SaveSeller stores the seller details and records who changed them, in one
// transaction.
func (s *Store) SaveSeller(ctx context.Context, seller domain.Seller, audit domain.AuditEntry) error {
	err := s.update(ctx, func(txn *badger.Txn) error {
		if err := setJSON(txn, keySeller, seller); err != nil {
			return err
		}
		return putAudit(txn, audit)
	})
	if err != nil {
		return fmt.Errorf("storage: save seller: %w", err)
	}
	return nil
}
