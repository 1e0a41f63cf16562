package domain

import (
	"fmt"
	"strings"
	"time"
)

// License is one product licensed by an order. Its ID is the order reference and its
// position in the order ("JWT100234-1"): stable across exports and easy to read out.
type License struct {
	ID           string    `json:"id"`
	OrderRef     string    `json:"order_ref"`
	Software     string    `json:"software"`
	Edition      string    `json:"edition"`
	Users        int       `json:"users"`
	Serial       string    `json:"serial"`
	PurchasedAt  time.Time `json:"purchased_at"`
	SupportStart time.Time `json:"support_start"`
	SupportEnd   time.Time `json:"support_end"`
	Version      int       `json:"version"`
}

// CountsWorkstations: Remote Work products count workstations, the others
// users, as the vendor's own pages do.
func (l License) CountsWorkstations() bool { return strings.HasSuffix(l.Software, "Remote Work") }

// countWords is n of what the license counts, in the English of stored
// texts: "1 workstation", "8 users".
func (l License) countWords(n int) string {
	unit := "user"
	if l.CountsWorkstations() {
		unit = "workstation"
	}
	if n != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s", n, unit)
}

// LicenseID names the n-th (1-based) license of an order.
func LicenseID(orderRef string, n int) string { return fmt.Sprintf("%s-%d", orderRef, n) }

// MaxUsers bounds a license's users or workstations.
const MaxUsers = 100_000

// DateLayout is the form of a calendar date in imports and storage.
const DateLayout = "2006-01-02"

// Validate checks the license's own fields.
func (l *License) Validate() error {
	l.Software = strings.TrimSpace(l.Software)
	l.Edition = strings.TrimSpace(l.Edition)
	l.Serial = strings.TrimSpace(l.Serial)
	switch {
	case l.Software == "" || !plainText(l.Software, maxTextLen):
		return Invalidf("software must be plain text of 1 to %d characters", maxTextLen)
	case l.Edition == "" || !plainText(l.Edition, maxTextLen):
		return Invalidf("edition must be plain text of 1 to %d characters", maxTextLen)
	case l.Users < 1 || l.Users > MaxUsers:
		return Invalidf("users must be between 1 and %d", MaxUsers)
	case !plainText(l.Serial, 128):
		return Invalidf("serial must be plain text of at most 128 characters")
	case l.SupportStart.IsZero() || l.SupportEnd.IsZero():
		return Invalidf("support_start and support_end are required")
	case !l.SupportEnd.After(l.SupportStart):
		return Invalidf("support_end must be after support_start")
	case l.SupportStart.Year() < 1990 || l.SupportEnd.Year() > 2199:
		return Invalidf("support dates must lie between 1990 and 2199")
	}
	return nil
}

// SupportState is where a license's support and update services stand.
type SupportState string

// Support states. Expiring means the end is 30 days away or less.
const (
	SupportActive   SupportState = "active"
	SupportExpiring SupportState = "expiring"
	SupportExpired  SupportState = "expired"
)

// ExpiringWithin is how close to its end support counts as expiring.
const ExpiringWithin = 30

// Today is the current calendar day in UTC, as midnight.
func Today(now time.Time) time.Time {
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DaysLeft is the number of whole days from today (UTC) to the support end date.
// Zero or less means support has ended: the end date is the first day without it.
func (l License) DaysLeft(now time.Time) int {
	end := Today(l.SupportEnd)
	return int(end.Sub(Today(now)) / (24 * time.Hour))
}

// Support returns the state of the license's support at now.
func (l License) Support(now time.Time) SupportState {
	d := l.DaysLeft(now)
	switch {
	case d <= 0:
		return SupportExpired
	case d <= ExpiringWithin:
		return SupportExpiring
	default:
		return SupportActive
	}
}

// SupportDuration describes the support period in words: "1 year", "6 months",
// "45 days" (SupportSpan in English).
func (l License) SupportDuration() string {
	n, unit := l.SupportSpan()
	return plural(n, string(unit))
}

// SpanUnit is the unit a support period is told in.
type SpanUnit string

// Units of a support period.
const (
	SpanYear  SpanUnit = "year"
	SpanMonth SpanUnit = "month"
	SpanDay   SpanUnit = "day"
)

// SupportSpan is the support period as a count of a unit: whole years or
// months (up to ten years) when the end falls on the start's day, days
// otherwise. It is worked out from the calendar months between the two dates
// rather than by trying every count (every license row of every page asks).
func (l License) SupportSpan() (int, SpanUnit) {
	start, end := Today(l.SupportStart), Today(l.SupportEnd)
	months := (end.Year()-start.Year())*12 + int(end.Month()-start.Month())
	// AddDate normalises (31 January + 1 month is 3 March), so the match, if
	// any, is next to the calendar difference.
	for _, m := range []int{months, months - 1, months + 1} {
		if m >= 1 && m <= 120 && start.AddDate(0, m, 0).Equal(end) {
			if m%12 == 0 {
				return m / 12, SpanYear
			}
			return m, SpanMonth
		}
	}
	return int(end.Sub(start).Hours() / 24), SpanDay
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
