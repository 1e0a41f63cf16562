package handlers

import (
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
)

// limiter is a token bucket per key: a burst of attempts, then one more every
// interval. Unlike a fixed window it recovers steadily, so a client that keeps
// below the rate is never locked out.
type limiter struct {
	mu       sync.Mutex
	burst    float64
	interval time.Duration
	now      func() time.Time
	buckets  map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// maxBuckets bounds the limiter's memory; past it, full buckets are forgotten.
const maxBuckets = 100_000

func newLimiter(burst int, interval time.Duration, now func() time.Time) *limiter {
	return &limiter{burst: float64(burst), interval: interval, now: now, buckets: make(map[string]*bucket)}
}

// take spends one token of key. When none is left it answers false and how long
// until the next one.
func (l *limiter) take(key string) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refill(key)
	if b.tokens < 1 {
		wait := time.Duration((1 - b.tokens) * float64(l.interval))
		return false, wait
	}
	b.tokens--
	return true, 0
}

// check reports whether key has a token left, without spending it, and when
// not, how long until the next one.
func (l *limiter) check(key string) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refill(key)
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) * float64(l.interval))
	}
	return true, 0
}

// give returns a token to key: a successful login does not count against it.
func (l *limiter) give(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refill(key)
	b.tokens = math.Min(l.burst, b.tokens+1)
}

func (l *limiter) refill(key string) *bucket {
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.forgetFull(now)
		}
		// Still full of live buckets (keys chosen by an attacker): forget some at
		// random. Map order is random, so no key can count on staying.
		for k := range l.buckets {
			if len(l.buckets) < maxBuckets {
				break
			}
			delete(l.buckets, k)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
		return b
	}
	elapsed := now.Sub(b.at)
	if elapsed > 0 {
		b.tokens = math.Min(l.burst, b.tokens+float64(elapsed)/float64(l.interval))
		b.at = now
	}
	return b
}

func (l *limiter) forgetFull(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+float64(now.Sub(b.at))/float64(l.interval) >= l.burst {
			delete(l.buckets, k)
		}
	}
}

// loginLimits pairs a per-address and a per-email bucket for one login form.
// An attempt spends a token of each; a successful login gives both back.
type loginLimits struct{ byIP, byEmail *limiter }

func newLoginLimits(now func() time.Time) loginLimits {
	return loginLimits{
		// Per address: a burst of 10 wrong attempts, then one every 6 seconds.
		byIP: newLimiter(10, 6*time.Second, now),
		// Per email: a burst of 5, then one a minute, so that guessing for one
		// account is slow even from many addresses.
		byEmail: newLimiter(5, time.Minute, now),
	}
}

// take spends one attempt; when a bucket is empty it answers false, how long to
// wait and which bucket ran out, and spends nothing.
func (l loginLimits) take(ip, email string) (ok bool, wait time.Duration, bucket string) {
	if ok, wait := l.byIP.take(ip); !ok {
		return false, wait, "address"
	}
	if ok, wait := l.byEmail.take(email); !ok {
		l.byIP.give(ip)
		return false, wait, "email"
	}
	return true, 0, ""
}

// succeeded gives the attempt back: a right login does not count against anyone.
func (l loginLimits) succeeded(ip, email string) {
	l.byIP.give(ip)
	l.byEmail.give(email)
}

// throttleLogin is the one login-throttle step of both login forms: it spends
// an attempt of limits for the client's address and the email typed, and over
// the limit answers a TooMany error that says how long to wait.
func (h *Handler) throttleLogin(c *fiber.Ctx, limits loginLimits, email string) error {
	ok, wait, bucket := limits.take(h.clientIP(c), email)
	if ok {
		return nil
	}
	h.log.Warn("login rate limited", "request_id", requestID(c), "client_ip", h.clientIP(c), "path", c.Path(), "bucket", bucket)
	return domain.TooMany(wait, fmt.Sprintf("Too many login attempts. Please wait %s and try again.", waitWords(wait)))
}

// waitWords says a wait in words a person reads at a glance.
func waitWords(wait time.Duration) string {
	seconds := int(math.Ceil(wait.Seconds()))
	if seconds <= 60 {
		return "a minute"
	}
	return fmt.Sprintf("%d minutes", (seconds+59)/60)
}

// setRetryAfter tells the client when to come back after a TooMany error.
func setRetryAfter(c *fiber.Ctx, err error) {
	if wait := domain.RetryAfterOf(err); wait > 0 {
		c.Set(fiber.HeaderRetryAfter, fmt.Sprint(int(math.Ceil(wait.Seconds()))))
	}
}
