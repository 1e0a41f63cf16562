package storage

import (
	"context"
	"fmt"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

func licenseKey(id string) string { return prefixLicense + id }

// License returns the license with the given id.
func (s *Store) License(ctx context.Context, id string) (domain.License, bool, error) {
	l, found, err := lookup[domain.License](s, licenseKey(id))
	if err != nil {
		return domain.License{}, false, fmt.Errorf("storage: license %s: %w", id, err)
	}
	return l, found, nil
}

// LicensesByEmail returns the licenses of every order bought with email, in the
// order of OrdersByEmail (newest order first) and then of the order's own list.
func (s *Store) LicensesByEmail(ctx context.Context, email string) ([]domain.License, error) {
	var licenses []domain.License
	err := s.db.View(func(txn *badger.Txn) error {
		orders, err := ordersByEmail(txn, email)
		if err != nil {
			return err
		}
		for _, o := range orders {
			for _, id := range o.LicenseIDs {
				var l domain.License
				found, err := getJSON(txn, licenseKey(id), &l)
				if err != nil {
					return err
				}
				if found {
					licenses = append(licenses, l)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("storage: licenses of an email: %w", err)
	}
	return licenses, nil
}
