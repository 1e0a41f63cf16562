package views_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"

	"portal/domain"
	"portal/views"
)

func renderString(t *testing.T, c templ.Component) string {
	t.Helper()
	var b strings.Builder
	if err := c.Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var heading = regexp.MustCompile(`<h([1-6])[\s>]`)

// TestPartialsStartAtH2: a partial sits under its page's h1, or alone in a panel
// of a page that has one, so its headings start at h2 and skip no level.
func TestPartialsStartAtH2(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	l := domain.License{ID: "JWT100234-1", Software: "Remote Work", Edition: "Standard", Users: 5,
		Serial: "PC-1", OrderRef: "JWT100234", SupportEnd: now.AddDate(0, 3, 0)}
	o := domain.Order{Reference: "JWT100234", Currency: "EUR",
		Items: []domain.Item{{Description: "Remote Work Standard, 5 workstations", Quantity: 1, UnitAmount: 45000, Amount: 45000}}}
	history := []domain.HistoryEntry{{LicenseID: l.ID, At: now, Kind: domain.ChangeActivation, Before: l, After: l}}
	for name, c := range map[string]templ.Component{
		"OrderDetails":   views.OrderDetails(views.NewOrderDetailsData(o, []domain.License{l}, now)),
		"ActivationKey":  views.ActivationKey(views.NewActivationKeyData(o, "t")),
		"LicenseDetails": views.LicenseDetails(views.NewLicenseDetailsData(l, history, domain.RehostPolicy{Limit: 3, Window: 365 * 24 * time.Hour}, now, "t")),
	} {
		t.Run(name, func(t *testing.T) {
			levels := heading.FindAllStringSubmatch(renderString(t, c), -1)
			if len(levels) == 0 || levels[0][1] != "2" {
				t.Fatalf("first heading %v, want h2", levels)
			}
			for i := 1; i < len(levels); i++ {
				if levels[i][1][0] > levels[i-1][1][0]+1 {
					t.Errorf("h%s follows h%s", levels[i][1], levels[i-1][1])
				}
			}
		})
	}
}

func TestFlash(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    views.FlashData
		want []string
	}{
		{"Empty", views.FlashData{Kind: "error"}, nil},
		{"Error", views.FlashData{Kind: "error", Message: "Wrong email or password.", TestID: "login-error"},
			[]string{`class="flash error"`, `role="alert"`, `data-testid="login-error"`, "Wrong email or password."}},
		{"Info", views.FlashData{Kind: "info", Message: "Saved."}, []string{`class="flash info"`, `role="status"`}},
		{"WarningWithTitle", views.FlashData{Kind: "warning", Title: "DEMO PAYMENT PAGE", Message: "No money moves."},
			[]string{`role="note"`, "<strong>DEMO PAYMENT PAGE</strong>", "No money moves."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := renderString(t, views.Flash(tc.f))
			if tc.want == nil && got != "" {
				t.Fatalf("an empty flash renders %q", got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
		})
	}
}
