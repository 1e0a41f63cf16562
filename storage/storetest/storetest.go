// Package storetest is the one storage test suite that every backend of the
// portal passes: the Badger store (package storage) and the PostgreSQL store
// (package storage/postgres). It checks behaviour a user relies on: look-ups
// and their indexes, all-or-nothing changes, idempotent imports and payments,
// numbering under concurrency, sessions, limits, search, export, the seller
// details, a dump loaded into another store, and TLS certificates' files and locks. Backend-specific tests (Badger's folder lock,
// PostgreSQL's instances sharing a database) stay with their backend.
package storetest

import (
	"context"
	"io"
	"iter"
	"sync"
	"testing"
	"time"

	"portal/domain"
)

// Backend is what the suite needs of a store: the methods that both stores
// have. (Badger also keeps the signing key for its backups; PostgreSQL never
// holds it, so it is no part of Backend.)
type Backend interface {
	Close() error
	Ping(ctx context.Context) error

	ImportOrders(ctx context.Context, orders []domain.OrderWithLicenses) ([]error, error)
	Order(ctx context.Context, ref string) (domain.Order, bool, error)
	OrderByActivationKey(ctx context.Context, key string) (domain.Order, bool, error)
	OrdersByEmail(ctx context.Context, email string) ([]domain.Order, error)
	OrderCount(ctx context.Context) (int, error)
	UpdateOrder(ctx context.Context, ref string, change func(u *domain.OrderUpdate) error) error
	License(ctx context.Context, id string) (domain.License, bool, error)
	Licenses(ctx context.Context, ids []string) ([]domain.License, error)
	LicensesByEmail(ctx context.Context, email string) ([]domain.License, error)
	LicenseHistory(ctx context.Context, licenseID string) ([]domain.HistoryEntry, error)
	SearchOrders(ctx context.Context, q string) ([]domain.SearchResult, error)

	SaveProduct(ctx context.Context, p domain.Product) (changed bool, err error)
	SaveProductAudited(ctx context.Context, p domain.Product, audit domain.AuditEntry) error
	Product(ctx context.Context, software, edition string) (domain.Product, bool, error)
	Products(ctx context.Context) ([]domain.Product, error)

	CreatePurchase(ctx context.Context, p domain.Purchase) error
	SetPurchaseCheckout(ctx context.Context, id string, checkout domain.CheckoutSession) error
	Purchase(ctx context.Context, id string) (domain.Purchase, bool, error)
	PurchasesByEmail(ctx context.Context, email string) ([]domain.Purchase, error)
	FlaggedPurchases(ctx context.Context) ([]domain.Purchase, error)
	FulfilPurchase(ctx context.Context, pay domain.Payment, numbering domain.Numbering) (domain.Purchase, error)
	ForgetUnpaidPurchases(ctx context.Context, now time.Time) (int, error)

	CreateSession(ctx context.Context, tokenHash string, sess domain.Session, ttl time.Duration) error
	Session(ctx context.Context, tokenHash string) (domain.Session, bool, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	SaveStaffUser(ctx context.Context, u domain.StaffUser, audit domain.AuditEntry) error
	StaffUser(ctx context.Context, email string) (domain.StaffUser, bool, error)
	StaffUsers(ctx context.Context) ([]domain.StaffUser, error)
	CreateStaffSession(ctx context.Context, tokenHash string, sess domain.StaffSession, ttl time.Duration) error
	StaffSession(ctx context.Context, tokenHash string) (domain.StaffSession, bool, error)
	DeleteStaffSession(ctx context.Context, tokenHash string) error
	RecordAudit(ctx context.Context, e domain.AuditEntry) error
	Audit(ctx context.Context, limit int) ([]domain.AuditEntry, error)
	Seller(ctx context.Context) (domain.Seller, bool, error)
	SaveSeller(ctx context.Context, s domain.Seller, audit domain.AuditEntry) error

	SpendToken(ctx context.Context, rate domain.Rate, key string, now time.Time) (domain.Limit, error)
	RefundToken(ctx context.Context, rate domain.Rate, key string, now time.Time) error
	TokenLeft(ctx context.Context, rate domain.Rate, key string, now time.Time) (domain.Limit, error)

	Export(ctx context.Context, w io.Writer) (orders int, err error)
	Dump(ctx context.Context, emit func(domain.Record) error) error
	Load(ctx context.Context, records iter.Seq2[domain.Record, error]) error

	NumberInvoices(ctx context.Context, prefix string) (int, error)

	CreateMailLink(ctx context.Context, tokenHash string, link domain.MailLink, mails []domain.Mail) error
	MailLink(ctx context.Context, tokenHash string, now time.Time) (domain.MailLink, bool, error)
	UseMailLink(ctx context.Context, tokenHash string, purpose domain.LinkPurpose, now time.Time) (domain.MailLink, error)
	EmailChange(ctx context.Context, id string) (domain.EmailChange, bool, error)
	RequestEmailChange(ctx context.Context, c domain.EmailChange, confirmHash, cancelHash string, mails []domain.Mail, audit *domain.AuditEntry) error
	ConfirmEmailChange(ctx context.Context, confirmHash string, now time.Time, actor domain.Actor, notice func(domain.EmailChange) []domain.Mail) (domain.EmailChange, error)
	CancelEmailChange(ctx context.Context, cancelHash string, now time.Time) (domain.EmailChange, error)
	QueueMail(ctx context.Context, mails ...domain.Mail) error
	ClaimMails(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]domain.Mail, error)
	RemoveMail(ctx context.Context, id string) error
	MailFailed(ctx context.Context, id string, next time.Time) error
	OutboxDepth(ctx context.Context) (int, error)

	CreatePairing(ctx context.Context, p domain.Pairing) error
	PairingByUserCode(ctx context.Context, userHash string) (domain.Pairing, bool, error)
	PollPairing(ctx context.Context, deviceHash string, now time.Time, deliver func(domain.Pairing) error) (domain.Pairing, domain.PollOutcome, bool, error)
	ApprovePairing(ctx context.Context, userHash, ref string, now time.Time, approve func(p *domain.Pairing, u *domain.OrderUpdate) error) (domain.Pairing, error)
	DenyPairing(ctx context.Context, userHash, email string, now time.Time) (domain.Pairing, error)

	SaveWebhookEndpoint(ctx context.Context, e domain.WebhookEndpoint, audit *domain.AuditEntry) error
	WebhookEndpoint(ctx context.Context, id string) (domain.WebhookEndpoint, bool, error)
	WebhookEndpoints(ctx context.Context) ([]domain.WebhookEndpoint, error)
	QueueDelivery(ctx context.Context, d domain.Delivery) error
	ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]domain.Delivery, error)
	SaveDelivery(ctx context.Context, d domain.Delivery) error
	Deliveries(ctx context.Context, endpointID string, limit int) ([]domain.Delivery, error)
	PendingDeliveries(ctx context.Context) (int, error)
	PutCertificateFile(ctx context.Context, f domain.CertificateFile) error
	CertificateFile(ctx context.Context, key string) (domain.CertificateFile, bool, error)
	CertificateKeys(ctx context.Context, prefix string) ([]string, error)
	DeleteCertificateFiles(ctx context.Context, key string) error
	HoldCertificateLock(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	ReleaseCertificateLock(ctx context.Context, name, holder string) error
}

// Harness tells the suite how to make and open stores of one backend.
type Harness struct {
	// Fresh makes an empty place for a store and answers its name (a folder,
	// a database URL), removed when the test ends.
	Fresh func(t testing.TB) string
	// Open opens the store at place.
	Open func(t testing.TB, place string) (Backend, error)
	// CheckSynced, if set, checks after a writer process was killed that what
	// it acknowledged reached the disk, not only the kernel's page cache.
	CheckSynced func(t *testing.T, place string)
}

// Run runs the whole suite against the backend of h, one subtest per behaviour.
func Run(t *testing.T, h Harness) {
	for _, group := range [][]test{orderTests, importTests, updateTests, purchaseTests, numberingTests,
		productTests, sellerTests, sessionTests, staffTests, rateLimitTests, searchTests, exportTests, dumpTests, readTests, durabilityTests, invoiceTests, emailTests, pairingTests, webhookTests, certificateTests} {
		for _, tc := range group {
			t.Run(tc.name, func(t *testing.T) { tc.run(t, h) })
		}
	}
}

type test struct {
	name string
	run  func(t *testing.T, h Harness)
}

// open opens a fresh store, closed when the test ends.
func (h Harness) open(t testing.TB) Backend {
	t.Helper()
	s, _ := h.openAt(t, h.Fresh(t))
	return s
}

// openAt opens the store at place. The returned function closes it; the test
// may call it (to open the place again), and it runs when the test ends, once.
func (h Harness) openAt(t testing.TB, place string) (Backend, func()) {
	t.Helper()
	s, err := h.Open(t, place)
	if err != nil {
		t.Fatalf("open %s: %v", place, err)
	}
	var once sync.Once
	closeFn := func() {
		once.Do(func() {
			if err := s.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}
	t.Cleanup(closeFn)
	return s, closeFn
}
