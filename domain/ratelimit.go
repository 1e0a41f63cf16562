package domain

import "time"

// Rate is the shape of a token bucket: a burst of Burst attempts, then one more
// every Every. Unlike a fixed window it recovers steadily, so a client that
// keeps below the rate is never locked out. Name keeps each kind of limit in
// buckets of its own.
type Rate struct {
	Name  string
	Burst int
	Every time.Duration
}

// Bucket is a token bucket's state: Tokens left at At.
type Bucket struct {
	Tokens float64
	At     time.Time
}

// Refill is the bucket at now: the tokens it has earned since At, up to the burst.
// A bucket never seen is full.
func (r Rate) Refill(b Bucket, seen bool, now time.Time) Bucket {
	if !seen {
		return Bucket{Tokens: float64(r.Burst), At: now}
	}
	if elapsed := now.Sub(b.At); elapsed > 0 {
		b.Tokens = min(float64(r.Burst), b.Tokens+float64(elapsed)/float64(r.Every))
		b.At = now
	}
	return b
}

// Wait is how long until the bucket holds a whole token again.
func (r Rate) Wait(b Bucket) time.Duration {
	if b.Tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.Tokens) * float64(r.Every))
}

// Full reports whether the bucket at now has all its tokens: one that a store
// may forget.
func (r Rate) Full(b Bucket, now time.Time) bool {
	return r.Refill(b, true, now).Tokens >= float64(r.Burst)
}

// Limit is what a bucket said: whether the attempt may go on, and if not, how
// long to wait.
type Limit struct {
	OK   bool
	Wait time.Duration
}
