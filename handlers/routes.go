package handlers

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/csrf"
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
		BodyLimit:             4 << 20,
		// Values from the request outlive the handler (rate-limit keys, logs), and
		// Fiber would otherwise reuse their memory for the next request.
		Immutable: true,
		// Behind a reverse proxy, the client's address comes from X-Forwarded-For,
		// but only when the proxy is one we were told to trust.
		EnableTrustedProxyCheck: len(h.cfg.TrustedProxies) > 0,
		TrustedProxies:          h.cfg.TrustedProxies,
		ProxyHeader:             proxyHeader(h.cfg.TrustedProxies),
	})

	app.Use(recover.New())
	app.Use(requestid.New())
	app.Use(h.logRequests)
	app.Use(securityHeaders)

	app.Use("/static", func(c *fiber.Ctx) error {
		// Files are addressed by their content hash, so they may be cached for long.
		if c.Query("v") != "" {
			c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
		}
		return c.Next()
	}, filesystem.New(filesystem.Config{Root: http.FS(static.FS)}))

	app.Get("/healthz", h.health)

	app.Use(csrf.New(csrf.Config{
		CookieName:     "portal_csrf",
		CookieSecure:   h.cfg.Secure,
		CookieHTTPOnly: true,
		CookieSameSite: "Lax",
		Expiration:     12 * time.Hour,
		Storage:        h.cfg.Tokens,
		ContextKey:     csrfKey,
		Extractor:      csrfFromHeaderOrForm,
		ErrorHandler:   h.csrfFailed,
		Next: func(c *fiber.Ctx) bool {
			// The licensing API and the payment webhook are authenticated otherwise.
			p := c.Path()
			return strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/webhooks/")
		},
	}))
	app.Use(h.loadSession)

	app.Get("/", h.home)
	app.Get("/login", h.loginShow)
	app.Post("/login", h.loginCheck)
	app.Post("/logout", h.logout)

	// Customer pages: requireCustomer on each route, and every look-up behind it by
	// the session's email.
	app.Get("/licenses", h.requireCustomer, h.licensesList)
	app.Get("/orders", h.requireCustomer, h.ordersList)
	app.Get("/orders/:ref", h.requireCustomer, h.orderShow)
	app.Get("/orders/:ref/activation-key", h.requireCustomer, h.activationKeyShow)
	app.Post("/orders/:ref/activation-key/reissue", h.requireCustomer, h.activationKeyReissue)
	app.Get("/licenses/:id", h.requireCustomer, h.licenseShow)
	app.Get("/licenses/:id/license.lic", h.requireCustomer, h.licenseFile(domain.DocKindLicense))
	app.Get("/licenses/:id/support.lic", h.requireCustomer, h.licenseFile(domain.DocKindSupport))
	app.Post("/licenses/:id/refresh", h.requireCustomer, h.licenseRefresh)
	app.Post("/licenses/:id/rehost", h.requireCustomer, h.licenseRehost)

	// The licensing API, for the licensed software: authenticated by activation key.
	app.Get("/api/v1/public-key", h.apiPublicKey)
	app.Post("/api/v1/activate", h.apiActivate)
	app.Post("/api/v1/refresh", h.apiRefresh)

	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
	return app
}

func proxyHeader(trusted []string) string {
	if len(trusted) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}

const csrfKey = "csrf"

// csrfFromHeaderOrForm reads the token that htmx sends as a header, or that a
// plain form sends as the _csrf field.
func csrfFromHeaderOrForm(c *fiber.Ctx) (string, error) {
	if t := c.Get("X-CSRF-Token"); t != "" {
		return t, nil
	}
	if t := c.FormValue("_csrf"); t != "" {
		return t, nil
	}
	return "", csrf.ErrTokenNotFound
}

func (h *Handler) csrfFailed(c *fiber.Ctx, err error) error {
	h.log.Warn("csrf check failed", "request_id", requestID(c), "client_ip", c.IP(), "reason", err.Error())
	return &fiber.Error{Code: fiber.StatusForbidden,
		Message: "This form has expired or did not come from this portal. Please reload the page and try again."}
}

var errNotFound = errors.New("not found")
