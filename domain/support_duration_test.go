package domain_test

import (
	"fmt"
	"testing"
	"time"

	"portal/domain"
)

// supportDurationByTrying is the plain rule, trying every count: the largest
// whole number of years (up to ten), then of months (up to 120), that brings the
// start to the end, else days.
func supportDurationByTrying(start, end time.Time) string {
	for years := 10; years >= 1; years-- {
		if start.AddDate(years, 0, 0).Equal(end) {
			return plural(years, "year")
		}
	}
	for months := 120; months >= 1; months-- {
		if start.AddDate(0, months, 0).Equal(end) {
			return plural(months, "month")
		}
	}
	return plural(int(end.Sub(start).Hours()/24), "day")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// TestSupportDurationAgreesWithTryingEveryCount: over starts on every day of two
// years (month ends, leap days) and ends up to eleven years later.
func TestSupportDurationAgreesWithTryingEveryCount(t *testing.T) {
	first := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := 0; d < 731; d++ {
		start := first.AddDate(0, 0, d)
		for _, end := range []time.Time{
			start.AddDate(0, 0, 1), start.AddDate(0, 0, 45), start.AddDate(0, 1, 0), start.AddDate(0, 6, 0),
			start.AddDate(1, 0, 0), start.AddDate(2, 0, 0), start.AddDate(0, 18, 0), start.AddDate(10, 0, 0),
			start.AddDate(11, 0, 0), start.AddDate(0, 1, 1), start.AddDate(0, 1, -1), start.AddDate(0, 0, 30),
		} {
			l := domain.License{SupportStart: start, SupportEnd: end}
			if got, want := l.SupportDuration(), supportDurationByTrying(start, end); got != want {
				t.Fatalf("%s → %s: %q, want %q", start.Format("2006-01-02"), end.Format("2006-01-02"), got, want)
			}
		}
	}
}
