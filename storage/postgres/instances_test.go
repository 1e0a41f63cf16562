package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"portal/domain"
	"portal/storage/postgres"
	"portal/storage/postgres/pgtest"
	"portal/storage/storetest"
)

// twoInstances opens two stores on one fresh database, as two portal
// processes behind a load balancer would.
func twoInstances(t *testing.T) (a, b *postgres.Store) {
	t.Helper()
	url := pgtest.Fresh(t)
	return mustOpen(t, url), mustOpen(t, url)
}

func mustOpen(t testing.TB, url string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), url, testLogger(t))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var base = storetest.BaseDate

func TestInstancesShareSessions(t *testing.T) {
	ctx := context.Background()
	a, b := twoInstances(t)
	sess := domain.Session{Email: "marie@acme.example", CreatedAt: base}
	if err := a.CreateSession(ctx, "h1", sess, time.Hour); err != nil {
		t.Fatal(err)
	}
	if got, found, err := b.Session(ctx, "h1"); err != nil || !found || got != sess {
		t.Fatalf("a session made on one instance, read on the other: %+v, %v, %v", got, found, err)
	}
	if err := b.DeleteSession(ctx, "h1"); err != nil { // sign out through the other one
		t.Fatal(err)
	}
	if _, found, _ := a.Session(ctx, "h1"); found {
		t.Error("a session ended on one instance still opens on the other")
	}
	staff := domain.StaffSession{Email: "admin@acme.example", CreatedAt: base}
	if err := b.CreateStaffSession(ctx, "s1", staff, time.Hour); err != nil {
		t.Fatal(err)
	}
	if got, found, _ := a.StaffSession(ctx, "s1"); !found || got != staff {
		t.Error("a staff session made on one instance is not on the other")
	}
}

// TestInstancesShareRateLimits: 14 wrong attempts spread over two instances
// meet the one limit of 10, whichever instance they reach.
func TestInstancesShareRateLimits(t *testing.T) {
	ctx := context.Background()
	a, b := twoInstances(t)
	rate := domain.Rate{Name: "wrong-keys", Burst: 10, Every: 6 * time.Second}
	var allowed []bool
	for i := range 14 {
		s := a
		if i%2 == 1 {
			s = b
		}
		l, err := s.SpendToken(ctx, rate, "203.0.113.9", base)
		if err != nil {
			t.Fatal(err)
		}
		allowed = append(allowed, l.OK)
	}
	want := []bool{true, true, true, true, true, true, true, true, true, true, false, false, false, false}
	if !slices.Equal(allowed, want) {
		t.Errorf("14 attempts over two instances: %v, want the first 10 only", allowed)
	}
	for _, s := range []*postgres.Store{a, b} {
		if l, _ := s.TokenLeft(ctx, rate, "203.0.113.9", base); l.OK || l.Wait != 6*time.Second {
			t.Errorf("TokenLeft on an instance: %+v, want none for 6 s", l)
		}
	}
	// And at once: 40 attempts from both instances together get the burst, no more.
	var mu sync.Mutex
	granted := 0
	var wg sync.WaitGroup
	for i := range 40 {
		s := []*postgres.Store{a, b}[i%2]
		wg.Go(func() {
			l, err := s.SpendToken(ctx, rate, "198.51.100.7", base)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if l.OK {
				granted++
			}
		})
	}
	wg.Wait()
	if granted != rate.Burst {
		t.Errorf("40 attempts at once over two instances got %d tokens, want %d", granted, rate.Burst)
	}
}

// TestInstancesShareActivations: a license changed through one instance is
// changed on the other at once, and changes through both at once add up.
func TestInstancesShareActivations(t *testing.T) {
	ctx := context.Background()
	a, b := twoInstances(t)
	o := storetest.NewOrder(t, "JWT100234", "marie@acme.example", base, 2)
	storetest.ImportOK(t, a, o)
	err := b.UpdateOrder(ctx, o.Order.Reference, func(u *domain.OrderUpdate) error {
		_, err := u.Activate(o.Order.ActivationKey, "PC-1", base.Add(time.Hour))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if l := storetest.MustLicense(t, a, "JWT100234-1"); l.Serial != "PC-1" || l.Version != 2 {
		t.Errorf("the other instance reads %+v", l)
	}
	if hist, _ := a.LicenseHistory(ctx, "JWT100234-2"); len(hist) != 1 || hist[0].Kind != domain.ChangeActivation {
		t.Errorf("the other instance reads the history %+v", hist)
	}
	if res, _ := a.SearchOrders(ctx, "PC-1"); len(res) != 1 {
		t.Errorf("the other instance's search finds %d orders by the new serial", len(res))
	}
	var wg sync.WaitGroup
	for _, s := range []*postgres.Store{a, b, a, b} {
		wg.Go(func() {
			for range 10 {
				err := s.UpdateOrder(ctx, o.Order.Reference, func(u *domain.OrderUpdate) error {
					before := u.Licenses[1]
					u.Licenses[1].Users++
					u.Licenses[1].Version++
					u.Recorded = append(u.Recorded, domain.HistoryEntry{LicenseID: before.ID, At: base, Kind: domain.ChangeUpgrade, Before: before, After: u.Licenses[1]})
					return nil
				})
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	l := storetest.MustLicense(t, b, "JWT100234-2")
	hist, _ := b.LicenseHistory(ctx, "JWT100234-2")
	if l.Users != 2+40 || l.Version != 2+40 || len(hist) != 1+40 {
		t.Errorf("after 40 changes through two instances: users %d, version %d, %d history entries", l.Users, l.Version, len(hist))
	}
	// The catalog is read from the database, not kept by an instance.
	p := domain.Product{Software: "Remote Work", Edition: "Standard", Currency: "EUR", SeatPrice: 1}
	for _, price := range []int64{1, 2} {
		p.SeatPrice = price
		if _, err := a.SaveProduct(ctx, p); err != nil {
			t.Fatal(err)
		}
		if got, err := b.Products(ctx); err != nil || len(got) != 1 || got[0] != p {
			t.Errorf("the other instance's catalog: %+v, %v", got, err)
		}
	}
}

// TestInstancesFulfilOnce: the same payment event delivered to both instances
// at once, many times, fulfils once; payments fulfilled on both at once take
// unique order numbers without gaps.
func TestInstancesFulfilOnce(t *testing.T) {
	ctx := context.Background()
	a, b := twoInstances(t)
	product := domain.Product{Software: "Remote Work", Edition: "Standard", Upgradable: true, Currency: "EUR", SupportPricePerSeatYear: 9000}
	var purchases []domain.Purchase
	for i := range 20 {
		o := storetest.NewOrder(t, fmt.Sprintf("JWT%d", 100001+i), fmt.Sprintf("c%d@acme.example", i), base, 1)
		storetest.ImportOK(t, a, o)
		q, err := domain.QuoteUpgrade(o.Licenses[0], product, 3, base)
		if err != nil {
			t.Fatal(err)
		}
		p := domain.NewUpgradePurchase(q, o.Licenses[0], o.Order.Email, base)
		if err := a.CreatePurchase(ctx, p); err != nil {
			t.Fatal(err)
		}
		if err := b.SetPurchaseCheckout(ctx, p.ID, domain.CheckoutSession{ID: "cs_" + p.ID, URL: "https://pay.example"}); err != nil {
			t.Fatal(err)
		}
		purchases = append(purchases, p)
	}
	pay := func(p domain.Purchase, event string) domain.Payment {
		return domain.Payment{EventID: event, PurchaseID: p.ID, SessionID: "cs_" + p.ID, Amount: p.Amount, Currency: p.Currency, At: base}
	}
	var mu sync.Mutex
	var refs []string
	outcomes := map[string]int{}
	var wg sync.WaitGroup
	for i, p := range purchases {
		deliveries := 1
		if i == 0 {
			deliveries = 10 // the same event, 10 times on each instance
		}
		for range deliveries {
			for _, s := range []*postgres.Store{a, b} {
				wg.Go(func() {
					got, err := s.FulfilPurchase(ctx, pay(p, fmt.Sprintf("evt_%d", i)), domain.Numbering{OrderPrefix: "JWT"})
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						refs = append(refs, got.NewOrderRef)
					case errors.Is(err, domain.ErrPaymentSeen):
						outcomes["seen"]++
					default:
						t.Errorf("fulfil %d: %v", i, err)
					}
				})
			}
		}
	}
	wg.Wait()
	slices.Sort(refs)
	for i, ref := range refs {
		if want := fmt.Sprintf("JWT%d", 100021+i); ref != want {
			t.Fatalf("new orders %v: want JWT100021 to JWT100040, each once", refs)
		}
	}
	// The first event came 20 times, every other one twice (once on each instance).
	if len(refs) != 20 || outcomes["seen"] != 19+19 {
		t.Errorf("%d fulfilled, %d seen; want 20 and 38", len(refs), outcomes["seen"])
	}
	if l := storetest.MustLicense(t, b, "JWT100001-1"); l.Users != 1+3 {
		t.Errorf("the license paid for by one event delivered 20 times: %d users, want 4", l.Users)
	}
}
