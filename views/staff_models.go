package views

import (
	"time"

	"portal/domain"
)

// StaffLoginForm is what the staff login page shows back.
type StaffLoginForm struct {
	Email string
	Error string
}

// SearchRow is one order found by a staff search.
type SearchRow struct {
	Order   OrderRow
	Matched string
}

// StaffOrder is an order as staff read it: the customer's partials, every
// license's history, and payments flagged for review.
type StaffOrder struct {
	Details  OrderDetails
	Licenses []LicenseDetails
	Flagged  []FlaggedPayment
	Key      string
}

// FlaggedPayment is a paid purchase that was not applied automatically.
type FlaggedPayment struct {
	ID          string
	Description string
	Paid        string
	Quoted      string
	Reason      string
	PaidAt      time.Time
}

// NewFlaggedPayment shapes a flagged purchase for staff.
func NewFlaggedPayment(p domain.Purchase) FlaggedPayment {
	return FlaggedPayment{ID: p.ID, Description: p.Description, Reason: p.FlagReason, PaidAt: p.PaidAt,
		Paid:   domain.Money{Amount: p.PaidAmount, Currency: p.Currency}.String(),
		Quoted: p.Money().String()}
}

// ProductForm is the catalog form, filled from a product or from what was typed.
type ProductForm struct {
	Software                string
	Edition                 string
	Upgradable              bool
	Retired                 bool
	Currency                string
	SeatPrice               string
	SupportPricePerSeatYear string
	Error                   string
}

// ProductRow is one catalog entry.
type ProductRow struct {
	Product     domain.Product
	SeatPrice   string
	SupportYear string
	EditURL     string
}

// NewProductForm fills the catalog form from a product.
func NewProductForm(p domain.Product) ProductForm {
	return ProductForm{Software: p.Software, Edition: p.Edition, Upgradable: p.Upgradable, Retired: p.Retired,
		Currency: p.Currency, SeatPrice: domain.FormatPlain(p.SeatPrice, p.Currency),
		SupportPricePerSeatYear: domain.FormatPlain(p.SupportPricePerSeatYear, p.Currency)}
}

// StaffRow is one staff account.
type StaffRow struct {
	Email     string
	Role      string
	Disabled  bool
	CreatedAt time.Time
}

// AdminPage is what every admin page shares.
type AdminPage struct {
	Flash     string
	FlashKind string
}

// AuditRow is one audit entry.
type AuditRow = domain.AuditEntry
