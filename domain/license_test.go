package domain_test

import (
	"testing"
	"time"

	"portal/domain"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestLicenseSupport(t *testing.T) {
	today := date(2026, 6, 1)
	tests := []struct {
		name     string
		now      time.Time
		end      time.Time
		wantDays int
		want     domain.SupportState
	}{
		{name: "a year left", now: today.Add(15 * time.Hour), end: today.AddDate(1, 0, 0), wantDays: 365, want: domain.SupportActive},
		{name: "31 days left is still active", now: today.Add(9 * time.Hour), end: today.AddDate(0, 0, 31), wantDays: 31, want: domain.SupportActive},
		{name: "exactly 30 days left is expiring", now: today.Add(9 * time.Hour), end: today.AddDate(0, 0, 30), wantDays: 30, want: domain.SupportExpiring},
		{name: "one day left is expiring", now: today.Add(9 * time.Hour), end: today.AddDate(0, 0, 1), wantDays: 1, want: domain.SupportExpiring},
		{name: "one day left, last second of the day", now: today.Add(24*time.Hour - time.Second), end: today.AddDate(0, 0, 1), wantDays: 1, want: domain.SupportExpiring},
		{name: "the end date itself is expired", now: today, end: today, wantDays: 0, want: domain.SupportExpired},
		{name: "the end date itself, late in the day", now: today.Add(23 * time.Hour), end: today, wantDays: 0, want: domain.SupportExpired},
		{name: "the day after the end", now: today.Add(12 * time.Hour), end: today.AddDate(0, 0, -1), wantDays: -1, want: domain.SupportExpired},
		{name: "long expired", now: today, end: today.AddDate(-2, 0, 0), wantDays: -730, want: domain.SupportExpired},
		{name: "end with a time of day counts as its date", now: today.Add(20 * time.Hour), end: today.AddDate(0, 0, 30).Add(18 * time.Hour), wantDays: 30, want: domain.SupportExpiring},
		{
			// 23:30 in New York on 1 June is already 2 June in UTC, the day support ends.
			name: "now in another time zone is taken in UTC",
			now:  time.Date(2026, 6, 1, 23, 30, 0, 0, time.FixedZone("EDT", -4*3600)),
			end:  date(2026, 6, 2), wantDays: 0, want: domain.SupportExpired,
		},
		{name: "across a leap day", now: date(2028, 2, 28), end: date(2028, 3, 1), wantDays: 2, want: domain.SupportExpiring},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := domain.License{SupportStart: tc.end.AddDate(-1, 0, 0), SupportEnd: tc.end}
			if got := l.DaysLeft(tc.now); got != tc.wantDays {
				t.Errorf("DaysLeft(now=%s) with end %s = %d, want %d", tc.now, tc.end.Format(domain.DateLayout), got, tc.wantDays)
			}
			if got := l.Support(tc.now); got != tc.want {
				t.Errorf("Support(now=%s) with end %s = %q, want %q", tc.now, tc.end.Format(domain.DateLayout), got, tc.want)
			}
		})
	}
}

func TestLicenseSupportDuration(t *testing.T) {
	tests := []struct {
		name       string
		start, end time.Time
		want       string
	}{
		{name: "one year", start: date(2026, 3, 14), end: date(2027, 3, 14), want: "1 year"},
		{name: "one year over a leap day", start: date(2027, 3, 14), end: date(2028, 3, 14), want: "1 year"},
		{name: "two years", start: date(2026, 3, 14), end: date(2028, 3, 14), want: "2 years"},
		{name: "three years", start: date(2026, 1, 1), end: date(2029, 1, 1), want: "3 years"},
		{name: "six months", start: date(2026, 3, 14), end: date(2026, 9, 14), want: "6 months"},
		{name: "one month", start: date(2026, 3, 14), end: date(2026, 4, 14), want: "1 month"},
		{name: "eighteen months", start: date(2026, 3, 14), end: date(2027, 9, 14), want: "18 months"},
		{name: "45 days", start: date(2026, 3, 14), end: date(2026, 4, 28), want: "45 days"},
		{name: "one day", start: date(2026, 3, 14), end: date(2026, 3, 15), want: "1 day"},
		{name: "a year and a day", start: date(2026, 3, 14), end: date(2027, 3, 15), want: "366 days"},
		{name: "times of day are ignored", start: date(2026, 3, 14).Add(10 * time.Hour), end: date(2027, 3, 14).Add(2 * time.Hour), want: "1 year"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := domain.License{SupportStart: tc.start, SupportEnd: tc.end}
			if got := l.SupportDuration(); got != tc.want {
				t.Errorf("SupportDuration(%s → %s) = %q, want %q", tc.start.Format(domain.DateLayout), tc.end.Format(domain.DateLayout), got, tc.want)
			}
		})
	}
}
