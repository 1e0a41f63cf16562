package domain

import (
	"math/bits"
	"time"
)

// Limits of "workstations to add".
const (
	MinAddUsers = 1
	MaxAddUsers = 1000
)

// UpgradeQuote is the price of adding users to a license, with its arithmetic.
type UpgradeQuote struct {
	LicenseID   string
	Add         int
	Currency    string
	SeatPrice   int64
	SupportYear int64
	DaysLeft    int
	// OneTime is Add*SeatPrice; SupportPart is Add*SupportYear*DaysLeft/365, rounded half up.
	OneTime     int64
	SupportPart int64
	Total       int64
	// The license as quoted: a payment is fulfilled only if it has not changed since.
	UsersBefore    int
	SupportEnd     time.Time
	LicenseVersion int
}

// UpgradePrice is n*p + round_half_up(n*s*d/365), in integers. ok is false when
// the result would not fit in an int64.
func UpgradePrice(n, p, s int64, d int) (oneTime, support int64, ok bool) {
	if n < 0 || p < 0 || s < 0 || d < 0 {
		return 0, 0, false
	}
	hi, oneTimeU := bits.Mul64(uint64(n), uint64(p))
	if hi != 0 || oneTimeU > 1<<63-1 {
		return 0, 0, false
	}
	// n*s*d in 128 bits, then (2x + 365) / 730 rounds half up.
	hi1, ns := bits.Mul64(uint64(n), uint64(s))
	if hi1 != 0 {
		return 0, 0, false
	}
	hi, lo := bits.Mul64(ns, uint64(d))
	hi, lo = hi<<1|lo>>63, lo<<1
	var carry uint64
	lo, carry = bits.Add64(lo, 365, 0)
	hi += carry
	if hi >= 730 {
		return 0, 0, false
	}
	supportU, _ := bits.Div64(hi, lo, 730)
	if supportU > 1<<63-1 || supportU+oneTimeU > 1<<63-1 {
		return 0, 0, false
	}
	return int64(oneTimeU), int64(supportU), true
}

// ErrAddRange refuses a number of workstations to add outside MinAddUsers to MaxAddUsers.
var ErrAddRange = Invalid("quote.add_range", "Enter a whole number of workstations to add, from {{.Min}} to {{.Max}}.",
	"Min", MinAddUsers, "Max", MaxAddUsers)

// errAddUsersRange is ErrAddRange for a license that counts users.
var errAddUsersRange = Invalid("quote.add_users_range", "Enter a whole number of users to add, from {{.Min}} to {{.Max}}.",
	"Min", MinAddUsers, "Max", MaxAddUsers)

var errPriceTooLarge = Invalid("quote.too_large", "This price is too large to compute; please contact support.")

// QuoteUpgrade prices adding add users to l from product p at now.
func QuoteUpgrade(l License, p Product, add int, now time.Time) (UpgradeQuote, error) {
	if err := CanUpgrade(l, p, now); err != nil {
		return UpgradeQuote{}, err
	}
	if add < MinAddUsers || add > MaxAddUsers {
		if !l.CountsWorkstations() {
			return UpgradeQuote{}, errAddUsersRange
		}
		return UpgradeQuote{}, ErrAddRange
	}
	if l.Users+add > MaxUsers {
		return UpgradeQuote{}, Invalid("quote.max_users", "A license can have at most {{.Max}} users.", "Max", MaxUsers)
	}
	d := l.DaysLeft(now)
	oneTime, support, ok := UpgradePrice(int64(add), p.SeatPrice, p.SupportPricePerSeatYear, d)
	if !ok {
		return UpgradeQuote{}, errPriceTooLarge
	}
	return UpgradeQuote{
		LicenseID: l.ID, Add: add, Currency: p.Currency, SeatPrice: p.SeatPrice, SupportYear: p.SupportPricePerSeatYear,
		DaysLeft: d, OneTime: oneTime, SupportPart: support, Total: oneTime + support,
		UsersBefore: l.Users, SupportEnd: l.SupportEnd, LicenseVersion: l.Version,
	}, nil
}

// CanUpgrade says why a license cannot get more users from the portal, if it cannot.
func CanUpgrade(l License, p Product, now time.Time) error {
	if p.Retired {
		return Conflict("quote.retired", "{{.Software}} {{.Edition}} is no longer sold. Please contact support.", "Software", p.Software, "Edition", p.Edition)
	}
	if !p.Upgradable {
		return Conflict("quote.not_upgradable", "{{.Software}} {{.Edition}} cannot be upgraded from the portal. Please contact support to add users.",
			"Software", p.Software, "Edition", p.Edition)
	}
	if l.DaysLeft(now) <= 0 {
		return Conflict("quote.support_ended", "The support and update services of this license have ended: renew them first, then add workstations.")
	}
	return nil
}

// RenewalQuote is the price of one more year of support for all of a license's users.
type RenewalQuote struct {
	LicenseID   string
	Users       int
	Currency    string
	SupportYear int64
	Total       int64
	// From is where the new year starts: the current end, or today if support has ended.
	From           time.Time
	NewSupportEnd  time.Time
	SupportEnd     time.Time
	LicenseVersion int
}

// QuoteRenewal prices one more year of support for l from product p at now.
func QuoteRenewal(l License, p Product, now time.Time) (RenewalQuote, error) {
	if p.Retired {
		return RenewalQuote{}, Conflict("quote.retired_renewal", "{{.Software}} {{.Edition}} is no longer sold, so its support cannot be renewed here. Please contact support.",
			"Software", p.Software, "Edition", p.Edition)
	}
	hi, total := bits.Mul64(uint64(l.Users), uint64(p.SupportPricePerSeatYear))
	if hi != 0 || total > 1<<63-1 || p.SupportPricePerSeatYear < 0 {
		return RenewalQuote{}, errPriceTooLarge
	}
	from := Today(l.SupportEnd)
	if today := Today(now); from.Before(today) {
		from = today
	}
	return RenewalQuote{
		LicenseID: l.ID, Users: l.Users, Currency: p.Currency, SupportYear: p.SupportPricePerSeatYear,
		Total: int64(total), From: from, NewSupportEnd: from.AddDate(1, 0, 0),
		SupportEnd: l.SupportEnd, LicenseVersion: l.Version,
	}, nil
}
