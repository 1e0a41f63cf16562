package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

func serialIndexKey(serial, licenseID string) string {
	return prefixSerial + serial + "\x00" + licenseID
}
func historyPrefix(licenseID string) string { return prefixHistory + licenseID + "\x00" }

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

// OrderByActivationKey returns the order that key (in stored form) belongs to.
// The caller still compares the key in constant time: this is an index look-up.
func (s *Store) OrderByActivationKey(ctx context.Context, key string) (domain.Order, bool, error) {
	var o domain.Order
	var found bool
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(activationKeyKey(key)))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		ref, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		found, err = getJSON(txn, orderKey(string(ref)), &o)
		return err
	})
	if err != nil {
		return domain.Order{}, false, fmt.Errorf("storage: order by activation key: %w", err)
	}
	return o, found, nil
}

// UpdateOrder loads the order ref and its licenses, lets change alter them, and
// writes back the order, its licenses, their index entries and the history entries
// change returns, all in one transaction synced to disk before it returns. An error
// from change is returned as it is and writes nothing. A concurrent change of the
// same order makes the whole function run again.
func (s *Store) UpdateOrder(ctx context.Context, ref string, change func(u *domain.OrderUpdate) ([]domain.HistoryEntry, error)) error {
	var changeErr error
	err := s.update(ctx, func(txn *badger.Txn) error {
		changeErr = nil
		oc := &domain.OrderUpdate{History: func(id string) ([]domain.HistoryEntry, error) { return licenseHistory(txn, id) }}
		found, err := getJSON(txn, orderKey(ref), &oc.Order)
		if err != nil {
			return err
		}
		if !found {
			changeErr = domain.ErrNotFound
			return changeErr
		}
		before := oc.Order
		stored := make(map[string]domain.License, len(oc.Order.LicenseIDs))
		for _, id := range oc.Order.LicenseIDs {
			var l domain.License
			if _, err := getJSON(txn, licenseKey(id), &l); err != nil {
				return err
			}
			stored[id] = l
			oc.Licenses = append(oc.Licenses, l)
		}
		entries, err := change(oc)
		if err != nil {
			changeErr = err
			return err
		}
		if len(entries) == 0 && reflect.DeepEqual(before, oc.Order) && licensesUnchanged(stored, oc.Licenses) {
			return nil // nothing to write
		}
		if oc.Order.ActivationKey != before.ActivationKey {
			taken, err := exists(txn, activationKeyKey(oc.Order.ActivationKey))
			if err != nil {
				return err
			}
			if taken {
				changeErr = domain.Conflictf("that activation key is already in use; try again")
				return changeErr
			}
			if err := txn.Delete([]byte(activationKeyKey(before.ActivationKey))); err != nil {
				return err
			}
			if err := txn.Set([]byte(activationKeyKey(oc.Order.ActivationKey)), []byte(ref)); err != nil {
				return err
			}
		}
		if err := setJSON(txn, orderKey(ref), oc.Order); err != nil {
			return err
		}
		for _, l := range oc.Licenses {
			if old, ok := stored[l.ID]; !ok || old != l {
				if err := putLicense(txn, old, l); err != nil {
					return err
				}
			}
		}
		return putHistory(txn, entries)
	})
	if changeErr != nil {
		return changeErr
	}
	if err != nil {
		return fmt.Errorf("storage: update order %s: %w", ref, err)
	}
	return nil
}

// putHistory appends entries; two entries of one license at the same instant get
// the next free counter, so that none overwrites another.
func licensesUnchanged(stored map[string]domain.License, now []domain.License) bool {
	for _, l := range now {
		if old, ok := stored[l.ID]; !ok || !reflect.DeepEqual(old, l) {
			return false
		}
	}
	return true
}

func putHistory(txn *badger.Txn, entries []domain.HistoryEntry) error {
	for _, e := range entries {
		for n := 0; ; n++ {
			key := fmt.Sprintf("%s%020d-%04d", historyPrefix(e.LicenseID), e.At.UnixNano(), n)
			taken, err := exists(txn, key)
			if err != nil {
				return err
			}
			if !taken {
				if err := setJSON(txn, key, e); err != nil {
					return err
				}
				break
			}
		}
	}
	return nil
}

// LicenseHistory returns a license's history, oldest first.
func (s *Store) LicenseHistory(ctx context.Context, licenseID string) ([]domain.HistoryEntry, error) {
	var entries []domain.HistoryEntry
	err := s.db.View(func(txn *badger.Txn) error {
		var err error
		entries, err = licenseHistory(txn, licenseID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("storage: license history: %w", err)
	}
	return entries, nil
}

func licenseHistory(txn *badger.Txn, licenseID string) ([]domain.HistoryEntry, error) {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(historyPrefix(licenseID)), PrefetchValues: true})
	defer it.Close()
	var entries []domain.HistoryEntry
	for it.Rewind(); it.Valid(); it.Next() {
		var e domain.HistoryEntry
		if err := it.Item().Value(func(b []byte) error { return json.Unmarshal(b, &e) }); err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	return entries, nil
}
