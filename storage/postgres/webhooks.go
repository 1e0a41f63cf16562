package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/domain"
)

const upsertDeliverySQL = `INSERT INTO deliveries (id, endpoint_id, value, status, created, next_attempt) VALUES ($1, $2, $3, $4, $5, $6)
	ON CONFLICT (id) DO UPDATE SET value = excluded.value, status = excluded.status, next_attempt = excluded.next_attempt`

func queueDelivery(b *pgx.Batch, d domain.Delivery) error {
	value, err := json.Marshal(d)
	if err != nil {
		return err
	}
	b.Queue(upsertDeliverySQL, d.ID, d.EndpointID, value, string(d.Status), d.Created, d.NextAttempt)
	return nil
}

// queueEvents puts each event in the outbox once per enabled endpoint, in the
// transaction of the change it reports.
func queueEvents(ctx context.Context, tx pgx.Tx, events []domain.Event) error {
	if len(events) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT id FROM webhook_endpoints WHERE enabled`)
	if err != nil {
		return err
	}
	endpoints, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(endpoints) == 0 {
		return err
	}
	b := &pgx.Batch{}
	for _, ev := range events {
		for _, ep := range endpoints {
			d := domain.Delivery{ID: domain.DeliveryID(ev.ID, ep), EndpointID: ep, Event: ev, Created: ev.At,
				NextAttempt: ev.At, Status: domain.DeliveryPending}
			if err := queueDelivery(b, d); err != nil {
				return err
			}
		}
	}
	return tx.SendBatch(ctx, b).Close()
}

// QueueDelivery puts one delivery in the outbox (an admin's test event).
func (s *Store) QueueDelivery(ctx context.Context, d domain.Delivery) error {
	return s.SaveDelivery(ctx, d)
}

// SaveDelivery stores what an attempt made of a delivery.
func (s *Store) SaveDelivery(ctx context.Context, d domain.Delivery) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		if err := queueDelivery(b, d); err != nil {
			return err
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("storage: save delivery: %w", err)
	}
	return nil
}

// SaveWebhookEndpoint creates or replaces an endpoint, with its audit entry
// when a person changed it.
const upsertWebhookEndpointSQL = `INSERT INTO webhook_endpoints (id, value, enabled, created) VALUES ($1, $2, $3, $4)
	ON CONFLICT (id) DO UPDATE SET value = excluded.value, enabled = excluded.enabled`

func (s *Store) SaveWebhookEndpoint(ctx context.Context, e domain.WebhookEndpoint, audit *domain.AuditEntry) error {
	value, err := json.Marshal(e)
	if err != nil {
		return err
	}
	err = s.tx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(upsertWebhookEndpointSQL, e.ID, value, e.Enabled, e.Created)
		if audit != nil {
			b.Queue(insertAuditSQL, auditValues(*audit)...)
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("storage: save webhook endpoint: %w", err)
	}
	return nil
}

func scanJSON[T any](rows pgx.Rows) ([]T, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (T, error) {
		var raw []byte
		var v T
		if err := row.Scan(&raw); err != nil {
			return v, err
		}
		return v, json.Unmarshal(raw, &v)
	})
}

// WebhookEndpoint answers the endpoint id.
func (s *Store) WebhookEndpoint(ctx context.Context, id string) (domain.WebhookEndpoint, bool, error) {
	if !storable(id) {
		return domain.WebhookEndpoint{}, false, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT value FROM webhook_endpoints WHERE id = $1`, id)
	if err != nil {
		return domain.WebhookEndpoint{}, false, fmt.Errorf("storage: webhook endpoint: %w", err)
	}
	found, err := scanJSON[domain.WebhookEndpoint](rows)
	if err != nil {
		return domain.WebhookEndpoint{}, false, fmt.Errorf("storage: webhook endpoint: %w", err)
	}
	if len(found) == 0 {
		return domain.WebhookEndpoint{}, false, nil
	}
	return found[0], true, nil
}

// WebhookEndpoints answers every endpoint, oldest first.
func (s *Store) WebhookEndpoints(ctx context.Context) ([]domain.WebhookEndpoint, error) {
	rows, err := s.pool.Query(ctx, `SELECT value FROM webhook_endpoints ORDER BY created, id`)
	if err == nil {
		var out []domain.WebhookEndpoint
		if out, err = scanJSON[domain.WebhookEndpoint](rows); err == nil {
			return out, nil
		}
	}
	return nil, fmt.Errorf("storage: webhook endpoints: %w", err)
}

// ClaimDeliveries takes at most limit deliveries due at now, oldest first,
// and counts the attempt; none is due again until lease has passed, so that
// one attempt at a time is made per delivery, by whichever instance took it
// (the rows are locked as they are taken).
func (s *Store) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]domain.Delivery, error) {
	var claimed []domain.Delivery
	err := s.tx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT value FROM deliveries WHERE status = 'pending' AND next_attempt <= $1
			ORDER BY next_attempt, created, id LIMIT $2 FOR UPDATE`, now, limit)
		if err != nil {
			return err
		}
		if claimed, err = scanJSON[domain.Delivery](rows); err != nil {
			return err
		}
		b := &pgx.Batch{}
		for i := range claimed {
			claimed[i].Attempts++
			claimed[i].NextAttempt = now.Add(lease)
			if err := queueDelivery(b, claimed[i]); err != nil {
				return err
			}
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return nil, fmt.Errorf("storage: claim deliveries: %w", err)
	}
	return claimed, nil
}

// Deliveries answers an endpoint's latest deliveries, newest first.
func (s *Store) Deliveries(ctx context.Context, endpointID string, limit int) ([]domain.Delivery, error) {
	rows, err := s.pool.Query(ctx, `SELECT value FROM deliveries WHERE endpoint_id = $1 ORDER BY created DESC, id DESC LIMIT $2`, endpointID, limit)
	if err == nil {
		var out []domain.Delivery
		if out, err = scanJSON[domain.Delivery](rows); err == nil {
			return out, nil
		}
	}
	return nil, fmt.Errorf("storage: deliveries: %w", err)
}

// PendingDeliveries counts the deliveries waiting in the outbox.
func (s *Store) PendingDeliveries(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM deliveries WHERE status = 'pending'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("storage: pending deliveries: %w", err)
	}
	return n, nil
}
