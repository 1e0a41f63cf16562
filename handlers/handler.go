// Package handlers is the portal's web layer: each handler parses a request, calls
// one domain operation through the store and renders a view. Every route is
// listed in routes.go; each resource action has a file named for it
// (license_rehost.go for POST /licenses/{id}/rehost).
package handlers

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"io"
	"log/slog"
	"net/url"
	"time"

	"portal/buildinfo"
	"portal/domain"
	"portal/i18n"
	"portal/metrics"
	"portal/views"
)

// Store is what the handlers need from storage.
type Store interface {
	Order(ctx context.Context, ref string) (domain.Order, bool, error)
	OrdersByEmail(ctx context.Context, email string) ([]domain.Order, error)
	License(ctx context.Context, id string) (domain.License, bool, error)
	Licenses(ctx context.Context, ids []string) ([]domain.License, error)
	LicensesByEmail(ctx context.Context, email string) ([]domain.License, error)
	CreateSession(ctx context.Context, tokenHash string, s domain.Session, ttl time.Duration) error
	Session(ctx context.Context, tokenHash string) (domain.Session, bool, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	Ping(ctx context.Context) error

	OrderByActivationKey(ctx context.Context, key string) (domain.Order, bool, error)
	// UpdateOrder runs one domain operation on an order in one transaction. The
	// operation may run more than once (on a snapshot first, and again on
	// conflict): it must not depend on what an earlier run of it set.
	UpdateOrder(ctx context.Context, ref string, change func(u *domain.OrderUpdate) error) error
	LicenseHistory(ctx context.Context, licenseID string) ([]domain.HistoryEntry, error)

	Product(ctx context.Context, software, edition string) (domain.Product, bool, error)
	Products(ctx context.Context) ([]domain.Product, error)
	CreatePurchase(ctx context.Context, p domain.Purchase) error
	SetPurchaseCheckout(ctx context.Context, id string, checkout domain.CheckoutSession) error
	PurchasesByEmail(ctx context.Context, email string) ([]domain.Purchase, error)
	Purchase(ctx context.Context, id string) (domain.Purchase, bool, error)
	// FulfilPurchase applies a payment once: domain.ErrPaymentSeen for one
	// handled before.
	FulfilPurchase(ctx context.Context, pay domain.Payment, numbering domain.Numbering) (domain.Purchase, error)

	StaffUser(ctx context.Context, email string) (domain.StaffUser, bool, error)
	StaffUsers(ctx context.Context) ([]domain.StaffUser, error)
	SaveStaffUser(ctx context.Context, u domain.StaffUser, audit domain.AuditEntry) error
	CreateStaffSession(ctx context.Context, tokenHash string, s domain.StaffSession, ttl time.Duration) error
	StaffSession(ctx context.Context, tokenHash string) (domain.StaffSession, bool, error)
	DeleteStaffSession(ctx context.Context, tokenHash string) error
	SearchOrders(ctx context.Context, q string) ([]domain.SearchResult, error)
	FlaggedPurchases(ctx context.Context) ([]domain.Purchase, error)

	// Rate limits' buckets, shared by every instance.
	SpendToken(ctx context.Context, rate domain.Rate, key string, now time.Time) (domain.Limit, error)
	RefundToken(ctx context.Context, rate domain.Rate, key string, now time.Time) error
	TokenLeft(ctx context.Context, rate domain.Rate, key string, now time.Time) (domain.Limit, error)
	SaveProductAudited(ctx context.Context, p domain.Product, audit domain.AuditEntry) error
	RecordAudit(ctx context.Context, e domain.AuditEntry) error
	Audit(ctx context.Context, limit int) ([]domain.AuditEntry, error)
	// Seller answers the seller details an admin saved (found is false until
	// then); SaveSeller stores them with their audit entry.
	Seller(ctx context.Context) (domain.Seller, bool, error)
	SaveSeller(ctx context.Context, s domain.Seller, audit domain.AuditEntry) error

	// Mail (section 12): links that work once, requests to move orders to a
	// new email, and the outbox the mails wait in.
	CreateMailLink(ctx context.Context, tokenHash string, link domain.MailLink, mails []domain.Mail) error
	MailLink(ctx context.Context, tokenHash string, now time.Time) (domain.MailLink, bool, error)
	UseMailLink(ctx context.Context, tokenHash string, purpose domain.LinkPurpose, now time.Time) (domain.MailLink, error)
	EmailChange(ctx context.Context, id string) (domain.EmailChange, bool, error)
	RequestEmailChange(ctx context.Context, c domain.EmailChange, confirmHash, cancelHash string, mails []domain.Mail, audit *domain.AuditEntry) error
	ConfirmEmailChange(ctx context.Context, confirmHash string, now time.Time, actor domain.Actor, notice func(domain.EmailChange) []domain.Mail) (domain.EmailChange, error)
	CancelEmailChange(ctx context.Context, cancelHash string, now time.Time) (domain.EmailChange, error)
	QueueMail(ctx context.Context, mails ...domain.Mail) error

	// Pairing (section 13): the software's requests, under hashed codes.
	CreatePairing(ctx context.Context, p domain.Pairing) error
	PairingByUserCode(ctx context.Context, userHash string) (domain.Pairing, bool, error)
	PollPairing(ctx context.Context, deviceHash string, now time.Time, deliver func(domain.Pairing) error) (domain.Pairing, domain.PollOutcome, bool, error)
	ApprovePairing(ctx context.Context, userHash, ref string, now time.Time, approve func(p *domain.Pairing, u *domain.OrderUpdate) error) (domain.Pairing, error)
	DenyPairing(ctx context.Context, userHash, email string, now time.Time) (domain.Pairing, error)

	// Outbound events (section 16): the endpoints and their deliveries.
	SaveWebhookEndpoint(ctx context.Context, e domain.WebhookEndpoint, audit *domain.AuditEntry) error
	WebhookEndpoint(ctx context.Context, id string) (domain.WebhookEndpoint, bool, error)
	WebhookEndpoints(ctx context.Context) ([]domain.WebhookEndpoint, error)
	QueueDelivery(ctx context.Context, d domain.Delivery) error
	Deliveries(ctx context.Context, endpointID string, limit int) ([]domain.Delivery, error)
	domain.ImportStore
	Export(ctx context.Context, w io.Writer) (int, error)
	// Dump gives every record of the portal in one snapshot, for backups.
	Dump(ctx context.Context, emit func(domain.Record) error) error
}

// Payments is the hosted payment step: Stripe Checkout, or the demo page.
type Payments interface {
	CreateCheckout(ctx context.Context, req domain.CheckoutRequest) (domain.CheckoutSession, error)
	// ParseWebhook checks a webhook's signature and returns the payment it
	// confirms, or nil when it confirms none.
	ParseWebhook(payload []byte, signature string, now time.Time) (*domain.Payment, error)
	// Demo reports whether this is the built-in demo payment page.
	Demo() bool
	// Available reports whether anything can be bought: false when payments
	// are not set up.
	Available() bool
}

// Mailer sends mails queued in the store's outbox.
type Mailer interface {
	// SendNow tries a mail just queued while its reader waits (it stays queued
	// for later attempts if the server refuses it).
	SendNow(ctx context.Context, m domain.Mail) error
	// Kick asks for the outbox to be sent now.
	Kick()
}

// DemoMails are the mails a demo portal kept instead of sending them.
type DemoMails interface{ Mails() []domain.Mail }

// Config holds what the web layer is told by main.
type Config struct {
	Brand        string
	SupportEmail string
	// Secure marks cookies Secure; set when the public base URL is https.
	Secure bool
	// SessionTTL is how long a customer stays signed in.
	SessionTTL time.Duration
	// LoginFloor is the least time a login answer takes, right or wrong, so that
	// response times do not tell which part of a pair was wrong.
	LoginFloor time.Duration
	// TrustedProxies are the addresses or CIDR ranges of reverse proxies whose
	// X-Forwarded-For names the client; empty means the portal faces clients itself.
	TrustedProxies []string
	// BaseURL is the portal's public address, for the payment page's return links.
	BaseURL string
	// OrderPrefix begins the references of new orders.
	OrderPrefix string
	// Seller is who issues the invoices until an admin saves other details on
	// /admin/seller (from the PORTAL_SELLER_* settings; may be empty).
	Seller domain.Seller
	// Payments takes the hosted payment step.
	Payments Payments
	// Mail sends mails from the outbox (mail.Dispatcher); nil when no mail is
	// set up: then nothing is offered that needs one.
	Mail Mailer
	// DemoOutbox, for serve --demo without SMTP, shows the mails on /demo/outbox.
	DemoOutbox DemoMails
	// Webhooks delivers the outbound events (webhook.Dispatcher); may be nil.
	Webhooks interface{ Kick() }
	// SigningKey signs license documents and .lic files.
	SigningKey ed25519.PrivateKey
	// Metrics counts requests and operations (metrics.New); nil counts nothing.
	Metrics *metrics.Metrics
	// MetricsToken, when set, serves GET /metrics to a bearer of it (with
	// Metrics, or metrics of the handlers' own); without it the route does
	// not exist.
	MetricsToken string
	// Rehost limits how often a license may move to another computer.
	Rehost domain.RehostPolicy
	Log    *slog.Logger
	// Now is the clock; tests set it.
	Now func() time.Time
	// Languages are the languages the pages speak; nil is the message files
	// built into the binary.
	Languages *i18n.Catalog
	// Build names the running binary on /healthz.
	Build buildinfo.Info
}

// Handler holds the dependencies of every route.
type Handler struct {
	cfg     Config
	store   Store
	log     *slog.Logger
	proxies trustedProxies
	// csrfKey signs CSRF tokens and deviceKey device cookies; both are derived
	// from the signing key.
	csrfKey   []byte
	deviceKey []byte
	// baseOrigin is the scheme and host of the public base URL.
	baseOrigin string
	// rows keeps the HTML of license rows already rendered.
	rows *views.RenderCache
	// langs are the languages of the pages; relativeMenus is the language
	// menu of a page without a query, per current language.
	langs         *i18n.Catalog
	relativeMenus map[string][]views.LangLinkData
	// metrics counts what happens (nil: nothing); metricsToken is the digest
	// of the token that reads them.
	metrics      *metrics.Metrics
	metricsToken [32]byte
}

// New returns the web layer over store.
func New(cfg Config, store Store) *Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Rehost.Limit == 0 {
		cfg.Rehost = domain.DefaultRehostPolicy
	}
	if cfg.OrderPrefix == "" {
		cfg.OrderPrefix = "JWT"
	}
	if cfg.Build.Version == "" {
		cfg.Build = buildinfo.Read()
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.Languages == nil {
		cfg.Languages = i18n.Builtin()
	}
	if cfg.MetricsToken != "" && cfg.Metrics == nil {
		cfg.Metrics = metrics.New()
	}
	h := &Handler{
		cfg:        cfg,
		store:      store,
		csrfKey:    csrfKeyFrom(cfg.SigningKey),
		deviceKey:  deviceKeyFrom(cfg.SigningKey),
		baseOrigin: originOf(cfg.BaseURL),
		proxies:    parseTrustedProxies(cfg.TrustedProxies),
		rows:       views.NewRenderCache(4096),
		langs:      cfg.Languages,
		log:        cfg.Log,

		metrics:      cfg.Metrics,
		metricsToken: sha256.Sum256([]byte(cfg.MetricsToken)),
	}
	h.relativeMenus = make(map[string][]views.LangLinkData)
	for _, l := range h.langs.Langs() {
		h.relativeMenus[l.Code] = h.menuLinks(l.Code, "?")
	}
	return h
}

// originOf is the origin (scheme://host) of a URL, as browsers send it.
func originOf(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
