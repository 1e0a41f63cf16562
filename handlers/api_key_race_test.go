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

	"portal/domain"
	"portal/handlers"
	"portal/payments"
	"portal/storage"
)

// keyLookupStore is the real store, with a moment of the test's choosing between
// the licensing API's look-up of an activation key and its transaction.
type keyLookupStore struct {
	*storage.Store
	mu sync.Mutex
	// afterLookup, when set, runs once right after the next key look-up.
	afterLookup func()
}

func (s *keyLookupStore) OrderByActivationKey(ctx context.Context, key string) (domain.Order, bool, error) {
	o, found, err := s.Store.OrderByActivationKey(ctx, key)
	s.mu.Lock()
	f := s.afterLookup
	s.afterLookup = nil
	s.mu.Unlock()
	if f != nil {
		f()
	}
	return o, found, err
}

func (s *keyLookupStore) between(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.afterLookup = f
}

// newTestPortalOverStore serves the fixture like newTestPortal, through the store
// that wrap makes of the real one.
func newTestPortalOverStore(t *testing.T, wrap func(*storage.Store) handlers.Store) *testPortal {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	store, err := storage.Open(t.TempDir(), log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	report, err := domain.Import(context.Background(), strings.NewReader(fixture), store, domain.NewActivationKey)
	if err != nil || len(report.Rejected) > 0 {
		t.Fatalf("fixture import: %v %s", err, report)
	}
	clk := &clock{now: fixedNow}
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cfg := handlers.Config{Payments: payments.Demo{}, SigningKey: key, Brand: "Test Portal", SupportEmail: "help@vendor.example",
		Log: log, Now: clk.Now}
	return &testPortal{app: handlers.New(cfg, wrap(store)).App(), store: store, clock: clk, publicKey: pub}
}

// TestAPIRefusesAKeyReissuedDuringTheRequest: the customer reissues a leaked key
// while the software's request with the old key is between its look-up and its
// transaction. The old key must not activate or refresh anything: it stopped
// working the moment the reissue answered.
func TestAPIRefusesAKeyReissuedDuringTheRequest(t *testing.T) {
	ctx := context.Background()
	var store *keyLookupStore
	p := newTestPortalOverStore(t, func(s *storage.Store) handlers.Store { store = &keyLookupStore{Store: s}; return store })
	customer := p.signedIn(t)
	reissue := func() {
		customer.get("/licenses")
		if res := customer.post("/orders/JWT100234/activation-key/reissue", nil); res.StatusCode != 200 {
			t.Errorf("reissue during the request: %d", res.StatusCode)
		}
	}

	// Activate: the key is looked up, then reissued, then the transaction runs.
	oldKey := p.activationKey(t, "JWT100234")
	store.between(reissue)
	status, out, _ := p.api(t, "POST", "/api/v1/activate", keyBody(oldKey, "PC-RACE"))
	newKey := p.activationKey(t, "JWT100234")
	if newKey == oldKey {
		t.Fatal("the key was not reissued during the request: the test did not make its race")
	}
	if status != 404 {
		t.Errorf("activation with a key reissued during the request: %d %v, want 404", status, out)
	}
	if l, _, _ := p.store.License(ctx, "JWT100234-1"); l.Serial != "" {
		t.Errorf("the old key bound the license to %q", l.Serial)
	}
	// The new key works (so the refusal above was the key's).
	if status, out, _ := p.api(t, "POST", "/api/v1/activate", keyBody(newKey, "PC-1")); status != 200 {
		t.Fatalf("activation with the new key: %d %v", status, out)
	}

	// Refresh: same race, with the key that is current when the request starts.
	store.between(reissue)
	status, out, _ = p.api(t, "POST", "/api/v1/refresh", keyBody(newKey, "PC-1"))
	if p.activationKey(t, "JWT100234") == newKey {
		t.Fatal("the key was not reissued during the refresh")
	}
	if status != 404 {
		t.Errorf("refresh with a key reissued during the request: %d %v, want 404", status, out)
	}
	history, _ := p.store.LicenseHistory(ctx, "JWT100234-1")
	for _, h := range history {
		if h.Kind == domain.ChangeRefresh && h.Actor == domain.ActorSoftware {
			t.Errorf("a refresh with the old key was recorded: %+v", h)
		}
	}
}
