package domain_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"portal/domain"
)

func TestUpgradePrice(t *testing.T) {
	cases := []struct {
		name                string
		n, p, s             int64
		d                   int
		wantOneTime, wantSp int64
		wantOK              bool
	}{
		// The contract's example: 3 added, p = 0, s = EUR 90.00, 180 days: 13315.07 → EUR 133.15.
		{"contract example", 3, 0, 9000, 180, 0, 13315, true},
		{"one-time part only", 3, 4900, 0, 180, 14700, 0, true},
		{"both parts", 2, 4900, 12000, 365, 9800, 24000, true},
		{"one workstation, one day", 1, 0, 9000, 1, 0, 25, true}, // 24.66 → 25
		// n*s*d is a whole number and 365 is odd, so n*s*d/365 never lands on an exact
		// half (2*n*s*d would have to equal 365 times an odd number): the cases closest
		// to one are the remainders 182 (x.4986, rounds down) and 183 (x.5014, rounds up).
		{"nearest below a half rounds down", 1, 0, 182, 1, 0, 0, true},                           // 182/365 = 0.4986 → 0
		{"nearest above a half rounds up", 1, 0, 183, 1, 0, 1, true},                             // 183/365 = 0.5014 → 1
		{"x.4986 rounds down beside a one-time part", 1, 100, 547, 1, 100, 1, true},              // 547/365 = 1.4986 → 1
		{"x.5014 rounds up beside a one-time part", 1, 100, 548, 1, 100, 2, true},                // 548/365 = 1.5014 → 2
		{"several workstations and days, nearest above a half", 2, 0, 9001, 39, 0, 1924, true},   // 702078/365 = 1923.5014 → 1924
		{"several workstations and days, nearest below a half", 4, 0, 9001, 163, 0, 16078, true}, // 5868652/365 = 16078.4986 → 16078
		{"EUR 90.00 a year, 54 days: just over a half", 1, 0, 9000, 54, 0, 1332, true},           // 486000/365 = 1331.5068 → 1332
		{"EUR 90.00 a year, 19 days: just under a half", 1, 0, 9000, 19, 0, 468, true},           // 171000/365 = 468.4932 → 468
		{"a whole number needs no rounding", 1, 0, 1825, 1, 0, 5, true},                          // 1825/365 = 5
		{"no days left: no support part", 1, 0, 365, 0, 0, 0, true},                              // d = 0
		{"1000 workstations, a full leap year", 1000, 100, 9000, 366, 100000, 9024658, true},     // 9024657.53 → 9024658
		{"largest catalog prices, ten years left", 1000, 1_000_000_000_000, 1_000_000_000_000, 3650, 1_000_000_000_000_000, 10_000_000_000_000_000, true},
		{"a result past int64 is refused, not wrapped", 1000, 0, math.MaxInt64 / 2, 365, 0, 0, false},
		{"a one-time part past int64 is refused", 1000, math.MaxInt64 / 2, 0, 365, 0, 0, false},
		{"large but representable", 1000, 1_000_000_000, 1_000_000_000_000, 365, 1_000_000_000_000, 1_000_000_000_000_000, true},
		{"negative input", -1, 0, 9000, 10, 0, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			oneTime, support, ok := domain.UpgradePrice(tc.n, tc.p, tc.s, tc.d)
			if ok != tc.wantOK {
				t.Fatalf("ok = %v, want %v (%d, %d)", ok, tc.wantOK, oneTime, support)
			}
			if ok && (oneTime != tc.wantOneTime || support != tc.wantSp) {
				t.Errorf("got %d + %d, want %d + %d", oneTime, support, tc.wantOneTime, tc.wantSp)
			}
		})
	}
}

// TestUpgradePriceMatchesExactArithmetic checks the integer formula against exact
// rational arithmetic for many inputs.
func TestUpgradePriceMatchesExactArithmetic(t *testing.T) {
	for n := int64(1); n <= 1000; n += 37 {
		for _, s := range []int64{1, 99, 9000, 12345, 999_999} {
			for d := 1; d <= 800; d += 53 {
				_, got, ok := domain.UpgradePrice(n, 0, s, d)
				num := n * s * int64(d)
				want := num / 365
				if rem := num % 365; rem*2 >= 365 {
					want++
				}
				if !ok || got != want {
					t.Fatalf("n=%d s=%d d=%d: %d, want %d", n, s, d, got, want)
				}
			}
		}
	}
}

func day(s string) time.Time {
	t, err := time.Parse(domain.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestQuoteUpgrade(t *testing.T) {
	remoteWork := domain.Product{Software: "Remote Work", Edition: "Standard", Upgradable: true, Currency: "EUR", SupportPricePerSeatYear: 9000}
	license := domain.License{ID: "JWT1-1", OrderRef: "JWT1", Software: "Remote Work", Edition: "Standard", Users: 5,
		SupportStart: day("2026-05-01"), SupportEnd: day("2027-05-26"), Version: 4}
	now := time.Date(2026, 11, 27, 23, 59, 0, 0, time.UTC) // 180 days before 2027-05-26
	cases := []struct {
		name      string
		license   domain.License
		product   domain.Product
		add       int
		now       time.Time
		wantTotal int64
		wantDays  int
		wantErr   string
	}{
		{"contract example", license, remoteWork, 3, now, 13315, 180, ""},
		{"last day with support", license, remoteWork, 1, day("2027-05-25"), 25, 1, ""},
		{"support end date itself: ended", license, remoteWork, 1, day("2027-05-26"), 0, 0, "renew them first"},
		{"long after the end", license, remoteWork, 1, day("2028-01-01"), 0, 0, "renew them first"},
		{"leap year: 366 days", withEnd(license, "2028-03-01"), remoteWork, 1, day("2027-03-01"), 9025, 366, ""},
		{"1000 workstations", license, remoteWork, 1000, now, 4438356, 180, ""},
		{"0 workstations", license, remoteWork, 0, now, 0, 0, "from 1 to 1000"},
		{"1001 workstations", license, remoteWork, 1001, now, 0, 0, "from 1 to 1000"},
		{"negative", license, remoteWork, -3, now, 0, 0, "from 1 to 1000"},
		{"not upgradable", license, domain.Product{Software: "Remote Work", Edition: "Standard", Currency: "EUR"}, 3, now, 0, 0, "cannot be upgraded from the portal"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q, err := domain.QuoteUpgrade(tc.license, tc.product, tc.add, tc.now)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if q.Total != tc.wantTotal || q.DaysLeft != tc.wantDays || q.Total != q.OneTime+q.SupportPart ||
				q.Currency != "EUR" || q.UsersBefore != 5 || q.LicenseVersion != 4 {
				t.Errorf("quote %+v, want total %d over %d days", q, tc.wantTotal, tc.wantDays)
			}
		})
	}
}

func withEnd(l domain.License, end string) domain.License {
	l.SupportEnd = day(end)
	return l
}

func TestQuoteRenewal(t *testing.T) {
	p := domain.Product{Software: "Remote Access", Edition: "Standard", Currency: "EUR", SupportPricePerSeatYear: 4500}
	l := domain.License{ID: "JWT1-1", Users: 3, SupportStart: day("2025-01-01"), SupportEnd: day("2026-01-01")}
	cases := []struct {
		name, end, now, wantFrom, wantEnd string
	}{
		{"expired: from today", "2026-01-01", "2026-11-27", "2026-11-27", "2027-11-27"},
		{"active: from the current end", "2027-03-14", "2026-11-27", "2027-03-14", "2028-03-14"},
		{"ends today: from today", "2026-11-27", "2026-11-27", "2026-11-27", "2027-11-27"},
		{"leap day end", "2028-02-29", "2027-12-01", "2028-02-29", "2029-03-01"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q, err := domain.QuoteRenewal(withEnd(l, tc.end), p, day(tc.now).Add(15*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if q.Total != 13500 || q.Currency != "EUR" || q.From.Format(domain.DateLayout) != tc.wantFrom ||
				q.NewSupportEnd.Format(domain.DateLayout) != tc.wantEnd {
				t.Errorf("renewal %+v, want %s to %s for 13500", q, tc.wantFrom, tc.wantEnd)
			}
		})
	}
	big := l
	big.Users = domain.MaxUsers
	if _, err := domain.QuoteRenewal(big, domain.Product{Currency: "EUR", SupportPricePerSeatYear: math.MaxInt64 / 2}, day("2026-11-27")); err == nil {
		t.Error("an overflowing renewal price was accepted")
	}
}

func TestFulfil(t *testing.T) {
	origin := domain.Order{Reference: "JWT1", Name: "Acme SARL", Country: "FR", City: "Lyon", ContactName: "Marie", Email: "m@acme.example"}
	l := domain.License{ID: "JWT1-1", OrderRef: "JWT1", Software: "Remote Work", Edition: "Standard", Users: 5,
		SupportEnd: day("2027-05-26"), Version: 4}
	quote, _ := domain.QuoteUpgrade(l, domain.Product{Upgradable: true, Currency: "EUR", SupportPricePerSeatYear: 9000}, 3,
		time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC))
	p := domain.NewUpgradePurchase(quote, l, "m@acme.example", time.Now())
	pay := domain.Payment{EventID: "evt_1", PurchaseID: p.ID, Amount: 13315, Currency: "EUR", At: time.Now()}

	t.Run("paid as quoted", func(t *testing.T) {
		got, f, _ := domain.Fulfil(p, origin, l, pay, ref("JWT2"), domain.NewActivationKey(), domain.Seller{})
		if f == nil || got.Status != domain.PurchaseFulfilled || got.NewOrderRef != "JWT2" {
			t.Fatalf("not fulfilled: %+v", got)
		}
		if f.License.Users != 8 || f.License.Version != 5 || f.Entry.Kind != domain.ChangeUpgrade ||
			f.Entry.Before.Users != 5 || f.Entry.After.Users != 8 {
			t.Errorf("license %+v, entry %+v", f.License, f.Entry)
		}
		if f.Order.Total != 13315 || f.Order.Email != "m@acme.example" || f.Order.Name != "Acme SARL" ||
			f.Order.Source != domain.SourceUpgrade || !strings.Contains(f.Order.Items[0].Description, "Add 3 workstations") {
			t.Errorf("new order %+v", f.Order)
		}
		if err := f.Order.Validate(); err != nil {
			t.Errorf("new order is invalid: %v", err)
		}
	})
	for name, change := range map[string]func(*domain.Payment, *domain.License){
		"paid long after the quote expired": func(p *domain.Payment, _ *domain.License) { p.At = p.At.Add(26 * time.Hour) },
		"other amount":                      func(p *domain.Payment, _ *domain.License) { p.Amount = 1 },
		"other currency":                    func(p *domain.Payment, _ *domain.License) { p.Currency = "USD" },
		"users changed since quote":         func(_ *domain.Payment, l *domain.License) { l.Users = 6 },
		"support changed since quote":       func(_ *domain.Payment, l *domain.License) { l.SupportEnd = day("2028-05-26") },
	} {
		t.Run(name, func(t *testing.T) {
			pay, l := pay, l
			change(&pay, &l)
			noRef := func() (string, error) { t.Error("a flagged payment took an order number"); return "", nil }
			got, f, _ := domain.Fulfil(p, origin, l, pay, noRef, "KEY", domain.Seller{})
			if f != nil || got.Status != domain.PurchaseFlagged || got.FlagReason == "" {
				t.Errorf("fulfilled blindly: %+v", got)
			}
		})
	}
	t.Run("renewal extends support", func(t *testing.T) {
		rq, _ := domain.QuoteRenewal(l, domain.Product{Currency: "EUR", SupportPricePerSeatYear: 9000}, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC))
		rp := domain.NewRenewalPurchase(rq, l, "m@acme.example", time.Now())
		got, f, _ := domain.Fulfil(rp, origin, l, domain.Payment{EventID: "e", Amount: 45000, Currency: "EUR", At: time.Now()}, ref("JWT3"), "K", domain.Seller{})
		if f == nil || f.License.SupportEnd.Format(domain.DateLayout) != "2028-05-26" || f.License.Users != 5 ||
			f.Entry.Kind != domain.ChangeRenewal || f.Order.Source != domain.SourceRenewal || got.Status != domain.PurchaseFulfilled {
			t.Errorf("renewal: %+v %+v", got, f)
		}
	})
}

// ref answers a fixed reference and fails the test if a flagged payment takes one.
func ref(r string) func() (string, error) { return func() (string, error) { return r, nil } }

func TestPurchaseDescriptionFitsAnOrderItem(t *testing.T) {
	l := domain.License{ID: "JWT100234-1", OrderRef: "JWT100234", Software: strings.Repeat("Ré", 75), Edition: strings.Repeat("E", 60), Users: 5}
	p := domain.NewUpgradePurchase(domain.UpgradeQuote{Add: 3, Total: 100, Currency: "EUR"}, l, "m@acme.example", time.Now())
	o := domain.Order{Reference: "JWT100300", Date: time.Now(), Name: "Acme", Country: "FR", Email: "m@acme.example", Currency: "EUR",
		Items: []domain.Item{{Description: p.Description, Quantity: 1, UnitAmount: 100}}}
	if err := o.Validate(); err != nil {
		t.Errorf("the order of a long-named product would not import back: %v", err)
	}
}

// TestPurchaseDescriptionsCountWhatTheLicenseCounts: an item says
// workstations for Remote Work and users for the others, one in the singular.
func TestPurchaseDescriptionsCountWhatTheLicenseCounts(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	work := domain.License{ID: "JWT100234-1", Software: "Remote Work", Edition: "Standard", Users: 1}
	access := domain.License{ID: "JWT100234-2", Software: "Remote Access", Edition: "Enterprise", Users: 10}
	end := time.Date(2027, 11, 27, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ got, want string }{
		{domain.NewUpgradePurchase(domain.UpgradeQuote{Add: 1}, work, "a@b.example", now).Description,
			"Add 1 workstation to Remote Work Standard (license JWT100234-1)"},
		{domain.NewUpgradePurchase(domain.UpgradeQuote{Add: 3}, access, "a@b.example", now).Description,
			"Add 3 users to Remote Access Enterprise (license JWT100234-2)"},
		{domain.NewRenewalPurchase(domain.RenewalQuote{NewSupportEnd: end}, work, "a@b.example", now).Description,
			"Support renewal, 1 year, 1 workstation, Remote Work Standard (license JWT100234-1) until 2027-11-27"},
		{domain.NewRenewalPurchase(domain.RenewalQuote{NewSupportEnd: end}, access, "a@b.example", now).Description,
			"Support renewal, 1 year, 10 users, Remote Access Enterprise (license JWT100234-2) until 2027-11-27"},
	} {
		if tc.got != tc.want {
			t.Errorf("%q, want %q", tc.got, tc.want)
		}
	}
}

// TestAddRangeSaysWhatTheLicenseCounts: a number out of range is refused in
// the words of the license: workstations for Remote Work, users otherwise.
func TestAddRangeSaysWhatTheLicenseCounts(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	for software, want := range map[string]string{"Remote Work": "workstations", "Remote Access": "users"} {
		l := domain.License{ID: "JWT1-1", Software: software, Edition: "X", Users: 5, SupportEnd: now.AddDate(0, 3, 0)}
		p := domain.Product{Software: software, Edition: "X", Currency: "EUR", Upgradable: true}
		_, err := domain.QuoteUpgrade(l, p, 0, now)
		if domain.KindOf(err) != domain.KindInvalid || !strings.Contains(domain.MessageOf(err), "whole number of "+want+" to add") {
			t.Errorf("%s, 0 to add: %v", software, err)
		}
	}
}
