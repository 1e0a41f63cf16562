package storage_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"portal/domain"
	"portal/storage"
	"portal/storage/storetest"
)

// BenchmarkImportOrders imports batches of 500 new orders (the import's batch size)
// into a durable store in a temporary folder.
func BenchmarkImportOrders(b *testing.B) {
	const batchSize = 500
	s, err := storage.Open(b.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	ctx := context.Background()
	next := 0
	makeBatch := func() []domain.OrderWithLicenses {
		batch := make([]domain.OrderWithLicenses, batchSize)
		for i := range batch {
			next++
			batch[i] = storetest.NewOrder(b, fmt.Sprintf("JWT%09d", next), fmt.Sprintf("buyer%d@bench.example", next%1000),
				storetest.BaseDate.Add(time.Duration(next)*time.Second), 2)
		}
		return batch
	}

	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		batch := makeBatch()
		b.StartTimer()
		results, err := s.ImportOrders(ctx, batch)
		if err != nil {
			b.Fatal(err)
		}
		for i, r := range results {
			if r != nil {
				b.Fatalf("order %d: %v", i, r)
			}
		}
	}
	b.StopTimer()
	if secs := b.Elapsed().Seconds(); secs > 0 {
		b.ReportMetric(float64(b.N*batchSize)/secs, "orders/s")
	}
}
