// Package views holds the portal's templ layout, pages and partials. Every partial
// renders alone (the answer to an htmx request) and inside its page.
package views

import (
	"encoding/json"
	"strings"
	"time"

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
