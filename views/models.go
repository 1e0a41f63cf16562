// Package views holds the portal's templ layout, pages and partials. Every partial
// renders alone (the answer to an htmx request) and inside its page.
//
// Names follow one rule:
//
//   - A component is named for what it shows, never with a View suffix: a page
//     ends in Page (LicensesPage, StaffOrderPage), a partial is the noun it shows
//     (LicenseRow, OrderDetails, UpgradeQuote, ActivationKey, Flash).
//   - A view model (the data handlers pass) is named for what it holds, with the
//     suffix Data; a component's own model has the component's name + Data
//     (LicenseRow takes LicenseRowData, UpgradePage takes UpgradePageData).
//     A page built around one partial takes that partial's model (OrderPage
//     takes OrderDetailsData, LicensesPage a []LicenseRowData). A part with no
//     component of its own is named for what it holds + Data (ItemRowData).
//     LayoutData is the layout's model, which every page takes first.
//   - New + the model's name shapes a model from domain values (NewLicenseRowData).
//
// Headings: each page has one h1; partials start at h2, so that they fit both
// under a page's h1 and alone in a panel of a page.
package views

import (
	"context"
	"encoding/json"
	"time"

	"github.com/a-h/templ"

	"portal/domain"
)

// LayoutData is what every page needs besides its own content.
type LayoutData struct {
	Brand        string
	SupportEmail string
	Title        string
	CSRF         string
	// Email is the signed-in customer's, empty on public pages.
	Email string
	// Nav names the current section ("licenses", "orders") for aria-current.
	Nav string
	// Staff is the signed-in staff member's email on staff pages; Admin their role.
	Staff string
	Admin bool
	// Langs is the language menu: every language, with a link to this page in it.
	Langs []LangLinkData
	// staffArea marks a staff page, signed in or not: no customer contact footer.
	staffArea bool
}

// LangLinkData is one language of the menu: its code, its name in itself, the
// link that chooses it (this page with ?lang=), and whether it is the page's.
type LangLinkData struct {
	Code, Name, Href string
	Current          bool
}

// forStaff is the layout data of a staff page.
func (m LayoutData) forStaff() LayoutData {
	m.staffArea = true
	return m
}

// FlashData is a message for the user: a note above a page's content, or the
// answer of an htmx request that failed. An empty Message shows nothing.
type FlashData struct {
	// Kind is "info", "error", or "warning" (a standing notice, such as the demo
	// payment page's).
	Kind string
	// Title, when set, leads the message in bold.
	Title   string
	Message string
	// TestID is the message's data-testid, for tests; optional.
	TestID string
}

// csrfHeaders is the hx-headers value that makes htmx send the CSRF token with every request.
func (m LayoutData) csrfHeaders() string {
	b, _ := json.Marshal(map[string]string{"X-CSRF-Token": m.CSRF})
	return string(b)
}

func (m LayoutData) pageTitle() string {
	if m.Title == "" {
		return m.Brand
	}
	return m.Title + " · " + m.Brand
}

// attrs are the message's optional attributes.
func (f FlashData) attrs() templ.Attributes {
	if f.TestID == "" {
		return templ.Attributes{}
	}
	return templ.Attributes{"data-testid": f.TestID}
}

// LoginCardData is the frame of a login form: what it is for and where it posts.
type LoginCardData struct {
	Title  string
	Intro  string
	Action string
	CSRF   string
	Error  string
	// Button names the submit button (default: log in).
	Button string
	// After is shown under the form.
	After templ.Component
}

func (d LoginCardData) button(ctx context.Context) string {
	if d.Button == "" {
		return t(ctx, "login.button")
	}
	return d.Button
}

// LoginPageData is what the customer login page shows back after a failed attempt.
type LoginPageData struct {
	Email string
	Order string
	Error string
	// Remind offers the "send me my order numbers" mail (only with mail set up).
	Remind bool
	// Next is where to go once signed in (a pairing code's page), if not the licenses.
	Next string
}

// isoTime is the machine-readable instant of a <time> element shown with its hour.
func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// isoDate is the machine-readable date of a <time> element; the page's script
// shows it in the viewer's format, and without script it reads as 2026-03-14.
func isoDate(t time.Time) string { return t.UTC().Format(domain.DateLayout) }

func stateLabel(ctx context.Context, s domain.SupportState, daysLeft int) string {
	switch s {
	case domain.SupportActive:
		return t(ctx, "support.active")
	case domain.SupportExpiring:
		if daysLeft == 1 {
			return t(ctx, "support.expires_tomorrow")
		}
		return t(ctx, "support.expires_in", "Count", daysLeft)
	default:
		return t(ctx, "support.expired")
	}
}
