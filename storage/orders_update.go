package storage

import (
	"context"
	"fmt"
	"reflect"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

// UpdateOrder loads the order ref with its licenses and their history, lets
// change run one domain operation on them, and writes back the order, its
// licenses, their index entries and the history the operation recorded, all in
// one transaction synced to disk before it returns. An error from change is
// returned as it is and writes nothing. A concurrent change of the same order
// makes the whole function run again.
func (s *Store) UpdateOrder(ctx context.Context, ref string, change func(u *domain.OrderUpdate) error) error {
	var changeErr error
	err := s.update(ctx, func(txn *badger.Txn) error {
		changeErr = nil
		u := &domain.OrderUpdate{History: map[string][]domain.HistoryEntry{}}
		found, err := getJSON(txn, orderKey(ref), &u.Order)
		if err != nil {
			return err
		}
		if !found {
			changeErr = domain.ErrNotFound
			return changeErr
		}
		before := u.Order
		stored := make(map[string]domain.License, len(u.Order.LicenseIDs))
		for _, id := range u.Order.LicenseIDs {
			var l domain.License
			if _, err := getJSON(txn, licenseKey(id), &l); err != nil {
				return err
			}
			if u.History[id], err = licenseHistory(txn, id); err != nil {
				return err
			}
			stored[id] = l
			u.Licenses = append(u.Licenses, l)
		}
		if changeErr = change(u); changeErr != nil {
			return changeErr
		}
		if len(u.Recorded) == 0 && reflect.DeepEqual(before, u.Order) && licensesUnchanged(stored, u.Licenses) {
			return nil // a read: nothing to write
		}
		if u.Order.ActivationKey != before.ActivationKey {
			if changeErr = moveActivationKey(txn, before.ActivationKey, u.Order.ActivationKey, ref); changeErr != nil {
				return changeErr
			}
		}
		if u.Order.Email != before.Email {
			if err := moveEmail(txn, before.Email, u.Order.Email, ref); err != nil {
				return err
			}
		}
		if err := setJSON(txn, orderKey(ref), u.Order); err != nil {
			return err
		}
		for _, l := range u.Licenses {
			if old := stored[l.ID]; !reflect.DeepEqual(old, l) {
				if err := putLicense(txn, old, l); err != nil {
					return err
				}
			}
		}
		return putHistory(txn, u.Recorded)
	})
	if changeErr != nil {
		return changeErr
	}
	if err != nil {
		return fmt.Errorf("storage: update order %s: %w", ref, err)
	}
	return nil
}

// licensesUnchanged reports whether every license is as stored.
func licensesUnchanged(stored map[string]domain.License, now []domain.License) bool {
	for _, l := range now {
		if old, ok := stored[l.ID]; !ok || !reflect.DeepEqual(old, l) {
			return false
		}
	}
	return true
}

// moveActivationKey points the key index at the order's new key; a key already
// in use by another order (a collision of random keys) refuses the change.
func moveActivationKey(txn *badger.Txn, old, key, ref string) error {
	taken, err := exists(txn, activationKeyKey(key))
	if err != nil {
		return err
	}
	if taken {
		return domain.Conflictf("that activation key is already in use; try again")
	}
	if err := txn.Delete([]byte(activationKeyKey(old))); err != nil {
		return err
	}
	return txn.Set([]byte(activationKeyKey(key)), []byte(ref))
}

// moveEmail moves the order's entries in the email and email-domain indexes
// from its old email to its new one, so that it is found by the new one only.
func moveEmail(txn *badger.Txn, old, email, ref string) error {
	for _, key := range []string{emailIndexKey(old, ref), domainIndexKey(old, ref)} {
		if err := txn.Delete([]byte(key)); err != nil {
			return err
		}
	}
	for _, key := range []string{emailIndexKey(email, ref), domainIndexKey(email, ref)} {
		if err := txn.Set([]byte(key), nil); err != nil {
			return err
		}
	}
	return nil
}
