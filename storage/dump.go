package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

// Dump calls emit with every record of the portal, read in one consistent
// snapshot while the portal serves: the catalog, each order followed by its
// licenses, the licenses' history, purchases, payment events, staff accounts,
// the audit log, the counters, the seller details and the webhook endpoints,
// each kind in key order.
// Sessions and rate limits are not records. An error from emit stops the dump and is returned.
func (s *Store) Dump(ctx context.Context, emit func(domain.Record) error) error {
	each := func(r domain.Record) (bool, error) {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		return true, emit(r)
	}
	err := s.db.View(func(txn *badger.Txn) error {
		steps := []func() error{
			func() error {
				return scan(txn, prefixProduct, false, func(p domain.Product) (bool, error) { return each(domain.Record{Product: &p}) })
			},
			func() error {
				return scan(txn, prefixOrder, false, func(o domain.Order) (bool, error) {
					if more, err := each(domain.Record{Order: &o}); !more || err != nil {
						return more, err
					}
					for _, id := range o.LicenseIDs {
						var l domain.License
						if found, err := getJSON(txn, licenseKey(id), &l); err != nil || !found {
							return err == nil, err
						}
						if more, err := each(domain.Record{License: &l}); !more || err != nil {
							return more, err
						}
					}
					return true, nil
				})
			},
			func() error {
				return scan(txn, prefixHistory, false, func(e domain.HistoryEntry) (bool, error) { return each(domain.Record{History: &e}) })
			},
			func() error {
				return scan(txn, prefixPurchase, false, func(p domain.Purchase) (bool, error) { return each(domain.Record{Purchase: &p}) })
			},
			func() error { return dumpPaymentEvents(txn, each) },
			func() error {
				return scan(txn, prefixStaff, false, func(u domain.StaffUser) (bool, error) { return each(domain.Record{Staff: &u}) })
			},
			func() error {
				return scan(txn, prefixAudit, false, func(e domain.AuditEntry) (bool, error) { return each(domain.Record{Audit: &e}) })
			},
			func() error { return dumpCounters(txn, each) },
			func() error {
				var seller domain.Seller
				found, err := getJSON(txn, keySeller, &seller)
				if err == nil && found {
					_, err = each(domain.Record{Seller: &seller})
				}
				return err
			},
			func() error {
				return scan(txn, prefixWebhookEndpoint, false, func(e domain.WebhookEndpoint) (bool, error) {
					return each(domain.Record{WebhookEndpoint: &e})
				})
			},
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("storage: dump: %w", err)
	}
	return nil
}

// dumpCounters emits every counter in the order of its name: the order
// number's (0 when nothing was counted yet) and each invoice series'.
func dumpCounters(txn *badger.Txn, each func(domain.Record) (bool, error)) error {
	names := keysUnder(txn, prefixSeq)
	if !slices.Contains(names, domain.CounterOrderNumber) {
		names = append(names, domain.CounterOrderNumber)
		slices.Sort(names)
	}
	for _, name := range names {
		v, found, err := getString(txn, prefixSeq+name)
		if err != nil {
			return err
		}
		n := uint64(0)
		if found {
			if n, err = strconv.ParseUint(v, 10, 64); err != nil {
				return fmt.Errorf("counter %s: %w", name, err)
			}
		}
		if _, err := each(domain.Record{Counter: &domain.Counter{Name: name, Value: n}}); err != nil {
			return err
		}
	}
	return nil
}

// dumpPaymentEvents emits each payment event, whose key names the event and
// whose value the purchase.
func dumpPaymentEvents(txn *badger.Txn, each func(domain.Record) (bool, error)) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefixEvent), PrefetchValues: true})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		purchaseID, err := it.Item().ValueCopy(nil)
		if err != nil {
			return err
		}
		e := domain.PaymentEvent{EventID: string(it.Item().Key()[len(prefixEvent):]), PurchaseID: string(purchaseID)}
		if _, err := each(domain.Record{PaymentEvent: &e}); err != nil {
			return err
		}
	}
	return nil
}

// Load writes records (as Dump gives them) into an empty store with every
// index entry that the store's own writes keep, in as few synced transactions
// as Badger's batch limits allow, never splitting a record. A store that holds
// anything answers domain.ErrNotEmpty and is left alone. An error from records
// stops the load and is returned; what was loaded before stays, so a failed
// load is retried into a new folder.
func (s *Store) Load(ctx context.Context, records iter.Seq2[domain.Record, error]) error {
	// Written outside Store.update: count it, so that no cached answer outlives it.
	defer s.queries.wrote()
	empty, err := read(s, "load", func(txn *badger.Txn) (bool, error) { return s.empty(txn) })
	if err != nil {
		return err
	}
	if !empty {
		return domain.ErrNotEmpty
	}
	maxSize, maxCount := s.db.MaxBatchSize()*3/4, s.db.MaxBatchCount()*3/4
	txn := s.db.NewTransaction(true)
	defer func() { txn.Discard() }()
	// A backup from before invoices may hold orders without one: number them at the next start.
	if err := txn.Delete([]byte(keyInvoicesNumbered)); err != nil {
		return fmt.Errorf("storage: load: %w", err)
	}
	size, count := int64(0), int64(0)
	for r, err := range records {
		if err == nil {
			err = firstErr(ctx.Err(), r.Validate())
		}
		if err != nil {
			return fmt.Errorf("storage: load: %w", err)
		}
		kv, err := recordEntries(txn, r)
		if err != nil {
			return fmt.Errorf("storage: load: %w", err)
		}
		if count > 0 && (size+kv.size > maxSize || count+int64(len(kv.kv)) > maxCount) {
			if err := txn.Commit(); err != nil {
				return fmt.Errorf("storage: load: %w", err)
			}
			txn, size, count = s.db.NewTransaction(true), 0, 0
			if kv, err = recordEntries(txn, r); err != nil {
				return fmt.Errorf("storage: load: %w", err)
			}
		}
		for _, e := range kv.kv {
			if err := txn.Set(e.key, e.value); err != nil {
				return fmt.Errorf("storage: load: %w", err)
			}
		}
		size, count = size+kv.size, count+int64(len(kv.kv))
	}
	if err := txn.Commit(); err != nil {
		return fmt.Errorf("storage: load: %w", err)
	}
	return nil
}

// firstErr is the first of errs that is not nil.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// empty reports whether the store holds no record.
func (s *Store) empty(txn *badger.Txn) (bool, error) {
	for _, prefix := range []string{prefixProduct, prefixOrder, prefixLicense, prefixHistory, prefixPurchase,
		prefixEvent, prefixStaff, prefixAudit, prefixWebhookEndpoint} {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix), PrefetchValues: false})
		it.Rewind()
		found := it.Valid()
		it.Close()
		if found {
			return false, nil
		}
	}
	if found, err := exists(txn, keySeller); err != nil || found {
		return false, err
	}
	n, err := lastOrderNumber(txn)
	return n == 0, err
}

// recordEntries are the entries that store r: the record and its index
// entries. History and audit entries take the next free number of their
// instant, as their writers do.
func recordEntries(txn *badger.Txn, r domain.Record) (orderRecords, error) {
	var out orderRecords
	add := func(key string, value any) error {
		var b []byte
		switch v := value.(type) {
		case nil:
		case string:
			b = []byte(v)
		default:
			var err error
			if b, err = json.Marshal(v); err != nil {
				return err
			}
		}
		out.kv = append(out.kv, keyValue{[]byte(key), b})
		out.size += int64(len(key) + len(b) + 32)
		return nil
	}
	var err error
	switch {
	case r.Product != nil:
		err = add(productKey(r.Product.Software, r.Product.Edition), r.Product)
	case r.Order != nil:
		o := r.Order
		err = firstErr(add(orderKey(o.Reference), o), add(emailIndexKey(o.Email, o.Reference), nil),
			add(domainIndexKey(o.Email, o.Reference), nil), add(activationKeyKey(o.ActivationKey), o.Reference))
		if n := o.InvoiceNumber(); n != "" {
			err = firstErr(err, add(invoiceKey(n), o.Reference))
		}
	case r.License != nil:
		err = add(licenseKey(r.License.ID), r.License)
		if r.License.Serial != "" {
			err = firstErr(err, add(serialIndexKey(r.License.Serial, r.License.ID), nil))
		}
	case r.History != nil:
		err = addNumbered(txn, historyPrefix(r.History.LicenseID), r.History.At, r.History, add)
	case r.Purchase != nil:
		p := *r.Purchase
		err = firstErr(add(purchaseKey(p.ID), p), add(purchaseEmailPrefix(p.Email)+p.ID, nil))
		if p.Status == domain.PurchasePending {
			err = firstErr(err, add(unpaidKey(p), nil))
		}
		if p.Status == domain.PurchaseFlagged {
			err = firstErr(err, add(prefixFlagged+p.ID, nil))
		}
	case r.PaymentEvent != nil:
		err = add(prefixEvent+r.PaymentEvent.EventID, r.PaymentEvent.PurchaseID)
	case r.Staff != nil:
		err = add(staffKey(r.Staff.Email), r.Staff)
	case r.Audit != nil:
		err = addNumbered(txn, prefixAudit, r.Audit.At, r.Audit, add)
	case r.Seller != nil:
		err = add(keySeller, r.Seller)
	case r.WebhookEndpoint != nil:
		err = add(webhookEndpointKey(r.WebhookEndpoint.ID), r.WebhookEndpoint)
	case r.Counter != nil:
		if r.Counter.Name != domain.CounterOrderNumber && !strings.HasPrefix(r.Counter.Name, domain.CounterInvoiceSeries("")) {
			return out, fmt.Errorf("unknown counter %q", r.Counter.Name)
		}
		err = add(prefixSeq+r.Counter.Name, strconv.FormatUint(r.Counter.Value, 10))
	}
	return out, err
}

// addNumbered adds v under the first free key of prefix and its instant.
func addNumbered(txn *badger.Txn, prefix string, at time.Time, v any, add func(string, any) error) error {
	for n := 0; ; n++ {
		key := numberedKey(prefix, at, n)
		taken, err := exists(txn, key)
		if err != nil {
			return err
		}
		if !taken {
			return add(key, v)
		}
	}
}
