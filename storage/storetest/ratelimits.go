package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"portal/domain"
)

var rateLimitTests = []test{
	{"RateLimitSpendsThenRecovers", testRateLimitSpendsThenRecovers},
	{"RateLimitRefundAndTokenLeft", testRateLimitRefundAndTokenLeft},
	{"RateLimitBucketsAreSeparate", testRateLimitBucketsAreSeparate},
	{"RateLimitConcurrentSpendsNeverPassTheBurst", testRateLimitConcurrentSpendsNeverPassTheBurst},
}

var testRate = domain.Rate{Name: "test-login", Burst: 3, Every: time.Minute}

func spend(t *testing.T, s Backend, rate domain.Rate, key string, now time.Time) domain.Limit {
	t.Helper()
	l, err := s.SpendToken(context.Background(), rate, key, now)
	if err != nil {
		t.Fatalf("SpendToken: %v", err)
	}
	return l
}

func testRateLimitSpendsThenRecovers(t *testing.T, h Harness) {
	s := h.open(t)
	for i := range testRate.Burst {
		if l := spend(t, s, testRate, "1.2.3.4", BaseDate); !l.OK {
			t.Fatalf("attempt %d of a burst of %d refused: %+v", i+1, testRate.Burst, l)
		}
	}
	if l := spend(t, s, testRate, "1.2.3.4", BaseDate); l.OK || l.Wait != time.Minute {
		t.Errorf("past the burst: %+v, want refused for a minute", l)
	}
	// A refused attempt spends nothing: half a minute on, half a minute to wait.
	if l := spend(t, s, testRate, "1.2.3.4", BaseDate.Add(30*time.Second)); l.OK || l.Wait != 30*time.Second {
		t.Errorf("half a minute later: %+v, want 30 s to wait", l)
	}
	if l := spend(t, s, testRate, "1.2.3.4", BaseDate.Add(time.Minute)); !l.OK {
		t.Errorf("a minute later: %+v, want a token", l)
	}
	if l := spend(t, s, testRate, "1.2.3.4", BaseDate.Add(time.Minute)); l.OK {
		t.Errorf("a minute later, twice: %+v, want refused", l)
	}
	// Long after, the bucket is full again, and no fuller than its burst.
	for i := range testRate.Burst + 1 {
		if l := spend(t, s, testRate, "1.2.3.4", BaseDate.Add(time.Hour)); l.OK != (i < testRate.Burst) {
			t.Errorf("an hour later, attempt %d: %+v", i+1, l)
		}
	}
	// A clock a little behind (another instance's) takes no token back.
	if l := spend(t, s, testRate, "1.2.3.4", BaseDate.Add(59*time.Minute)); l.OK {
		t.Errorf("an attempt stamped earlier: %+v, want refused", l)
	}
}

func testRateLimitRefundAndTokenLeft(t *testing.T, h Harness) {
	s := h.open(t)
	ctx := context.Background()
	left := func(now time.Time) domain.Limit {
		t.Helper()
		l, err := s.TokenLeft(ctx, testRate, "marie@acme.example", now)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	if l := left(BaseDate); !l.OK {
		t.Errorf("TokenLeft of a bucket never seen: %+v", l)
	}
	for range 10 {
		left(BaseDate) // spends nothing
	}
	for range testRate.Burst {
		spend(t, s, testRate, "marie@acme.example", BaseDate)
	}
	if l := left(BaseDate); l.OK || l.Wait != time.Minute {
		t.Errorf("TokenLeft of an empty bucket: %+v", l)
	}
	if l := left(BaseDate.Add(time.Minute)); !l.OK {
		t.Errorf("TokenLeft a minute later: %+v", l)
	}
	// A right login gives its token back.
	if err := s.RefundToken(ctx, testRate, "marie@acme.example", BaseDate); err != nil {
		t.Fatal(err)
	}
	if l := spend(t, s, testRate, "marie@acme.example", BaseDate); !l.OK {
		t.Errorf("after a refund: %+v, want a token", l)
	}
	// Refunds never fill a bucket past its burst.
	for range 5 {
		if err := s.RefundToken(ctx, testRate, "paul@other.example", BaseDate); err != nil {
			t.Fatal(err)
		}
	}
	spend(t, s, testRate, "paul@other.example", BaseDate)
	for range 5 {
		if err := s.RefundToken(ctx, testRate, "paul@other.example", BaseDate); err != nil {
			t.Fatal(err)
		}
	}
	for i := range testRate.Burst + 1 {
		if l := spend(t, s, testRate, "paul@other.example", BaseDate); l.OK != (i < testRate.Burst) {
			t.Errorf("after refunds, attempt %d: %+v", i+1, l)
		}
	}
}

// testRateLimitBucketsAreSeparate: each kind of limit and each key has its own
// bucket, whatever bytes the key holds.
func testRateLimitBucketsAreSeparate(t *testing.T, h Harness) {
	s := h.open(t)
	other := domain.Rate{Name: "test-keys", Burst: 1, Every: time.Hour}
	keys := []string{"1.2.3.4", "1.2.3.40", "", "\x00", "\xff\xfe", "a\x00b"}
	for _, key := range keys {
		for range testRate.Burst {
			if l := spend(t, s, testRate, key, BaseDate); !l.OK {
				t.Errorf("key %q refused within its burst", key)
			}
		}
		if l := spend(t, s, testRate, key, BaseDate); l.OK {
			t.Errorf("key %q: past its burst, still a token", key)
		}
		if l := spend(t, s, other, key, BaseDate); !l.OK {
			t.Errorf("key %q: another kind of limit shares its bucket", key)
		}
	}
}

func testRateLimitConcurrentSpendsNeverPassTheBurst(t *testing.T, h Harness) {
	s := h.open(t)
	rate := domain.Rate{Name: "test-burst", Burst: 10, Every: time.Hour}
	var mu sync.Mutex
	granted := 0
	var wg sync.WaitGroup
	for range 30 {
		wg.Go(func() {
			l, err := s.SpendToken(context.Background(), rate, "10.0.0.1", BaseDate)
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
		t.Errorf("30 attempts at once got %d tokens, want the burst, %d", granted, rate.Burst)
	}
}
