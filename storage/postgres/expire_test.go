package postgres

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"portal/domain"
	"portal/storage/postgres/pgtest"
)

// TestExpiredRowsAreForgotten: look-ups never write, so expired sessions and
// refilled rate-limit buckets are deleted by the store's own round, and only those.
func TestExpiredRowsAreForgotten(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, pgtest.Fresh(t), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Now().UTC()
	for _, ttl := range []time.Duration{time.Millisecond, time.Hour} {
		if err := s.CreateSession(ctx, ttl.String(), domain.Session{Email: "a@b.example", CreatedAt: at}, ttl); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateStaffSession(ctx, ttl.String(), domain.StaffSession{Email: "a@b.example", CreatedAt: at}, ttl); err != nil {
			t.Fatal(err)
		}
	}
	rate := domain.Rate{Name: "test", Burst: 2, Every: time.Minute}
	for key, when := range map[string]time.Time{"refilled": at.Add(-3 * time.Hour), "recent": at.Add(-30 * time.Minute), "empty": at} {
		for range 2 {
			if _, err := s.SpendToken(ctx, rate, key, when); err != nil {
				t.Fatal(err)
			}
		}
	}
	time.Sleep(5 * time.Millisecond)
	if err := s.deleteExpired(ctx); err != nil {
		t.Fatal(err)
	}
	for table, want := range map[string][]string{
		"sessions":       {"1h0m0s"},
		"staff_sessions": {"1h0m0s"},
		"rate_buckets":   {"empty", "recent"},
	} {
		column := "token_hash"
		if table == "rate_buckets" {
			column = "convert_from(key, 'UTF8')"
		}
		rows, err := s.pool.Query(ctx, `SELECT `+column+` FROM `+table+` ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			got = append(got, k)
		}
		if len(got) != len(want) || got[0] != want[0] || got[len(got)-1] != want[len(want)-1] {
			t.Errorf("%s left: %v, want %v", table, got, want)
		}
	}
	// A bucket forgotten is a full one.
	if l, _ := s.TokenLeft(ctx, rate, "refilled", at); !l.OK {
		t.Errorf("a forgotten bucket: %+v", l)
	}
}
