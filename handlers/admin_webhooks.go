package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// adminWebhooks lists the endpoints with their latest deliveries.
func (h *Handler) adminWebhooks(c *fiber.Ctx) error {
	return h.webhooksPage(c, fiber.StatusOK, views.FlashData{}, "")
}

func (h *Handler) webhooksPage(c *fiber.Ctx, status int, flash views.FlashData, typedURL string) error {
	endpoints, err := h.store.WebhookEndpoints(c.UserContext())
	if err != nil {
		return err
	}
	d := views.AdminWebhooksPageData{Flash: flash, URL: typedURL, CSRF: h.csrfToken(c)}
	for _, e := range endpoints {
		log, err := h.store.Deliveries(c.UserContext(), e.ID, 10)
		if err != nil {
			return err
		}
		d.Endpoints = append(d.Endpoints, views.NewWebhookEndpointData(e, log, h.cfg.Now()))
	}
	return render(c, status, views.AdminWebhooksPage(h.staffMeta(c, t(c, "nav.webhooks"), "admin-webhooks"), d))
}

// adminWebhookAdd adds an endpoint; its secret is shown this once.
func (h *Handler) adminWebhookAdd(c *fiber.Ctx) error {
	secret := domain.NewWebhookSecret()
	e, err := domain.NewWebhookEndpoint(domain.NewWebhookEndpointID(), c.FormValue("url"), secret, h.cfg.Now())
	if err != nil {
		return h.webhooksPage(c, fiber.StatusUnprocessableEntity, views.FlashData{Kind: "error", Message: message(c, err)}, c.FormValue("url"))
	}
	audit := h.audit(c, "", "webhook endpoint added", e.URL)
	if err := h.store.SaveWebhookEndpoint(c.UserContext(), e, &audit); err != nil {
		return err
	}
	return h.webhooksPage(c, fiber.StatusOK, secretFlash(c, "webhooks.added", secret), "")
}

func secretFlash(c *fiber.Ctx, key, secret string) views.FlashData {
	return views.FlashData{Kind: "info", Title: t(c, "webhooks.copy_secret"), Message: t(c, key, "Secret", secret)}
}

// adminWebhookAction disables, enables, rotates the secret of, or sends a
// test event to the endpoint :id. Each is audited.
func (h *Handler) adminWebhookAction(c *fiber.Ctx) error {
	e, found, err := h.store.WebhookEndpoint(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	if !found {
		return domain.ErrNotFound
	}
	now := h.cfg.Now()
	flash := views.FlashData{Kind: "info"}
	switch action := c.Params("action"); action {
	case "disable":
		e.Enabled, e.Disabled = false, "disabled by an admin"
		flash.Message = t(c, "webhooks.disabled_note")
	case "enable":
		e.Enabled, e.Disabled = true, ""
		flash.Message = t(c, "webhooks.enabled_note")
	case "rotate":
		secret := domain.NewWebhookSecret()
		e.Rotate(secret, now)
		flash = secretFlash(c, "webhooks.rotated", secret)
	case "test":
		ev := domain.NewEvent(domain.EventTest, now, map[string]string{"message": "a test event from " + h.cfg.Brand})
		d := domain.Delivery{ID: domain.DeliveryID(ev.ID, e.ID), EndpointID: e.ID, Event: ev, Created: ev.At, NextAttempt: ev.At, Status: domain.DeliveryPending}
		if err := h.store.QueueDelivery(c.UserContext(), d); err != nil {
			return err
		}
		if err := h.store.RecordAudit(c.UserContext(), h.audit(c, "", "webhook test sent", e.URL)); err != nil {
			return err
		}
		h.kickWebhooks()
		return h.webhooksPage(c, fiber.StatusOK, views.FlashData{Kind: "info", Message: t(c, "webhooks.test_queued", "ID", ev.ID)}, "")
	default:
		return domain.ErrNotFound
	}
	audit := h.audit(c, "", "webhook endpoint "+c.Params("action"), e.URL)
	if err := h.store.SaveWebhookEndpoint(c.UserContext(), e, &audit); err != nil {
		return err
	}
	return h.webhooksPage(c, fiber.StatusOK, flash, "")
}

// kickWebhooks asks the webhook dispatcher to deliver now.
func (h *Handler) kickWebhooks() {
	if h.cfg.Webhooks != nil {
		h.cfg.Webhooks.Kick()
	}
}
