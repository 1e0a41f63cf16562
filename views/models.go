// Package views holds the portal's templ layout, pages and partials. Every partial
// renders alone (the answer to an htmx request) and inside its page.
package views

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/a-h/templ"

	"portal/domain"
)

// Meta is what every page needs besides its own content.
type Meta struct {
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
}

// csrfHeaders is the hx-headers value that makes htmx send the CSRF token with every request.
func (m Meta) csrfHeaders() string {
	b, _ := json.Marshal(map[string]string{"X-CSRF-Token": m.CSRF})
	return string(b)
}

func (m Meta) pageTitle() string {
	if m.Title == "" {
		return m.Brand
	}
	return m.Title + " · " + m.Brand
}

// LicenseRow is one license as the Licenses page shows it.
type LicenseRow struct {
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
func (r LicenseRow) WithProduct(p domain.Product, found bool) LicenseRow {
	r.Upgradable = found && p.Upgradable
	r.Renewable = found
	return r
}

func (r LicenseRow) oobAttrs() templ.Attributes {
	if r.OOB {
		return templ.Attributes{"hx-swap-oob": "true"}
	}
	return templ.Attributes{}
}

// NewLicenseRow shapes a license for display at now.
func NewLicenseRow(l domain.License, now time.Time) LicenseRow {
	return LicenseRow{
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

// NewLicenseRows shapes licenses for display at now, their forms carrying csrf.
func NewLicenseRows(licenses []domain.License, now time.Time, csrf string) []LicenseRow {
	rows := make([]LicenseRow, len(licenses))
	for i, l := range licenses {
		rows[i] = NewLicenseRow(l, now)
		rows[i].CSRF = csrf
	}
	return rows
}

// ActivationKey is an order's key as the customer is shown it.
type ActivationKey struct {
	OrderRef string
	Key      string
	CSRF     string
	// Reissued is set right after a reissue.
	Reissued bool
}

// NewActivationKey shapes an order's key for display.
func NewActivationKey(o domain.Order, csrf string) ActivationKey {
	return ActivationKey{OrderRef: o.Reference, Key: domain.FormatActivationKey(o.ActivationKey), CSRF: csrf}
}

// LicenseDetails is a license's files, rehost state and history.
type LicenseDetails struct {
	License     LicenseRow
	Serial      string
	RehostsLeft int
	RehostLimit int
	WindowDays  int
	NextRehost  time.Time
	History     []HistoryRow
	CSRF        string
	Flash       string
	FlashKind   string
	// ReadOnly hides the customer's forms, for staff.
	ReadOnly bool
}

// HistoryRow is one history entry as the customer reads it.
type HistoryRow struct {
	At      time.Time
	What    string
	Summary string
	By      string
}

// NewLicenseDetails shapes a license and its history (oldest first) for display,
// newest entry first.
func NewLicenseDetails(l domain.License, history []domain.HistoryEntry, policy domain.RehostPolicy, now time.Time, csrf string) LicenseDetails {
	left, next := policy.RehostsLeft(history, now)
	d := LicenseDetails{
		License: NewLicenseRow(l, now), Serial: l.Serial, RehostsLeft: left, RehostLimit: policy.Limit,
		WindowDays: int(policy.Window.Hours() / 24), NextRehost: next, CSRF: csrf,
	}
	for i := len(history) - 1; i >= 0; i-- {
		e := history[i]
		d.History = append(d.History, HistoryRow{At: e.At, What: changeLabel(e.Kind), Summary: e.Summary(), By: string(e.Actor)})
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

// OrderRow is one order as the Orders page shows it.
type OrderRow struct {
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
}

// NewOrderRow shapes an order for display.
func NewOrderRow(o domain.Order) OrderRow {
	return OrderRow{
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

// OrderDetails is an order with its items and licenses.
type OrderDetails struct {
	Order    OrderRow
	Source   string
	Items    []ItemRow
	Licenses []LicenseRow
}

// ItemRow is one item of an order, its amounts formatted with the currency.
type ItemRow struct {
	Description string
	Quantity    int64
	UnitAmount  string
	Amount      string
}

// NewOrderDetails shapes an order and its licenses for display at now.
func NewOrderDetails(o domain.Order, licenses []domain.License, now time.Time) OrderDetails {
	d := OrderDetails{Order: NewOrderRow(o), Source: string(o.Source)}
	for _, it := range o.Items {
		d.Items = append(d.Items, ItemRow{
			Description: it.Description,
			Quantity:    it.Quantity,
			UnitAmount:  domain.Money{Amount: it.UnitAmount, Currency: o.Currency}.String(),
			Amount:      domain.Money{Amount: it.Amount, Currency: o.Currency}.String(),
		})
	}
	for _, l := range licenses {
		d.Licenses = append(d.Licenses, NewLicenseRow(l, now))
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
