package handlers

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/i18n"
)

// The portal's rate limits. Each kind of attempt has buckets of its own, so
// that customers, staff, the licensed software and signed-in customers' writes
// never lock each other out. The buckets are kept by the store, so that every
// instance of the portal counts the same attempts.
var (
	// Wrong customer logins per client address (an IPv6 client by its /64),
	// per email and per order number: guessing for one account or one
	// (sequential, guessable) order number is slow even from many addresses.
	rateLoginAddress = domain.Rate{Name: "login-address", Burst: 10, Every: 6 * time.Second}
	rateLoginEmail   = domain.Rate{Name: "login-email", Burst: 5, Every: time.Minute}
	rateLoginOrder   = domain.Rate{Name: "login-order", Burst: 5, Every: time.Minute}
	// A browser with a device cookie for the email has a bucket of its own
	// instead of the email's and the order number's (OWASP's device cookies):
	// others' guesses never lock its owner out.
	rateLoginDevice = domain.Rate{Name: "login-device", Burst: 10, Every: 6 * time.Second}
	// Staff logins, apart from customers'.
	rateStaffAddress = domain.Rate{Name: "staff-address", Burst: 10, Every: 6 * time.Second}
	rateStaffEmail   = domain.Rate{Name: "staff-email", Burst: 5, Every: time.Minute}
	rateStaffDevice  = domain.Rate{Name: "staff-device", Burst: 10, Every: 6 * time.Second}
	// Wrong activation keys on the licensing API, per address. Only wrong keys
	// spend.
	rateKeyChecks = domain.Rate{Name: "key-checks", Burst: 10, Every: 6 * time.Second}
	// A signed-in customer's writes, per customer: sign-ins (each makes a
	// session), key reissues and purchases (each may open a payment page).
	rateSignIns   = domain.Rate{Name: "sign-ins", Burst: 10, Every: 6 * time.Minute}
	rateReissues  = domain.Rate{Name: "key-reissues", Burst: 5, Every: 12 * time.Minute}
	ratePurchases = domain.Rate{Name: "purchases", Burst: 10, Every: 6 * time.Minute}
	// Reminder mails: asks per client address (answered 429), and mails per
	// email (past it, the same answer and no mail: 12 asks send at most 5).
	rateRemindAddress = domain.Rate{Name: "remind-address", Burst: 12, Every: 5 * time.Minute}
	rateRemindEmail   = domain.Rate{Name: "remind-email", Burst: 5, Every: 12 * time.Minute}
	// Requests to move a customer's orders to a new email, per customer.
	rateEmailChanges = domain.Rate{Name: "email-changes", Burst: 5, Every: 12 * time.Minute}
	// Pairings the software asks for, per address: each is stored for 10
	// minutes. Wrong user codes typed on /pair, per address, like wrong keys.
	ratePairings  = domain.Rate{Name: "pairings", Burst: 30, Every: 2 * time.Second}
	rateUserCodes = domain.Rate{Name: "user-codes", Burst: 10, Every: 6 * time.Second}
	// Billing saves that issue a corrected invoice, per customer.
	rateBilling = domain.Rate{Name: "billing", Burst: 10, Every: 6 * time.Minute}
)

// spent is a token taken from a bucket, to give back if the attempt was right.
type spent struct {
	rate domain.Rate
	key  string
}

// spend takes a token of each bucket in turn; at the first one that is empty it
// gives back what it took and answers a TooMany error whose message is key
// (its {{.Wait}} says how long to wait).
func (h *Handler) spend(c *fiber.Ctx, key string, buckets ...spent) ([]spent, error) {
	now := h.cfg.Now()
	for i, b := range buckets {
		limit, err := h.store.SpendToken(c.UserContext(), b.rate, b.key, now)
		if err == nil && !limit.OK {
			h.log.Warn("rate limited", "request_id", requestID(c), "client_ip", h.clientIP(c), "path", c.Path(), "bucket", b.rate.Name)
			err = limitRefusal{tooMany(key, limit.Wait), b.rate.Name}
		}
		if err != nil {
			h.refund(c, buckets[:i])
			return nil, err
		}
	}
	return buckets, nil
}

// limitRefusal is the error of an attempt a limit refused, naming the limit
// for the metrics (its name only: never the bucket's key, an email or address).
type limitRefusal struct {
	error
	limit string
}

func (r limitRefusal) Unwrap() error { return r.error }

// refusingLimit names the limit that refused err, or is empty.
func refusingLimit(err error) string {
	var r limitRefusal
	if errors.As(err, &r) {
		return r.limit
	}
	return ""
}

// refund gives back the tokens of an attempt that turned out right.
func (h *Handler) refund(c *fiber.Ctx, buckets []spent) {
	for _, b := range buckets {
		if err := h.store.RefundToken(c.UserContext(), b.rate, b.key, h.cfg.Now()); err != nil {
			h.log.Error("refund of a rate-limit token", "error", err.Error(), "bucket", b.rate.Name)
		}
	}
}

// loginAttempt spends one attempt of a login form: the client address's bucket,
// and the account's buckets (its email, its order number), unless the browser's
// device cookie vouches for the email: then its own bucket instead.
func (h *Handler) loginAttempt(c *fiber.Ctx, device deviceKind, address domain.Rate, email string, account ...spent) ([]spent, error) {
	buckets := []spent{{address, h.limitKey(c)}}
	if nonce, ok := h.trustedDevice(c, device, email); ok {
		buckets = append(buckets, spent{device.rate, nonce})
	} else {
		buckets = append(buckets, account...)
	}
	return h.spend(c, "limit.logins", buckets...)
}

// tooMany is the refusal of an attempt over a limit: the message key, whose
// {{.Wait}} says how long to wait, and the wait for Retry-After.
func tooMany(key string, wait time.Duration) error {
	e := userError(domain.KindTooMany, key, "Wait", i18n.Wait(wait))
	e.RetryAfter = wait
	return e
}

// setRetryAfter tells the client when to come back after a TooMany error.
func setRetryAfter(c *fiber.Ctx, err error) {
	if wait := domain.RetryAfterOf(err); wait > 0 {
		c.Set(fiber.HeaderRetryAfter, fmt.Sprint(int(math.Ceil(wait.Seconds()))))
	}
}
