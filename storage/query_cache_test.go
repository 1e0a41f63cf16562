package storage_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"portal/domain"
)

// TestQueryAnswersNeverOutliveAWrite: the answers kept for the hottest pages
// (a customer's orders and licenses, the catalog) are never given after a write
// that changes them: every read that starts after a write returned sees it, even
// with readers hammering the same queries meanwhile.
func TestQueryAnswersNeverOutliveAWrite(t *testing.T) {
	ctx := context.Background()
	s := mustOpenMem(t)
	o := newOrder(t, "JWT500001", "a@b.example", baseDate, 1)
	importOK(t, s, o)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
					s.LicensesByEmail(ctx, "a@b.example")
					s.OrdersByEmail(ctx, "a@b.example")
					s.Products(ctx)
				}
			}
		}()
	}
	for i := range 50 {
		err := s.UpdateOrder(ctx, "JWT500001", func(u *domain.OrderUpdate) error {
			u.Licenses[0].Users++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if ls, _ := s.LicensesByEmail(ctx, "a@b.example"); ls[0].Users != o.Licenses[0].Users+i+1 {
			t.Fatalf("after change %d the licenses say %d users", i+1, ls[0].Users)
		}
	}
	importOK(t, s, newOrder(t, "JWT500002", "a@b.example", baseDate.Add(time.Hour), 1))
	if orders, _ := s.OrdersByEmail(ctx, "a@b.example"); len(orders) != 2 {
		t.Errorf("after an import: %d orders", len(orders))
	}
	if _, err := s.SaveProduct(ctx, domain.Product{Software: "New", Edition: "One", Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	if ps, _ := s.Products(ctx); len(ps) != 1 {
		t.Errorf("after a product was saved: %d products", len(ps))
	}
	close(stop)
	wg.Wait()
}
