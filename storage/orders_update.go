package storage

import (
	"context"
	"errors"
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
// makes the whole function run again, so change may run more than once and
// must not depend on what an earlier run of it set.
//
// Most operations the licensed software asks for (a refresh, an activation of
// a computer already bound) change nothing: they run first on the order as last
// read, kept until the next write, and only a change opens a write transaction.
func (s *Store) UpdateOrder(ctx context.Context, ref string, change func(u *domain.OrderUpdate) error) error {
	snap, err := cached(&s.queries, "order-update\x00"+ref, func() (orderSnapshot, error) {
		return read(s, "order "+ref, func(txn *badger.Txn) (orderSnapshot, error) { return loadOrderSnapshot(txn, ref) })
	})
	if err != nil {
		return err
	}
	if !snap.found {
		return domain.ErrNotFound
	}
	if u := snap.update(); change(u) != nil || !snap.unchanged(u) {
		return s.updateOrder(ctx, ref, change)
	}
	return nil
}

// updateOrder is UpdateOrder's write transaction.
func (s *Store) updateOrder(ctx context.Context, ref string, change func(u *domain.OrderUpdate) error) error {
	var changeErr error
	err := s.update(ctx, func(txn *badger.Txn) error {
		var err error
		changeErr, err = changeOrderIn(txn, ref, change)
		switch {
		case changeErr != nil:
			return changeErr
		case errors.Is(err, errReadOnly):
			return errReadOnly // a read: nothing to write
		}
		return err
	})
	if changeErr != nil {
		return changeErr
	}
	if err != nil {
		return fmt.Errorf("storage: update order %s: %w", ref, err)
	}
	return nil
}

// changeOrderIn runs change on the order ref inside txn and writes what it
// did: the order, its index entries, the licenses it changed and the history
// it recorded. changeErr is the change's own refusal (or not found), err a
// failure of the store, or errReadOnly when the change changed nothing.
func changeOrderIn(txn *badger.Txn, ref string, change func(u *domain.OrderUpdate) error) (changeErr, err error) {
	snap, err := loadOrderSnapshot(txn, ref)
	if err != nil {
		return nil, err
	}
	if !snap.found {
		return domain.ErrNotFound, nil
	}
	u := snap.update()
	if changeErr = change(u); changeErr != nil {
		return changeErr, nil
	}
	if snap.unchanged(u) {
		return nil, errReadOnly
	}
	if u.Order.ActivationKey != snap.order.ActivationKey {
		if changeErr = moveActivationKey(txn, snap.order.ActivationKey, u.Order.ActivationKey, ref); changeErr != nil {
			return changeErr, nil
		}
	}
	if u.Order.Email != snap.order.Email {
		if err := moveEmail(txn, snap.order.Email, u.Order.Email, ref); err != nil {
			return nil, err
		}
	}
	if err := setJSON(txn, orderKey(ref), u.Order); err != nil {
		return nil, err
	}
	for i, l := range u.Licenses {
		if old := snap.licenses[i]; !reflect.DeepEqual(old, l) {
			if err := putLicense(txn, old, l); err != nil {
				return nil, err
			}
		}
	}
	if err := putHistory(txn, u.Recorded); err != nil {
		return nil, err
	}
	// The events the change reports, in its transaction (section 16).
	return nil, queueEvents(txn, domain.EventsOf(u.Recorded))
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
