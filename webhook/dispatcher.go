package webhook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"portal/domain"
)

// Store is the delivery outbox and the endpoints (storage, storage/postgres).
type Store interface {
	ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]domain.Delivery, error)
	SaveDelivery(ctx context.Context, d domain.Delivery) error
	WebhookEndpoint(ctx context.Context, id string) (domain.WebhookEndpoint, bool, error)
	SaveWebhookEndpoint(ctx context.Context, e domain.WebhookEndpoint, audit *domain.AuditEntry) error
}

// Timeout bounds one attempt; Lease is longer, so that no other sender takes
// a delivery while its attempt may still be running.
const (
	Timeout = 10 * time.Second
	Lease   = time.Minute
)

// Dispatcher delivers the outbox's events. Every instance runs one; the
// outbox gives each delivery to one of them at a time. It never runs in a
// request: a slow receiver slows nobody.
type Dispatcher struct {
	store  Store
	client *http.Client
	log    *slog.Logger
	now    func() time.Time
	kick   chan struct{}
	// outcome counts each attempt's outcome for the metrics: delivered,
	// failed (to be tried again), given_up, disabled. May be nil.
	outcome func(string)
}

// NewDispatcher delivers store's events with client (nil: a client with Timeout).
func NewDispatcher(store Store, client *http.Client, log *slog.Logger, now func() time.Time, outcome func(string)) *Dispatcher {
	if client == nil {
		// A receiver's redirect is not followed: the admin chose the address,
		// and a redirect could point anywhere inside the vendor's network.
		client = &http.Client{Timeout: Timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if outcome == nil {
		outcome = func(string) {}
	}
	return &Dispatcher{store: store, client: client, log: log, now: now, kick: make(chan struct{}, 1), outcome: outcome}
}

// Kick asks for the outbox to be read now rather than at the next tick.
func (d *Dispatcher) Kick() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// Run delivers due events until ctx ends: every interval, and when kicked.
func (d *Dispatcher) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		d.SendDue(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-d.kick:
		}
	}
}

// SendDue makes one attempt at every delivery due now.
func (d *Dispatcher) SendDue(ctx context.Context) {
	for ctx.Err() == nil {
		due, err := d.store.ClaimDeliveries(ctx, d.now(), Lease, 20)
		if err != nil {
			d.log.Error("could not read the webhook outbox", "error", err.Error())
			return
		}
		for _, del := range due {
			d.attempt(ctx, del)
		}
		if len(due) < 20 {
			return
		}
	}
}

// attempt posts one delivery and stores its outcome: delivered on a 2xx;
// the endpoint disabled on 410 Gone; otherwise a retry later, until the
// delivery is DeliveryGiveUp old.
func (d *Dispatcher) attempt(ctx context.Context, del domain.Delivery) {
	ep, found, err := d.store.WebhookEndpoint(ctx, del.EndpointID)
	if err != nil {
		d.log.Error("could not read a webhook endpoint", "endpoint", del.EndpointID, "error", err.Error())
		return // the lease ends, and it is tried again
	}
	now := d.now()
	del.LastAttempt = now
	switch {
	case !found || !ep.Enabled:
		del.Status, del.LastError = domain.DeliveryFailed, "the endpoint is disabled"
		d.outcome("disabled")
	default:
		del.LastStatus, err = d.post(ctx, ep, del, now)
		d.settle(ctx, &ep, &del, err, now)
	}
	if err := d.store.SaveDelivery(context.WithoutCancel(ctx), del); err != nil {
		d.log.Error("could not store a delivery's outcome: it will be attempted again", "delivery", del.ID, "error", err.Error())
	}
}

func (d *Dispatcher) settle(ctx context.Context, ep *domain.WebhookEndpoint, del *domain.Delivery, err error, now time.Time) {
	switch {
	case err == nil && del.LastStatus >= 200 && del.LastStatus <= 299:
		del.Status, del.LastError = domain.DeliveryDelivered, ""
		d.outcome("delivered")
		return
	case err == nil && del.LastStatus == http.StatusGone:
		// The receiver says it is gone for good: stop sending it anything.
		del.Status, del.LastError = domain.DeliveryFailed, "410 Gone: the endpoint was disabled"
		ep.Enabled, ep.Disabled = false, "answered 410 Gone on "+now.UTC().Format(time.RFC3339)
		if err := d.store.SaveWebhookEndpoint(context.WithoutCancel(ctx), *ep, nil); err != nil {
			d.log.Error("could not disable a gone webhook endpoint", "endpoint", ep.ID, "error", err.Error())
		}
		d.log.Warn("webhook endpoint answered 410 Gone: disabled", "endpoint", ep.ID)
		d.outcome("disabled")
		return
	case err != nil:
		del.LastError = err.Error()
	default:
		del.LastError = "answered " + strconv.Itoa(del.LastStatus)
	}
	if now.Sub(del.Created) >= domain.DeliveryGiveUp {
		del.Status = domain.DeliveryFailed
		d.log.Error("webhook delivery given up after three days", "delivery", del.ID, "error", del.LastError)
		d.outcome("given_up")
		return
	}
	del.NextAttempt = now.Add(domain.DeliveryRetryAfter(del.Attempts))
	d.log.Warn("webhook delivery failed: will try again", "delivery", del.ID, "attempt", del.Attempts, "next_attempt", del.NextAttempt, "error", del.LastError)
	d.outcome("failed")
}

// post sends the event and answers the receiver's status.
func (d *Dispatcher) post(ctx context.Context, ep domain.WebhookEndpoint, del domain.Delivery, now time.Time) (int, error) {
	body := del.Event.Body()
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("endpoint address: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "portal-webhooks/1")
	req.Header.Set("webhook-id", del.Event.ID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(now.Unix(), 10))
	req.Header.Set("webhook-signature", Signature(ep.SigningSecrets(now), del.Event.ID, now, body))
	res, err := d.client.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	res.Body.Close()
	return res.StatusCode, nil
}
