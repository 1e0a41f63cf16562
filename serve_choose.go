package main

import (
	"context"
	"log/slog"
	"time"

	"portal/handlers"
	"portal/mail"
	"portal/metrics"
	"portal/payments"
)

// What serve plugs into the handlers, chosen from its settings.

// chooseMetrics counts what the portal does when PORTAL_METRICS_TOKEN is set,
// with the mail outbox's depth read from the store at each scrape; without
// it nothing is counted (nil) and /metrics does not exist.
func chooseMetrics(cfg Config, store portalStore, log *slog.Logger) *metrics.Metrics {
	if cfg.MetricsToken == "" {
		return nil
	}
	m := metrics.New()
	m.OutboxDepth("mail", store.OutboxDepth)
	m.OutboxDepth("webhooks", store.PendingDeliveries)
	log.Info("metrics on GET /metrics, for the bearer of PORTAL_METRICS_TOKEN")
	return m
}

// chooseMail is SMTP when PORTAL_SMTP_URL is set; for the demo without it, an
// outbox in memory shown on /demo/outbox; otherwise no mail, and nothing is
// offered that needs one. The dispatcher runs until ctx ends.
func chooseMail(ctx context.Context, cfg Config, store portalStore, counts mail.Counts, log *slog.Logger) (handlers.Mailer, handlers.DemoMails, error) {
	var sender mail.Sender
	var outbox *mail.Outbox
	switch {
	case cfg.SMTPURL != "":
		smtp, err := mail.NewSMTP(cfg.SMTPURL, cfg.MailFrom)
		if err != nil {
			return nil, nil, err
		}
		log.Info("mail through SMTP", "server", smtp.String())
		sender = smtp
	case cfg.Demo:
		log.Warn("no PORTAL_SMTP_URL: the demo keeps its mails on /demo/outbox, and sends none")
		outbox = &mail.Outbox{}
		sender = outbox
	default:
		log.Warn("mail is not set up (no PORTAL_SMTP_URL): customers who lost their order number are sent to support")
		return nil, nil, nil
	}
	d := mail.NewDispatcher(store, sender, log, time.Now)
	d.CountWith(counts)
	go d.Run(ctx, 15*time.Second)
	if outbox == nil {
		return d, nil, nil
	}
	return d, outbox, nil
}

// choosePayments is Stripe with a key; the demo page only when asked for with
// --demo or --demo-payments; otherwise nothing is sold, and the log says so.
func choosePayments(cfg Config, log *slog.Logger) handlers.Payments {
	switch {
	case cfg.StripeSecretKey != "":
		log.Info("payments through Stripe", "api_url", cfg.StripeAPIURL)
		return payments.NewStripe(cfg.StripeSecretKey, cfg.StripeWebhookSecret, cfg.StripeAPIURL)
	case cfg.Demo || cfg.DemoPayments:
		log.Warn("no STRIPE_SECRET_KEY: the DEMO payment page stands in for Stripe, and no money moves")
		return payments.Demo{BaseURL: cfg.BaseURL}
	default:
		log.Warn("payments are not set up (no STRIPE_SECRET_KEY): nothing can be bought from this portal")
		return payments.Off{}
	}
}
