package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"math"

	"github.com/jackc/pgx/v5"

	"portal/domain"
)

// loadBatch is how many records one transaction of Load writes.
const loadBatch = 2000

// Load writes records (as Dump gives them: an order before its licenses, a
// license before its history, a purchase before its events) into an empty
// store, in transactions of loadBatch records; the indexes follow the rows. A
// store that holds anything answers domain.ErrNotEmpty and is left alone. An
// error from records stops the load and is returned; what was loaded before
// stays, so a failed load is retried into a new database.
func (s *Store) Load(ctx context.Context, records iter.Seq2[domain.Record, error]) error {
	empty, err := s.empty(ctx)
	if err != nil {
		return fmt.Errorf("storage: load: %w", err)
	}
	if !empty {
		return domain.ErrNotEmpty
	}
	batch := make([]domain.Record, 0, loadBatch)
	flush := func() error {
		err := s.tx(ctx, func(tx pgx.Tx) error {
			b := &pgx.Batch{}
			for _, r := range batch {
				if err := queueRecord(b, r); err != nil {
					return err
				}
			}
			return tx.SendBatch(ctx, b).Close()
		})
		batch = batch[:0]
		return err
	}
	for r, err := range records {
		if err == nil {
			err = r.Validate()
		}
		if err != nil {
			return fmt.Errorf("storage: load: %w", err)
		}
		if batch = append(batch, r); len(batch) == loadBatch {
			if err := flush(); err != nil {
				return fmt.Errorf("storage: load: %w", err)
			}
		}
	}
	if err := flush(); err != nil {
		return fmt.Errorf("storage: load: %w", err)
	}
	return nil
}

// empty reports whether the store holds no record (sessions and rate limits
// are not records; a counter still at 0 counted nothing).
func (s *Store) empty(ctx context.Context) (bool, error) {
	var any bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM products) OR EXISTS (SELECT 1 FROM orders)
		OR EXISTS (SELECT 1 FROM licenses) OR EXISTS (SELECT 1 FROM history) OR EXISTS (SELECT 1 FROM purchases)
		OR EXISTS (SELECT 1 FROM payment_events) OR EXISTS (SELECT 1 FROM staff) OR EXISTS (SELECT 1 FROM audit)
		OR EXISTS (SELECT 1 FROM counters WHERE value <> 0) OR EXISTS (SELECT 1 FROM settings)
		OR EXISTS (SELECT 1 FROM webhook_endpoints)`).Scan(&any)
	return !any, err
}

// queueRecord adds the statement that writes one record.
func queueRecord(b *pgx.Batch, r domain.Record) error {
	switch {
	case r.Product != nil:
		b.Queue(upsertProductSQL, productValues(*r.Product)...)
	case r.Order != nil:
		values, err := orderValues(*r.Order)
		if err != nil {
			return err
		}
		b.Queue(insertOrderSQL, values...)
	case r.License != nil:
		b.Queue(upsertLicenseSQL, licenseValues(*r.License)...)
	case r.History != nil:
		return queueHistory(b, []domain.HistoryEntry{*r.History})
	case r.Purchase != nil:
		b.Queue(upsertPurchaseSQL, purchaseValues(*r.Purchase)...)
	case r.PaymentEvent != nil:
		b.Queue(`INSERT INTO payment_events (event_id, purchase_id) VALUES ($1, $2)`, r.PaymentEvent.EventID, r.PaymentEvent.PurchaseID)
	case r.Staff != nil:
		b.Queue(upsertStaffSQL, staffValues(*r.Staff)...)
	case r.Audit != nil:
		b.Queue(insertAuditSQL, auditValues(*r.Audit)...)
	case r.Seller != nil:
		values, err := sellerValues(*r.Seller)
		if err != nil {
			return err
		}
		b.Queue(upsertSettingSQL, values...)
	case r.WebhookEndpoint != nil:
		e := *r.WebhookEndpoint
		value, err := json.Marshal(e)
		if err != nil {
			return err
		}
		b.Queue(upsertWebhookEndpointSQL, e.ID, value, e.Enabled, e.Created)
	case r.Counter != nil:
		if r.Counter.Value > math.MaxInt64 {
			return fmt.Errorf("counter %s: %d does not fit a bigint", r.Counter.Name, r.Counter.Value)
		}
		b.Queue(`INSERT INTO counters (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
			r.Counter.Name, int64(r.Counter.Value))
	}
	return nil
}
