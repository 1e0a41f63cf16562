package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"portal/domain"
)

// FulfilPurchase applies a payment in one transaction: it records the event,
// and either fulfils the purchase (a new order under the same email with the
// next order number, the license changed, its history) or flags it for staff.
// The purchase's row is locked first, then its order's, then the order
// counter's, so that the same event delivered to several instances at once is
// applied once: the others wait, then find it seen. The same event twice
// answers domain.ErrPaymentSeen and changes nothing; an unknown purchase
// answers a not-found error and changes nothing.
func (s *Store) FulfilPurchase(ctx context.Context, pay domain.Payment, numbering domain.Numbering) (domain.Purchase, error) {
	var result domain.Purchase
	var outcome error
	err := s.tx(ctx, func(tx pgx.Tx) error {
		result, outcome = domain.Purchase{}, nil
		p, found, err := lockPurchase(ctx, tx, pay.PurchaseID)
		if err != nil {
			return err
		}
		var seen bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM payment_events WHERE event_id = $1)`, pay.EventID).Scan(&seen); err != nil {
			return err
		}
		switch {
		case seen:
			outcome = domain.ErrPaymentSeen
			return nil
		case !found:
			outcome = domain.NotFoundf("no purchase %q", pay.PurchaseID)
			return nil
		case p.CheckoutID == "" || pay.SessionID != p.CheckoutID:
			outcome = domain.ErrOtherSession
			return nil
		case p.Status != domain.PurchasePending:
			// Another event already settled this purchase: record this one, change nothing.
			result, outcome = p, domain.ErrPaymentSeen
			return recordEvent(ctx, tx, pay.EventID, p.ID)
		}
		result, err = fulfil(ctx, tx, p, pay, numbering)
		return err
	})
	if err != nil {
		return domain.Purchase{}, fmt.Errorf("storage: fulfil purchase: %w", err)
	}
	return result, outcome
}

func lockPurchase(ctx context.Context, tx pgx.Tx, id string) (domain.Purchase, bool, error) {
	if !storable(id) {
		return domain.Purchase{}, false, nil
	}
	p, err := scanPurchase(tx.QueryRow(ctx, `SELECT `+purchaseColumns+` FROM purchases WHERE id = $1 FOR UPDATE`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Purchase{}, false, nil
	}
	return p, err == nil, err
}

func recordEvent(ctx context.Context, tx pgx.Tx, eventID, purchaseID string) error {
	_, err := tx.Exec(ctx, `INSERT INTO payment_events (event_id, purchase_id) VALUES ($1, $2)`, eventID, purchaseID)
	return err
}

// fulfil applies a payment to a pending purchase that tx has locked.
func fulfil(ctx context.Context, tx pgx.Tx, p domain.Purchase, pay domain.Payment, numbering domain.Numbering) (domain.Purchase, error) {
	// The license's order is locked, as every writer of a license does. Like
	// Badger, a missing order or license reads as a zero one: the purchase is
	// then flagged, since the license no longer matches the quote.
	origin, _, err := queryOrder(ctx, tx, `SELECT `+orderColumns+` FROM orders o WHERE o.reference = $1 FOR UPDATE`, p.OrderRef)
	if err != nil {
		return p, err
	}
	var l domain.License
	err = tx.QueryRow(ctx, `SELECT `+licenseColumns+` FROM licenses l WHERE l.id = $1`, p.LicenseID).Scan(licenseDest(&l)...)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return p, err
	}
	newRef := func() (string, error) { return newOrderReference(ctx, tx, numbering.OrderPrefix) }
	p, f, err := domain.Fulfil(p, origin, l, pay, newRef, domain.NewActivationKey(), numbering.Seller)
	if err != nil {
		return p, err
	}
	b := &pgx.Batch{}
	b.Queue(upsertPurchaseSQL, purchaseValues(p)...)
	b.Queue(`INSERT INTO payment_events (event_id, purchase_id) VALUES ($1, $2)`, pay.EventID, p.ID)
	if f != nil {
		numbers, err := nextInvoiceNumbers(ctx, tx, domain.InvoiceSeries(numbering.Seller.InvoicePrefix, f.Order.Date), 1)
		if err != nil {
			return p, err
		}
		f.Order.Invoices[0].Number = numbers[0]
		values, err := orderValues(f.Order)
		if err != nil {
			return p, err
		}
		b.Queue(insertOrderSQL, values...)
		b.Queue(upsertLicenseSQL, licenseValues(f.License)...)
		if err := queueHistory(b, []domain.HistoryEntry{f.Entry}); err != nil {
			return p, err
		}
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return p, err
	}
	events := []domain.Event{domain.PurchaseEvent(p, pay.At)}
	if f != nil {
		events = append(domain.EventsOf([]domain.HistoryEntry{f.Entry}), events...)
	}
	return p, queueEvents(ctx, tx, events)
}
