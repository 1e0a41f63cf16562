package handlers

import (
	"net/http"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"portal/domain"
	"portal/static"
)

// App builds the Fiber application with every route of the portal.
func (h *Handler) App() *fiber.App {
	app := fiber.New(fiber.Config{
		AppName:               "portal",
		DisableStartupMessage: true,
		ErrorHandler:          h.handleError,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		// Bodies are streamed, and each route bounds its own (body_limits.go);
		// this is what is read ahead, and the most any route takes.
		BodyLimit:                    maxFormBody,
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		// Values from the request outlive the handler (rate-limit keys, logs), and
		// Fiber would otherwise reuse their memory for the next request.
		Immutable: true,
		// /API/v1/activate must not slip past the checks on the /api/ prefix.
		CaseSensitive: true,
	})

	if h.metrics != nil {
		// First, so that it sees the status of every answer, a panic's too.
		app.Use(h.countRequests)
	}
	app.Use(recover.New())
	app.Use(requestid.New())
	app.Use(h.logRequests)
	app.Use(h.securityHeaders)

	app.Use("/static", func(c *fiber.Ctx) error {
		// Files are addressed by their content hash, so they may be cached for long.
		if c.Query("v") != "" {
			c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
		}
		return c.Next()
	}, filesystem.New(filesystem.Config{Root: http.FS(static.FS)}))

	app.Get("/healthz", h.health)
	if h.cfg.MetricsToken != "" {
		// Its own bearer token; no session, no CSRF token. Without the token
		// set the route does not exist: 404 as any unknown path.
		app.Get(metricsPath, h.metricsShow)
	}

	// The licensing API and the payment webhook are authenticated otherwise (a key,
	// a signature): no session, no CSRF token.
	app.Post("/webhooks/stripe", limitBody(maxWebhookBody), h.stripeWebhook)
	app.Get("/api/v1/public-key", h.apiPublicKey)
	app.Post("/api/v1/activate", limitBody(maxAPIBody), h.apiActivate)
	app.Post("/api/v1/refresh", limitBody(maxAPIBody), h.apiRefresh)
	app.Post("/api/v1/pair", limitBody(maxAPIBody), h.apiPair)
	app.Post("/api/v1/pair/token", limitBody(maxAPIBody), h.apiPairToken)

	// Pages speak the request's language (and so do unknown paths' answers).
	app.Use(h.chooseLanguage)

	// Pages: a CSRF token (made only here, not for unknown paths) and the session.
	pageMiddleware := []fiber.Handler{limitBody(maxFormBody), h.csrfProtection, h.loadSessions}
	web := pageRoutes{app: app, middleware: pageMiddleware}

	web.Get("/", h.home)
	web.Get("/login", h.loginShow)
	web.Post("/login", h.loginCheck)
	web.Post("/logout", h.logout)
	web.Get("/login/remind", h.remindShow)
	web.Post("/login/remind", h.remindSend)
	web.Get("/login/link/:token", h.signInLinkShow)
	web.Post("/login/link", h.signInLinkUse)
	web.Get("/pair", h.pairShow)
	web.Post("/pair/:code/approve", h.requireCustomer, h.pairApprove)
	web.Post("/pair/:code/deny", h.requireCustomer, h.pairDeny)
	web.Get("/account/email", h.requireCustomer, h.accountEmailShow)
	web.Post("/account/email", h.requireCustomer, h.accountEmailRequest)
	web.Get("/account/email/confirm/:token", h.emailChangeShow(confirmLink))
	web.Post("/account/email/confirm", h.emailChangeConfirm)
	web.Get("/account/email/cancel/:token", h.emailChangeShow(cancelLink))
	web.Post("/account/email/cancel", h.emailChangeCancel)
	if h.cfg.DemoOutbox != nil {
		web.Get("/demo/outbox", h.demoOutbox)
	}

	// Customer pages: requireCustomer on each route, and every look-up behind it by
	// the session's email.
	web.Get("/licenses", h.requireCustomer, h.licensesList)
	web.Get("/orders", h.requireCustomer, h.ordersList)
	web.Get("/orders/:ref", h.requireCustomer, h.orderShow)
	web.Get("/orders/:ref/activation-key", h.requireCustomer, h.activationKeyShow)
	web.Post("/orders/:ref/activation-key/reissue", h.requireCustomer, h.activationKeyReissue)
	web.Get("/orders/:ref/invoice", h.requireCustomer, h.invoiceShow)
	web.Get("/orders/:ref/invoice.pdf", h.requireCustomer, h.invoicePDF)
	web.Get("/orders/:ref/billing", h.requireCustomer, h.billingShow)
	web.Post("/orders/:ref/billing", h.requireCustomer, h.billingSave)
	web.Get("/licenses/:id", h.requireCustomer, h.licenseShow)
	web.Get("/licenses/:id/license.lic", h.requireCustomer, h.licenseFile(domain.DocKindLicense))
	web.Get("/licenses/:id/support.lic", h.requireCustomer, h.licenseFile(domain.DocKindSupport))
	web.Post("/licenses/:id/refresh", h.requireCustomer, h.licenseRefresh)
	web.Post("/licenses/:id/rehost", h.requireCustomer, h.licenseRehost)
	web.Get("/licenses/:id/activate-offline", h.requireCustomer, h.licenseActivateOfflineShow)
	web.Post("/licenses/:id/activate-offline", h.requireCustomer, h.licenseActivateOffline)

	web.Get("/licenses/:id/upgrade", h.requireCustomer, h.upgradeShow)
	web.Get("/licenses/:id/upgrade/quote", h.requireCustomer, h.upgradeQuote)
	web.Post("/licenses/:id/upgrade", h.requireCustomer, h.upgradeBuy)
	web.Get("/licenses/:id/renew", h.requireCustomer, h.renewShow)
	web.Post("/licenses/:id/renew", h.requireCustomer, h.renewBuy)
	web.Get("/purchases/:id/success", h.requireCustomer, h.purchaseSuccess)
	web.Get("/purchases/:id/status", h.requireCustomer, h.purchaseStatusPartial)
	web.Get("/purchases/:id/cancel", h.requireCustomer, h.purchaseCancel)
	if h.cfg.Payments.Demo() {
		// Only without a Stripe key: with one, these routes do not exist.
		web.Get("/demo-pay/:id", h.requireCustomer, h.demoPayShow)
		web.Post("/demo-pay/:id", h.requireCustomer, h.demoPayConfirm)
	}

	// Staff: support reads, admin also manages. Each route names its role.
	web.Get("/staff/login", h.staffLoginShow)
	web.Post("/staff/login", h.staffLoginCheck)
	web.Post("/staff/logout", h.staffLogout)
	web.Get("/staff/orders", h.requireStaff, h.staffOrders)
	web.Get("/staff/orders/search", h.requireStaff, h.staffSearch)
	web.Get("/staff/orders/:ref", h.requireStaff, h.staffOrderShow)
	web.Post("/staff/orders/:ref/email", h.requireStaff, h.staffEmailChange)
	web.Get("/staff/orders/:ref/invoice", h.requireStaff, h.staffInvoiceShow)
	web.Get("/staff/orders/:ref/invoice.pdf", h.requireStaff, h.staffInvoicePDF)
	web.Get("/admin", h.requireAdmin, h.adminHome)
	web.Get("/admin/products", h.requireAdmin, h.adminProducts)
	web.Post("/admin/products", h.requireAdmin, h.adminProductSave)
	web.Get("/admin/staff", h.requireAdmin, h.adminStaff)
	web.Post("/admin/staff", h.requireAdmin, h.adminStaffSave)
	web.Post("/admin/staff/disable", h.requireAdmin, h.adminStaffDisable)
	web.Get("/admin/seller", h.requireAdmin, h.adminSellerShow)
	web.Post("/admin/seller", h.requireAdmin, h.adminSellerSave)
	web.Get("/admin/data", h.requireAdmin, h.adminData)
	web.Get("/admin/webhooks", h.requireAdmin, h.adminWebhooks)
	web.Post("/admin/webhooks", h.requireAdmin, h.adminWebhookAdd)
	web.Post("/admin/webhooks/:id/:action", h.requireAdmin, h.adminWebhookAction)
	// The import upload's larger body only for a signed-in admin: the session
	// is checked before the body is read (and so before its CSRF field).
	app.Post("/admin/import", closeAfter, h.loadSessions, h.requireAdmin, limitBody(maxImportUpload), h.csrfProtection, h.adminImport)
	web.Post("/admin/export", h.requireAdmin, h.adminExport)
	web.Post("/admin/backup", h.requireAdmin, h.adminBackup)

	app.Use(func(c *fiber.Ctx) error {
		c.Locals(unmatchedKey, true) // for the metrics' route label
		return domain.ErrNotFound
	})
	return app
}

// pageRoutes registers routes behind the pages' middleware, route by route rather
// than with app.Use, so that an unknown path gets its 404 without a CSRF token
// being made and stored for it.
type pageRoutes struct {
	app        *fiber.App
	middleware []fiber.Handler
}

func (r pageRoutes) Get(path string, handlers ...fiber.Handler) {
	r.app.Get(path, append(slices.Clone(r.middleware), handlers...)...)
}

func (r pageRoutes) Post(path string, handlers ...fiber.Handler) {
	r.app.Post(path, append(slices.Clone(r.middleware), handlers...)...)
}
