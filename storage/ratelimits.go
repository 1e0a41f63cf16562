package storage

import (
	"context"
	"sync"
	"time"

	"portal/domain"
)

// Rate limits on Badger live in this process's memory: only one process can
// open a Badger data folder, so its memory is shared by every instance there
// is. They are forgotten at a restart, which only ever lets a client try again
// sooner; nothing that was accepted depends on them.
type rateBuckets struct {
	mu      sync.Mutex
	buckets map[string]domain.Bucket
}

// maxBuckets bounds the memory of the limits; past it, full buckets are
// forgotten, then others at random (keys chosen by an attacker cannot count on
// staying, and a forgotten bucket is a full one).
const maxBuckets = 200_000

func (rb *rateBuckets) bucket(rate domain.Rate, key string, now time.Time) (string, domain.Bucket) {
	id := rate.Name + "\x00" + key
	b, seen := rb.buckets[id]
	if !seen && len(rb.buckets) >= maxBuckets {
		rb.forget(now)
	}
	return id, rate.Refill(b, seen, now)
}

func (rb *rateBuckets) forget(now time.Time) {
	for id, b := range rb.buckets {
		if b.Tokens >= 1 && now.Sub(b.At) > time.Hour {
			delete(rb.buckets, id)
		}
	}
	for id := range rb.buckets {
		if len(rb.buckets) < maxBuckets*7/8 {
			break
		}
		delete(rb.buckets, id)
	}
}

// SpendToken takes one token of key's bucket of rate. Without one it takes
// nothing and says how long until the next.
func (s *Store) SpendToken(ctx context.Context, rate domain.Rate, key string, now time.Time) (domain.Limit, error) {
	rb := &s.limits
	rb.mu.Lock()
	defer rb.mu.Unlock()
	if rb.buckets == nil {
		rb.buckets = map[string]domain.Bucket{}
	}
	id, b := rb.bucket(rate, key, now)
	if b.Tokens < 1 {
		rb.buckets[id] = b
		return domain.Limit{Wait: rate.Wait(b)}, nil
	}
	b.Tokens--
	rb.buckets[id] = b
	return domain.Limit{OK: true}, nil
}

// RefundToken gives key's bucket of rate a token back (a right login does not
// count against anyone).
func (s *Store) RefundToken(ctx context.Context, rate domain.Rate, key string, now time.Time) error {
	rb := &s.limits
	rb.mu.Lock()
	defer rb.mu.Unlock()
	if rb.buckets == nil {
		return nil
	}
	id, b := rb.bucket(rate, key, now)
	b.Tokens = min(float64(rate.Burst), b.Tokens+1)
	rb.buckets[id] = b
	return nil
}

// TokenLeft reports whether key's bucket of rate holds a token, spending none.
func (s *Store) TokenLeft(ctx context.Context, rate domain.Rate, key string, now time.Time) (domain.Limit, error) {
	rb := &s.limits
	rb.mu.Lock()
	defer rb.mu.Unlock()
	if rb.buckets == nil {
		return domain.Limit{OK: true}, nil
	}
	_, b := rb.bucket(rate, key, now)
	return domain.Limit{OK: b.Tokens >= 1, Wait: rate.Wait(b)}, nil
}
