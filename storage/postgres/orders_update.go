package postgres

import (
	"context"
	"fmt"
	"reflect"

	"github.com/jackc/pgx/v5"

	"portal/domain"
)

// UpdateOrder loads the order ref with its licenses and their history, lets
// change run one domain operation on them, and writes back the order, the
// licenses it changed and the history it recorded, in one transaction. The
// order's row is locked first, so that a concurrent change of the same order,
// from this instance or another, waits for this one and then sees its result.
// An error from change is returned as it is and writes nothing; a change that
// changes nothing writes nothing.
func (s *Store) UpdateOrder(ctx context.Context, ref string, change func(u *domain.OrderUpdate) error) error {
	if !storable(ref) {
		return domain.ErrNotFound
	}
	var changeErr error
	err := s.tx(ctx, func(tx pgx.Tx) error {
		changeErr = nil
		u, found, err := loadOrderUpdate(ctx, tx, ref)
		if err != nil {
			return err
		}
		if !found {
			changeErr = domain.ErrNotFound
			return changeErr
		}
		before := u.Order
		stored := make(map[string]domain.License, len(u.Licenses))
		for _, l := range u.Licenses {
			stored[l.ID] = l
		}
		if changeErr = change(u); changeErr != nil {
			return changeErr
		}
		if len(u.Recorded) == 0 && reflect.DeepEqual(before, u.Order) && licensesUnchanged(stored, u.Licenses) {
			return nil // a read: nothing to write
		}
		err = writeOrderUpdate(ctx, tx, before, u, stored)
		if uniqueViolation(err, "orders_activation_key_unique") {
			changeErr = domain.Conflictf("that activation key is already in use; try again")
			return changeErr
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

// loadOrderUpdate locks the order ref and reads it with its licenses and
// their history. Every writer of a license locks its order first.
func loadOrderUpdate(ctx context.Context, tx pgx.Tx, ref string) (*domain.OrderUpdate, bool, error) {
	o, found, err := queryOrder(ctx, tx, `SELECT `+orderColumns+` FROM orders o WHERE o.reference = $1 FOR UPDATE`, ref)
	if err != nil || !found {
		return nil, false, err
	}
	u := &domain.OrderUpdate{Order: o, History: make(map[string][]domain.HistoryEntry, len(o.LicenseIDs))}
	for _, id := range o.LicenseIDs {
		u.History[id] = nil
	}
	b := &pgx.Batch{}
	b.Queue(orderLicensesSQL, o.LicenseIDs).Query(func(rows pgx.Rows) (err error) {
		u.Licenses, err = collectLicenses(rows)
		return err
	})
	b.Queue(`SELECT `+historyColumns+` FROM history WHERE license_id = ANY($1) ORDER BY license_id, at, seq`, o.LicenseIDs).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			e, err := scanHistory(rows)
			if err != nil {
				return err
			}
			u.History[e.LicenseID] = append(u.History[e.LicenseID], e)
		}
		return rows.Err()
	})
	return u, true, tx.SendBatch(ctx, b).Close()
}

// writeOrderUpdate writes what the change did: the order if it changed, each
// license that changed, and the history recorded.
func writeOrderUpdate(ctx context.Context, tx pgx.Tx, before domain.Order, u *domain.OrderUpdate, stored map[string]domain.License) error {
	b := &pgx.Batch{}
	if !reflect.DeepEqual(before, u.Order) {
		values, err := orderValues(u.Order)
		if err != nil {
			return err
		}
		// The reference is the row's identity: the change may alter anything else.
		b.Queue(`UPDATE orders SET ordered_at = $2, name = $3, country = $4, city = $5, contact_name = $6,
			email = $7, email_domain = $8, currency = $9, items = $10, total = $11, activation_key = $12,
			source = $13, license_ids = $14, billing = $15, tax = $16, invoices = $17, invoice_number = $18
			WHERE reference = $1`, values...)
	}
	for _, l := range u.Licenses {
		if old, ok := stored[l.ID]; !ok || !reflect.DeepEqual(old, l) {
			b.Queue(upsertLicenseSQL, licenseValues(l)...)
		}
	}
	if err := queueHistory(b, u.Recorded); err != nil {
		return err
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return err
	}
	// The events the change reports, in its transaction (section 16).
	return queueEvents(ctx, tx, domain.EventsOf(u.Recorded))
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
