package storage

import (
	"context"
	"fmt"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

func licenseKey(id string) string { return prefixLicense + id }
func serialIndexKey(serial, licenseID string) string {
	return prefixSerial + serial + "\x00" + licenseID
}
func historyPrefix(licenseID string) string { return prefixHistory + licenseID + "\x00" }

// License returns the license with the given id.
func (s *Store) License(ctx context.Context, id string) (domain.License, bool, error) {
	l, found, err := lookup[domain.License](s, licenseKey(id))
	if err != nil {
		return domain.License{}, false, fmt.Errorf("storage: license %s: %w", id, err)
	}
	return l, found, nil
}

// Licenses returns the licenses named by ids, in that order, leaving out ids
// that name none: an order's licenses in one read.
func (s *Store) Licenses(ctx context.Context, ids []string) ([]domain.License, error) {
	return read(s, "licenses", func(txn *badger.Txn) ([]domain.License, error) {
		licenses := make([]domain.License, 0, len(ids))
		for _, id := range ids {
			l, found, err := getShared[domain.License](s, txn, licenseKey(id))
			if err != nil {
				return nil, err
			}
			if found {
				licenses = append(licenses, l)
			}
		}
		return licenses, nil
	})
}

// LicensesByEmail returns the licenses of every order bought with email, in the
// order of OrdersByEmail (newest order first) and then of the order's own list.
func (s *Store) LicensesByEmail(ctx context.Context, email string) ([]domain.License, error) {
	return cached(&s.queries, "licenses\x00"+email, func() ([]domain.License, error) {
		return s.licensesByEmail(email)
	})
}

func (s *Store) licensesByEmail(email string) ([]domain.License, error) {
	return read(s, "licenses of an email", func(txn *badger.Txn) ([]domain.License, error) {
		orders, err := s.ordersByEmail(txn, email)
		if err != nil {
			return nil, err
		}
		var licenses []domain.License
		for _, o := range orders {
			for _, id := range o.LicenseIDs {
				l, found, err := getShared[domain.License](s, txn, licenseKey(id))
				if err != nil {
					return nil, err
				}
				if found {
					licenses = append(licenses, l)
				}
			}
		}
		return licenses, nil
	})
}

// putLicense writes l and keeps the serial index in step with it; before is the
// license as stored until now (zero for a new one).
func putLicense(txn *badger.Txn, before, l domain.License) error {
	if before.Serial != l.Serial && before.Serial != "" {
		if err := txn.Delete([]byte(serialIndexKey(before.Serial, l.ID))); err != nil {
			return err
		}
	}
	if l.Serial != "" && before.Serial != l.Serial {
		if err := txn.Set([]byte(serialIndexKey(l.Serial, l.ID)), nil); err != nil {
			return err
		}
	}
	return setJSON(txn, licenseKey(l.ID), l)
}

// LicenseHistory returns a license's history, oldest first.
func (s *Store) LicenseHistory(ctx context.Context, licenseID string) ([]domain.HistoryEntry, error) {
	return read(s, "license history", func(txn *badger.Txn) ([]domain.HistoryEntry, error) {
		return licenseHistory(txn, licenseID)
	})
}

func licenseHistory(txn *badger.Txn, licenseID string) ([]domain.HistoryEntry, error) {
	return scanAll[domain.HistoryEntry](txn, historyPrefix(licenseID))
}

// putHistory appends entries to their licenses' histories.
func putHistory(txn *badger.Txn, entries []domain.HistoryEntry) error {
	for _, e := range entries {
		if err := putNumbered(txn, historyPrefix(e.LicenseID), e.At, e); err != nil {
			return err
		}
	}
	return nil
}
