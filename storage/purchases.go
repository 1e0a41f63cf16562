package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

func purchaseKey(id string) string { return prefixPurchase + id }
func purchaseEmailPrefix(email string) string {
	return prefixPurchaseEmail + email + "\x00"
}

// unpaidKey indexes a pending purchase by when it may be forgotten, so that
// ForgetUnpaidPurchases reads only what is due.
func unpaidKey(p domain.Purchase) string {
	return fmt.Sprintf("%s%020d\x00%s", prefixUnpaid, p.KeepUntil().Unix(), p.ID)
}

// putPurchase writes a purchase and its entries in the email's index and, while
// it is pending, in the index of unpaid purchases.
func putPurchase(txn *badger.Txn, p domain.Purchase) error {
	if err := setJSON(txn, purchaseKey(p.ID), p); err != nil {
		return err
	}
	if err := txn.Set([]byte(purchaseEmailPrefix(p.Email)+p.ID), nil); err != nil {
		return err
	}
	if p.Status == domain.PurchasePending {
		return txn.Set([]byte(unpaidKey(p)), nil)
	}
	return txn.Delete([]byte(unpaidKey(p)))
}

// ForgetUnpaidPurchases deletes the purchases still pending whose time to be
// kept (domain.Purchase.KeepUntil) has passed at now, with their index
// entries, and answers how many it deleted. Settled purchases are kept.
func (s *Store) ForgetUnpaidPurchases(ctx context.Context, now time.Time) (int, error) {
	bound := fmt.Sprintf("%s%020d", prefixUnpaid, now.Unix())
	forgotten := 0
	err := s.update(ctx, func(txn *badger.Txn) error {
		forgotten = 0
		for _, entry := range keysUnder(txn, prefixUnpaid) {
			if prefixUnpaid+entry > bound {
				break
			}
			_, id, _ := strings.Cut(entry, "\x00")
			if err := txn.Delete([]byte(prefixUnpaid + entry)); err != nil {
				return err
			}
			var p domain.Purchase
			found, err := getJSON(txn, purchaseKey(id), &p)
			if err != nil {
				return err
			}
			if !found || p.Status != domain.PurchasePending {
				continue // a purchase settled meanwhile is kept
			}
			if err := txn.Delete([]byte(purchaseKey(id))); err != nil {
				return err
			}
			if err := txn.Delete([]byte(purchaseEmailPrefix(p.Email) + id)); err != nil {
				return err
			}
			forgotten++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("storage: forget unpaid purchases: %w", err)
	}
	return forgotten, nil
}

// CreatePurchase stores a locked quote.
func (s *Store) CreatePurchase(ctx context.Context, p domain.Purchase) error {
	err := s.update(ctx, func(txn *badger.Txn) error { return putPurchase(txn, p) })
	if err != nil {
		return fmt.Errorf("storage: create purchase: %w", err)
	}
	return nil
}

// SetPurchaseCheckout records the payment provider's page of a purchase: its
// session id, which alone may pay for it, and its address, for Buy clicked again.
func (s *Store) SetPurchaseCheckout(ctx context.Context, id string, checkout domain.CheckoutSession) error {
	err := s.update(ctx, func(txn *badger.Txn) error {
		var p domain.Purchase
		found, err := getJSON(txn, purchaseKey(id), &p)
		if err != nil {
			return err
		}
		if !found {
			return domain.ErrNotFound
		}
		p.CheckoutID, p.CheckoutURL = checkout.ID, checkout.URL
		return putPurchase(txn, p)
	})
	if err != nil {
		return fmt.Errorf("storage: purchase checkout: %w", err)
	}
	return nil
}

// Purchase returns the purchase with id.
func (s *Store) Purchase(ctx context.Context, id string) (domain.Purchase, bool, error) {
	p, found, err := lookup[domain.Purchase](s, purchaseKey(id))
	if err != nil {
		return domain.Purchase{}, false, fmt.Errorf("storage: purchase: %w", err)
	}
	return p, found, nil
}

// FulfilPurchase applies a payment in one transaction, synced before it returns:
// it records the event, and either fulfils the purchase (a new order under the same
// email, the license changed, its history) or flags it for staff. The same event
// twice answers domain.ErrPaymentSeen and changes nothing; an unknown purchase answers a
// not-found error and changes nothing.
func (s *Store) FulfilPurchase(ctx context.Context, pay domain.Payment, numbering domain.Numbering) (domain.Purchase, error) {
	var result domain.Purchase
	var outcome error
	err := s.update(ctx, func(txn *badger.Txn) error {
		outcome = nil
		seen, err := exists(txn, prefixEvent+pay.EventID)
		if err != nil {
			return err
		}
		if seen {
			outcome = domain.ErrPaymentSeen
			return nil
		}
		var p domain.Purchase
		found, err := getJSON(txn, purchaseKey(pay.PurchaseID), &p)
		if err != nil {
			return err
		}
		if !found {
			outcome = domain.NotFoundf("no purchase %q", pay.PurchaseID)
			return nil
		}
		if p.CheckoutID == "" || pay.SessionID != p.CheckoutID {
			outcome = domain.ErrOtherSession
			return nil
		}
		if p.Status != domain.PurchasePending {
			// Another event already settled this purchase: record this one, change nothing.
			result = p
			outcome = domain.ErrPaymentSeen
			return txn.Set([]byte(prefixEvent+pay.EventID), []byte(p.ID))
		}
		var origin domain.Order
		var l domain.License
		if _, err := getJSON(txn, orderKey(p.OrderRef), &origin); err != nil {
			return err
		}
		if _, err := getJSON(txn, licenseKey(p.LicenseID), &l); err != nil {
			return err
		}
		newRef := func() (string, error) { return newOrderReference(txn, numbering.OrderPrefix) }
		p, f, err := domain.Fulfil(p, origin, l, pay, newRef, domain.NewActivationKey(), numbering.Seller)
		if err != nil {
			return err
		}
		if err := putPurchase(txn, p); err != nil {
			return err
		}
		if err := txn.Set([]byte(prefixEvent+pay.EventID), []byte(p.ID)); err != nil {
			return err
		}
		result = p
		if f == nil {
			if err := txn.Set([]byte(prefixFlagged+p.ID), nil); err != nil {
				return err
			}
			return queueEvents(txn, []domain.Event{domain.PurchaseEvent(p, pay.At)})
		}
		records, err := recordsOf(domain.OrderWithLicenses{Order: f.Order,
			InvoiceSeries: domain.InvoiceSeries(numbering.Seller.InvoicePrefix, f.Order.Date)})
		if err != nil {
			return err
		}
		if err := insertOrder(txn, records); err != nil {
			return err
		}
		if err := putLicense(txn, l, f.License); err != nil {
			return err
		}
		if err := putHistory(txn, []domain.HistoryEntry{f.Entry}); err != nil {
			return err
		}
		return queueEvents(txn, append(domain.EventsOf([]domain.HistoryEntry{f.Entry}), domain.PurchaseEvent(p, pay.At)))
	})
	if err != nil {
		return domain.Purchase{}, fmt.Errorf("storage: fulfil purchase: %w", err)
	}
	return result, outcome
}

// PurchasesByEmail returns the purchases of a customer, newest first.
func (s *Store) PurchasesByEmail(ctx context.Context, email string) ([]domain.Purchase, error) {
	out, err := read(s, "purchases of an email", func(txn *badger.Txn) ([]domain.Purchase, error) {
		var out []domain.Purchase
		for _, id := range keysUnder(txn, purchaseEmailPrefix(email)) {
			var p domain.Purchase
			if found, err := getJSON(txn, purchaseKey(id), &p); err != nil {
				return nil, err
			} else if found {
				out = append(out, p)
			}
		}
		return out, nil
	})
	slices.SortFunc(out, func(a, b domain.Purchase) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return out, err
}

// FlaggedPurchases returns the paid purchases that were not applied, through
// their index.
func (s *Store) FlaggedPurchases(ctx context.Context) ([]domain.Purchase, error) {
	return read(s, "flagged purchases", func(txn *badger.Txn) ([]domain.Purchase, error) {
		var out []domain.Purchase
		for _, id := range keysUnder(txn, prefixFlagged) {
			var p domain.Purchase
			if found, err := getJSON(txn, purchaseKey(id), &p); err != nil {
				return nil, err
			} else if found {
				out = append(out, p)
			}
		}
		return out, nil
	})
}
