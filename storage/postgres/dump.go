package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"portal/domain"
)

// Dump calls emit with every record of the portal, read in one consistent
// snapshot while the portal serves: the catalog, each order followed by its
// licenses, the licenses' history, purchases, payment events, staff accounts,
// the audit log, the counters, the seller details and the webhook endpoints,
// each kind in the order of
// the Badger store's Dump. Sessions and rate limits are not records. An error from emit stops the
// dump and is returned.
func (s *Store) Dump(ctx context.Context, emit func(domain.Record) error) error {
	err := s.snapshot(ctx, func(tx pgx.Tx) error {
		products, err := queryProducts(ctx, tx)
		if err != nil {
			return err
		}
		for _, p := range products {
			if err := emit(domain.Record{Product: &p}); err != nil {
				return err
			}
		}
		err = eachOrder(ctx, tx, func(o domain.Order, licenses []domain.License) error {
			if err := emit(domain.Record{Order: &o}); err != nil {
				return err
			}
			for _, l := range licenses {
				if err := emit(domain.Record{License: &l}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		return dumpTheRest(ctx, tx, emit)
	})
	if err != nil {
		return fmt.Errorf("storage: dump: %w", err)
	}
	return nil
}

// dumpTheRest emits the records after the orders, one query per kind.
func dumpTheRest(ctx context.Context, tx pgx.Tx, emit func(domain.Record) error) error {
	kinds := []struct {
		sql  string
		emit func(row pgx.Row) error
	}{
		{`SELECT ` + historyColumns + ` FROM history ORDER BY license_id, at, seq`, func(row pgx.Row) error {
			e, err := scanHistory(row)
			if err != nil {
				return err
			}
			return emit(domain.Record{History: &e})
		}},
		{`SELECT ` + purchaseColumns + ` FROM purchases ORDER BY id`, func(row pgx.Row) error {
			p, err := scanPurchase(row)
			if err != nil {
				return err
			}
			return emit(domain.Record{Purchase: &p})
		}},
		{`SELECT event_id, purchase_id FROM payment_events ORDER BY event_id`, func(row pgx.Row) error {
			var e domain.PaymentEvent
			if err := row.Scan(&e.EventID, &e.PurchaseID); err != nil {
				return err
			}
			return emit(domain.Record{PaymentEvent: &e})
		}},
		{`SELECT ` + staffColumns + ` FROM staff ORDER BY email`, func(row pgx.Row) error {
			var u domain.StaffUser
			if err := row.Scan(staffDest(&u)...); err != nil {
				return err
			}
			return emit(domain.Record{Staff: &u})
		}},
		{`SELECT at, staff, action, detail FROM audit ORDER BY at, seq`, func(row pgx.Row) error {
			var e domain.AuditEntry
			if err := row.Scan(&e.At, &e.Staff, &e.Action, &e.Detail); err != nil {
				return err
			}
			return emit(domain.Record{Audit: &e})
		}},
		{`SELECT name, value FROM counters ORDER BY name`, func(row pgx.Row) error {
			var c domain.Counter
			var value int64
			if err := row.Scan(&c.Name, &value); err != nil {
				return err
			}
			c.Value = uint64(value)
			return emit(domain.Record{Counter: &c})
		}},
		{`SELECT value FROM settings WHERE name = '` + settingSeller + `'`, func(row pgx.Row) error {
			var b []byte
			if err := row.Scan(&b); err != nil {
				return err
			}
			var seller domain.Seller
			if err := json.Unmarshal(b, &seller); err != nil {
				return err
			}
			return emit(domain.Record{Seller: &seller})
		}},
		{`SELECT value FROM webhook_endpoints ORDER BY id COLLATE "C"`, func(row pgx.Row) error {
			var b []byte
			if err := row.Scan(&b); err != nil {
				return err
			}
			var e domain.WebhookEndpoint
			if err := json.Unmarshal(b, &e); err != nil {
				return err
			}
			return emit(domain.Record{WebhookEndpoint: &e})
		}},
	}
	for _, kind := range kinds {
		rows, err := tx.Query(ctx, kind.sql)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := kind.emit(rows); err != nil {
				rows.Close()
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}
