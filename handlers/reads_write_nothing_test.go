package handlers_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"portal/domain"
	"portal/handlers"
	"portal/payments"
)

// writeCounter is the store with every write counted: what a request changed,
// whatever it changed.
type writeCounter struct {
	handlers.Store
	mu     sync.Mutex
	writes []string
}

func (w *writeCounter) wrote(what string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes = append(w.writes, what)
}

func (w *writeCounter) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.writes
	w.writes = nil
	return out
}

func (w *writeCounter) CreateSession(ctx context.Context, h string, s domain.Session, ttl time.Duration) error {
	w.wrote("CreateSession")
	return w.Store.CreateSession(ctx, h, s, ttl)
}
func (w *writeCounter) DeleteSession(ctx context.Context, h string) error {
	w.wrote("DeleteSession")
	return w.Store.DeleteSession(ctx, h)
}
func (w *writeCounter) UpdateOrder(ctx context.Context, ref string, change func(u *domain.OrderUpdate) error) error {
	w.wrote("UpdateOrder")
	return w.Store.UpdateOrder(ctx, ref, change)
}
func (w *writeCounter) CreatePurchase(ctx context.Context, p domain.Purchase) error {
	w.wrote("CreatePurchase")
	return w.Store.CreatePurchase(ctx, p)
}
func (w *writeCounter) SetPurchaseCheckout(ctx context.Context, id string, s domain.CheckoutSession) error {
	w.wrote("SetPurchaseCheckout")
	return w.Store.SetPurchaseCheckout(ctx, id, s)
}
func (w *writeCounter) FulfilPurchase(ctx context.Context, pay domain.Payment, prefix domain.Numbering) (domain.Purchase, error) {
	w.wrote("FulfilPurchase")
	return w.Store.FulfilPurchase(ctx, pay, prefix)
}
func (w *writeCounter) SaveStaffUser(ctx context.Context, u domain.StaffUser, a domain.AuditEntry) error {
	w.wrote("SaveStaffUser")
	return w.Store.SaveStaffUser(ctx, u, a)
}
func (w *writeCounter) CreateStaffSession(ctx context.Context, h string, s domain.StaffSession, ttl time.Duration) error {
	w.wrote("CreateStaffSession")
	return w.Store.CreateStaffSession(ctx, h, s, ttl)
}
func (w *writeCounter) DeleteStaffSession(ctx context.Context, h string) error {
	w.wrote("DeleteStaffSession")
	return w.Store.DeleteStaffSession(ctx, h)
}
func (w *writeCounter) SaveProductAudited(ctx context.Context, p domain.Product, a domain.AuditEntry) error {
	w.wrote("SaveProductAudited")
	return w.Store.SaveProductAudited(ctx, p, a)
}
func (w *writeCounter) SaveSeller(ctx context.Context, s domain.Seller, a domain.AuditEntry) error {
	w.wrote("SaveSeller")
	return w.Store.SaveSeller(ctx, s, a)
}
func (w *writeCounter) RecordAudit(ctx context.Context, e domain.AuditEntry) error {
	w.wrote("RecordAudit")
	return w.Store.RecordAudit(ctx, e)
}
func (w *writeCounter) SaveProduct(ctx context.Context, p domain.Product) (bool, error) {
	w.wrote("SaveProduct")
	return w.Store.SaveProduct(ctx, p)
}
func (w *writeCounter) ImportOrders(ctx context.Context, o []domain.OrderWithLicenses) ([]error, error) {
	w.wrote("ImportOrders")
	return w.Store.ImportOrders(ctx, o)
}
func (w *writeCounter) SpendToken(ctx context.Context, r domain.Rate, key string, now time.Time) (domain.Limit, error) {
	w.wrote("SpendToken " + r.Name)
	return w.Store.SpendToken(ctx, r, key, now)
}
func (w *writeCounter) RefundToken(ctx context.Context, r domain.Rate, key string, now time.Time) error {
	w.wrote("RefundToken " + r.Name)
	return w.Store.RefundToken(ctx, r, key, now)
}

// TestReadingAPageWritesNothing: no GET of any route, by a visitor, a customer
// or staff, stores a token, touches a session or writes anything else
// (PRODUCT.md section 14). Routes are taken from the app itself, so a new page
// is covered without being listed here.
func TestReadingAPageWritesNothing(t *testing.T) {
	base := newTestPortal(t)
	counter := &writeCounter{Store: base.store}
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	cfg := handlers.Config{Payments: payments.Demo{}, SigningKey: key, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: base.clock.Now}
	p := &testPortal{app: handlers.New(cfg, counter).App(), store: base.store, clock: base.clock}
	p.addStaff(t, "ada@vendor.example", domain.RoleAdmin)
	f := &csrfFixture{p: p, customer: p.signedIn(t), admin: p.staff(t, "ada@vendor.example"), purchase: p.lockUpgrade(t)}
	visitor := p.client(t)
	visitor.get("/login")
	counter.take()

	for _, r := range p.app.GetRoutes(true) {
		if r.Method != "GET" || strings.HasPrefix(r.Path, "/static") {
			continue
		}
		path := fillParams(t, f, r.Path)
		for _, who := range []struct {
			name string
			c    *client
		}{{"a visitor", visitor}, {"the customer", f.customer}, {"an admin", f.admin}} {
			for range 3 {
				who.c.do("GET", path, nil, map[string]string{"HX-Request": "true"})
				who.c.get(path)
			}
			if writes := counter.take(); len(writes) > 0 {
				t.Errorf("GET %s by %s wrote: %v", path, who.name, writes)
			}
		}
	}
}
