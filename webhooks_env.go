package main

import (
	"context"
	"log/slog"
	"net/url"
	"slices"
	"time"

	"portal/domain"
	"portal/metrics"
	"portal/webhook"
)

// startWebhooks keeps the endpoint of PORTAL_WEBHOOK_URL in the store (so
// that every instance and the outbox know it) and runs the dispatcher that
// delivers the events until ctx ends.
func startWebhooks(ctx context.Context, cfg Config, store portalStore, counts *metrics.Metrics, log *slog.Logger) (*webhook.Dispatcher, error) {
	if err := syncEnvWebhook(ctx, cfg, store, log); err != nil {
		return nil, err
	}
	d := webhook.NewDispatcher(store, nil, log, time.Now, counts.Delivery)
	go d.Run(ctx, 2*time.Second)
	return d, nil
}

// syncEnvWebhook makes the stored "env" endpoint what the settings say: the
// same address and secret are left as they are (an admin may have disabled
// it, or a 410 did); another address or secret replaces it, enabled; no
// setting disables it.
func syncEnvWebhook(ctx context.Context, cfg Config, store portalStore, log *slog.Logger) error {
	stored, found, err := store.WebhookEndpoint(ctx, domain.EnvWebhookID)
	if err != nil {
		return err
	}
	if cfg.WebhookURL == "" {
		if found && stored.Enabled {
			stored.Enabled, stored.Disabled = false, "PORTAL_WEBHOOK_URL is no longer set"
			log.Warn("PORTAL_WEBHOOK_URL is no longer set: its endpoint is disabled")
			return store.SaveWebhookEndpoint(ctx, stored, nil)
		}
		return nil
	}
	e, err := domain.NewWebhookEndpoint(domain.EnvWebhookID, cfg.WebhookURL, cfg.WebhookSecret, time.Now())
	if err != nil {
		return err
	}
	if found && stored.URL == e.URL && slices.ContainsFunc(stored.Secrets, func(s domain.WebhookSecret) bool { return s.Secret == cfg.WebhookSecret }) {
		return nil
	}
	log.Info("webhook endpoint from PORTAL_WEBHOOK_URL", "host", hostOf(e.URL))
	return store.SaveWebhookEndpoint(ctx, e, nil)
}

// hostOf is a URL's host, for logs: its path or query may hold a token.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "?"
	}
	return u.Host
}
