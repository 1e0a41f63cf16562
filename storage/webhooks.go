package storage

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

// Webhook endpoints live under their id; each event's delivery to each
// endpoint under its own id, with an entry in prefixDue while it waits.
// Settled deliveries are kept a week, for the delivery log.

func webhookEndpointKey(id string) string { return prefixWebhookEndpoint + id }
func deliveryKey(id string) string        { return prefixDelivery + id }
func deliveryDueKey(id string) string     { return prefixDeliveryDue + id }

// deliveryKept is how long a settled delivery stays in the log.
const deliveryKept = 7 * 24 * time.Hour

// queueEvents puts each event in the outbox once per enabled endpoint, in the
// transaction of the change it reports.
func queueEvents(txn *badger.Txn, events []domain.Event) error {
	if len(events) == 0 {
		return nil
	}
	var endpoints []domain.WebhookEndpoint
	err := scan(txn, prefixWebhookEndpoint, false, func(e domain.WebhookEndpoint) (bool, error) {
		if e.Enabled {
			endpoints = append(endpoints, e)
		}
		return true, nil
	})
	if err != nil {
		return err
	}
	for _, ev := range events {
		for _, ep := range endpoints {
			d := domain.Delivery{ID: domain.DeliveryID(ev.ID, ep.ID), EndpointID: ep.ID, Event: ev, Created: ev.At,
				NextAttempt: ev.At, Status: domain.DeliveryPending}
			if err := putDelivery(txn, d); err != nil {
				return err
			}
		}
	}
	return nil
}

func putDelivery(txn *badger.Txn, d domain.Delivery) error {
	if d.Status == domain.DeliveryPending {
		if err := setJSON(txn, deliveryKey(d.ID), d); err != nil {
			return err
		}
		return txn.Set([]byte(deliveryDueKey(d.ID)), nil)
	}
	if err := setWithTTL(txn, deliveryKey(d.ID), d, time.Now(), time.Now().Add(deliveryKept)); err != nil {
		return err
	}
	return txn.Delete([]byte(deliveryDueKey(d.ID)))
}

// QueueDelivery puts one delivery in the outbox (an admin's test event).
func (s *Store) QueueDelivery(ctx context.Context, d domain.Delivery) error {
	if err := s.update(ctx, func(txn *badger.Txn) error { return putDelivery(txn, d) }); err != nil {
		return fmt.Errorf("storage: queue delivery: %w", err)
	}
	return nil
}

// SaveWebhookEndpoint creates or replaces an endpoint, with its audit entry
// when a person changed it.
func (s *Store) SaveWebhookEndpoint(ctx context.Context, e domain.WebhookEndpoint, audit *domain.AuditEntry) error {
	err := s.update(ctx, func(txn *badger.Txn) error {
		if err := setJSON(txn, webhookEndpointKey(e.ID), e); err != nil {
			return err
		}
		if audit != nil {
			return putAudit(txn, *audit)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("storage: save webhook endpoint: %w", err)
	}
	return nil
}

// WebhookEndpoint answers the endpoint id.
func (s *Store) WebhookEndpoint(ctx context.Context, id string) (domain.WebhookEndpoint, bool, error) {
	e, found, err := lookup[domain.WebhookEndpoint](s, webhookEndpointKey(id))
	if err != nil {
		return domain.WebhookEndpoint{}, false, fmt.Errorf("storage: webhook endpoint: %w", err)
	}
	return e, found, nil
}

// WebhookEndpoints answers every endpoint, oldest first.
func (s *Store) WebhookEndpoints(ctx context.Context) ([]domain.WebhookEndpoint, error) {
	out, err := read(s, "webhook endpoints", func(txn *badger.Txn) ([]domain.WebhookEndpoint, error) {
		var out []domain.WebhookEndpoint
		err := scan(txn, prefixWebhookEndpoint, false, func(e domain.WebhookEndpoint) (bool, error) {
			out = append(out, e)
			return true, nil
		})
		return out, err
	})
	slices.SortFunc(out, func(a, b domain.WebhookEndpoint) int {
		return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID))
	})
	return out, err
}

// ClaimDeliveries takes at most limit deliveries due at now, oldest first,
// and counts the attempt; none is due again until lease has passed, so that
// one attempt at a time is made per delivery, by whichever sender took it.
func (s *Store) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]domain.Delivery, error) {
	var claimed []domain.Delivery
	err := s.update(ctx, func(txn *badger.Txn) error {
		claimed = claimed[:0]
		var due []domain.Delivery
		for _, id := range keysUnder(txn, prefixDeliveryDue) {
			var d domain.Delivery
			if found, err := getJSON(txn, deliveryKey(id), &d); err != nil {
				return err
			} else if found && !d.NextAttempt.After(now) {
				due = append(due, d)
			}
		}
		slices.SortFunc(due, func(a, b domain.Delivery) int { return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID)) })
		for _, d := range due[:min(limit, len(due))] {
			d.Attempts++
			d.NextAttempt = now.Add(lease)
			if err := putDelivery(txn, d); err != nil {
				return err
			}
			claimed = append(claimed, d)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("storage: claim deliveries: %w", err)
	}
	return claimed, nil
}

// SaveDelivery stores what an attempt made of a delivery.
func (s *Store) SaveDelivery(ctx context.Context, d domain.Delivery) error {
	if err := s.update(ctx, func(txn *badger.Txn) error { return putDelivery(txn, d) }); err != nil {
		return fmt.Errorf("storage: save delivery: %w", err)
	}
	return nil
}

// Deliveries answers an endpoint's latest deliveries, newest first.
func (s *Store) Deliveries(ctx context.Context, endpointID string, limit int) ([]domain.Delivery, error) {
	out, err := read(s, "deliveries", func(txn *badger.Txn) ([]domain.Delivery, error) {
		var out []domain.Delivery
		err := scan(txn, prefixDelivery, false, func(d domain.Delivery) (bool, error) {
			if d.EndpointID == endpointID {
				out = append(out, d)
			}
			return true, nil
		})
		return out, err
	})
	slices.SortFunc(out, func(a, b domain.Delivery) int { return cmp.Or(b.Created.Compare(a.Created), cmp.Compare(b.ID, a.ID)) })
	return out[:min(limit, len(out))], err
}

// PendingDeliveries counts the deliveries waiting in the outbox.
func (s *Store) PendingDeliveries(ctx context.Context) (int, error) {
	n, err := read(s, "pending deliveries", func(txn *badger.Txn) (int, error) { return len(keysUnder(txn, prefixDeliveryDue)), nil })
	if err != nil {
		return 0, fmt.Errorf("storage: pending deliveries: %w", err)
	}
	return n, nil
}
