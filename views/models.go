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
	"encoding/json"
	"strings"
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
	// staffArea marks a staff page, signed in or not: no customer contact footer.
	staffArea bool
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
}

// LoginPageData is what the customer login page shows back after a failed attempt.
type LoginPageData struct {
	Email string
	Order string
	Error string
}

// LicenseRowData is one license as the Licenses page shows it.
type LicenseRowData struct {
	ID              string
	Software        string
	Edition         string
	Users           int
	UsersLabel      string
	Serial          string
	OrderRef        string
	PurchasedAt     time.Time
	SupportDuration string
	SupportEnd      time.Time
	State           domain.SupportState
	DaysLeft        int
	Version         int
	// CSRF is the token of the row's forms.
	CSRF string
	// Synced is set on the answer to "Refresh your License".
	Synced      bool
	SyncedAt    time.Time
	SyncChanges []string
	// OOB marks the row for an out-of-band htmx swap (after a rehost).
	OOB bool
	// Upgradable: users can be added from the portal. Renewable: the product is in
	// the catalog, so support can be renewed here.
	Upgradable bool
	Renewable  bool
}

// WithProduct marks what the license's catalog entry allows; found is false for a
// product no longer in the catalog.
func (r LicenseRowData) WithProduct(p domain.Product, found bool) LicenseRowData {
	r.Upgradable = found && p.Upgradable
	r.Renewable = found
	return r
}

func (r LicenseRowData) oobAttrs() templ.Attributes {
	if r.OOB {
		return templ.Attributes{"hx-swap-oob": "true"}
	}
	return templ.Attributes{}
}

// NewLicenseRowData shapes a license for display at now.
func NewLicenseRowData(l domain.License, now time.Time) LicenseRowData {
	return LicenseRowData{
		ID:              l.ID,
		Software:        l.Software,
		Edition:         l.Edition,
		Users:           l.Users,
		UsersLabel:      usersLabel(l),
		Serial:          l.Serial,
		OrderRef:        l.OrderRef,
		PurchasedAt:     l.PurchasedAt,
		SupportDuration: l.SupportDuration(),
		SupportEnd:      l.SupportEnd,
		State:           l.Support(now),
		DaysLeft:        l.DaysLeft(now),
		Version:         l.Version,
	}
}

// NewLicenseRowDataList shapes licenses for display at now, their forms carrying csrf.
func NewLicenseRowDataList(licenses []domain.License, now time.Time, csrf string) []LicenseRowData {
	rows := make([]LicenseRowData, len(licenses))
	for i, l := range licenses {
		rows[i] = NewLicenseRowData(l, now)
		rows[i].CSRF = csrf
	}
	return rows
}

// ActivationKeyData is an order's key as the customer is shown it.
type ActivationKeyData struct {
	OrderRef string
	Key      string
	CSRF     string
	// Reissued is set right after a reissue.
	Reissued bool
}

// NewActivationKeyData shapes an order's key for display.
func NewActivationKeyData(o domain.Order, csrf string) ActivationKeyData {
	return ActivationKeyData{OrderRef: o.Reference, Key: domain.FormatActivationKey(o.ActivationKey), CSRF: csrf}
}

// LicenseDetailsData is a license's files, rehost state and history.
type LicenseDetailsData struct {
	License     LicenseRowData
	Serial      string
	RehostsLeft int
	RehostLimit int
	WindowDays  int
	NextRehost  time.Time
	History     []HistoryRowData
	CSRF        string
	Flash       FlashData
	// ReadOnly hides the customer's forms, for staff.
	ReadOnly bool
}

// HistoryRowData is one history entry as the customer reads it.
type HistoryRowData struct {
	At      time.Time
	What    string
	Summary string
	By      string
}

// NewLicenseDetailsData shapes a license and its history (oldest first) for display,
// newest entry first.
func NewLicenseDetailsData(l domain.License, history []domain.HistoryEntry, policy domain.RehostPolicy, now time.Time, csrf string) LicenseDetailsData {
	left, next := policy.RehostsLeft(history, now)
	d := LicenseDetailsData{
		License: NewLicenseRowData(l, now), Serial: l.Serial, RehostsLeft: left, RehostLimit: policy.Limit,
		WindowDays: int(policy.Window.Hours() / 24), NextRehost: next, CSRF: csrf,
	}
	for i := len(history) - 1; i >= 0; i-- {
		e := history[i]
		d.History = append(d.History, HistoryRowData{At: e.At, What: changeLabel(e.Kind), Summary: e.Summary(), By: string(e.Actor)})
	}
	return d
}

func changeLabel(k domain.ChangeKind) string {
	switch k {
	case domain.ChangeActivation:
		return "Activation"
	case domain.ChangeRefresh:
		return "Refresh"
	case domain.ChangeRehost:
		return "Rehost"
	case domain.ChangeKeyReissue:
		return "Key reissued"
	case domain.ChangeUpgrade:
		return "Upgrade"
	case domain.ChangeRenewal:
		return "Support renewal"
	case domain.ChangeImport:
		return "Imported"
	default:
		return string(k)
	}
}

// usersLabel names what a license counts: workstations for Remote Work products,
// users for the others, as the vendor's own pages do.
func usersLabel(l domain.License) string {
	word := "users"
	if strings.HasSuffix(l.Software, "Remote Work") {
		word = "workstations"
	}
	if l.Users == 1 {
		return word[:len(word)-1]
	}
	return word
}

// OrderRowData is one order: a row of the customer's Orders page or of a staff
// search, and the facts at the top of the order's own page.
type OrderRowData struct {
	Reference   string
	Date        time.Time
	Name        string
	Country     string
	City        string
	ContactName string
	Email       string
	Total       string
	// UpgradeLicenseID is the order's first license that can be upgraded, if any.
	UpgradeLicenseID string
	// ForStaff marks a row of a staff search: it opens the staff order page, and
	// Matched says what the search matched.
	ForStaff bool
	Matched  string
}

// NewOrderRowData shapes an order for display.
func NewOrderRowData(o domain.Order) OrderRowData {
	return OrderRowData{
		Reference:   o.Reference,
		Date:        o.Date,
		Name:        o.Name,
		Country:     o.Country,
		City:        o.City,
		ContactName: o.ContactName,
		Email:       o.Email,
		Total:       o.TotalMoney().String(),
	}
}

// FoundBy makes the row one of a staff search that matched the order by matched.
func (r OrderRowData) FoundBy(matched string) OrderRowData {
	r.ForStaff, r.Matched = true, matched
	return r
}

// testID tells a customer's order row from a staff search result, for tests.
func (r OrderRowData) testID() string {
	if r.ForStaff {
		return "result"
	}
	return "order-row"
}

// OrderDetailsData is an order with its items and licenses.
type OrderDetailsData struct {
	Order    OrderRowData
	Source   string
	Items    []ItemRowData
	Licenses []LicenseRowData
}

// ItemRowData is one item of an order, its amounts formatted with the currency.
type ItemRowData struct {
	Description string
	Quantity    int64
	UnitAmount  string
	Amount      string
}

// NewOrderDetailsData shapes an order and its licenses for display at now.
func NewOrderDetailsData(o domain.Order, licenses []domain.License, now time.Time) OrderDetailsData {
	d := OrderDetailsData{Order: NewOrderRowData(o), Source: string(o.Source)}
	for _, it := range o.Items {
		d.Items = append(d.Items, ItemRowData{
			Description: it.Description,
			Quantity:    it.Quantity,
			UnitAmount:  domain.Money{Amount: it.UnitAmount, Currency: o.Currency}.String(),
			Amount:      domain.Money{Amount: it.Amount, Currency: o.Currency}.String(),
		})
	}
	for _, l := range licenses {
		d.Licenses = append(d.Licenses, NewLicenseRowData(l, now))
	}
	return d
}

// isoTime is the machine-readable instant of a <time> element shown with its hour.
func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// isoDate is the machine-readable date of a <time> element; the page's script
// shows it in the viewer's format, and without script it reads as 2026-03-14.
func isoDate(t time.Time) string { return t.UTC().Format(domain.DateLayout) }

func stateLabel(s domain.SupportState, daysLeft int) string {
	switch s {
	case domain.SupportActive:
		return "Active"
	case domain.SupportExpiring:
		if daysLeft == 1 {
			return "Expires tomorrow"
		}
		return "Expires in " + itoa(daysLeft) + " days"
	default:
		return "Expired"
	}
}
