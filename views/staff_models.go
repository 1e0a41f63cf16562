package views

import (
	"strings"
	"time"

	"portal/domain"
)

// StaffLoginPageData is what the staff login page shows back.
type StaffLoginPageData struct {
	Email string
	Error string
}

// StaffOrderPageData is an order as staff read it: the customer's partials, every
// license's history, and payments flagged for review.
type StaffOrderPageData struct {
	Details  OrderDetailsData
	Licenses []LicenseDetailsData
	Flagged  []FlaggedPaymentData
	Key      string
	// EmailChange offers to move the customer's orders to a new email (with mail set up).
	EmailChange bool
	// MailLangs are the languages the email change's mails may be written
	// in, the staff member's own chosen.
	MailLangs []LangChoiceData
	CSRF      string
	Flash     FlashData
}

// LangChoiceData is one language of a choice: its code, its name in itself,
// and whether it is the chosen one.
type LangChoiceData struct {
	Code, Name string
	Chosen     bool
}

// FlaggedPaymentData is a paid purchase that was not applied automatically.
type FlaggedPaymentData struct {
	ID          string
	Description string
	Paid        domain.Money
	Quoted      domain.Money
	Reason      string
	PaidAt      time.Time
}

// NewFlaggedPaymentData shapes a flagged purchase for staff.
func NewFlaggedPaymentData(p domain.Purchase) FlaggedPaymentData {
	return FlaggedPaymentData{ID: p.ID, Description: p.Description, Reason: p.FlagReason, PaidAt: p.PaidAt,
		Paid:   domain.Money{Amount: p.PaidAmount, Currency: p.Currency},
		Quoted: p.Money()}
}

// ProductFormData is the catalog form, filled from a product or from what was typed.
type ProductFormData struct {
	Software                string
	Edition                 string
	Upgradable              bool
	Retired                 bool
	Currency                string
	SeatPrice               string
	SupportPricePerSeatYear string
	Error                   string
}

// ProductRowData is one catalog entry.
type ProductRowData struct {
	Product     domain.Product
	SeatPrice   domain.Money
	SupportYear domain.Money
	EditURL     string
}

// NewProductFormData fills the catalog form from a product.
func NewProductFormData(p domain.Product) ProductFormData {
	return ProductFormData{Software: p.Software, Edition: p.Edition, Upgradable: p.Upgradable, Retired: p.Retired,
		Currency: p.Currency, SeatPrice: domain.FormatPlain(p.SeatPrice, p.Currency),
		SupportPricePerSeatYear: domain.FormatPlain(p.SupportPricePerSeatYear, p.Currency)}
}

// StaffRowData is one staff account.
type StaffRowData struct {
	Email     string
	Role      string
	Disabled  bool
	CreatedAt time.Time
}

// AuditRowData is one audit entry.
type AuditRowData = domain.AuditEntry

// AdminSellerPageData is the seller details form, filled from the details in
// force or, when they were refused, from what was typed.
type AdminSellerPageData struct {
	Flash FlashData
	Name  string
	// Address is the address lines, one a line, as the textarea holds them.
	Address       string
	VATID         string
	InvoicePrefix string
	// Error says why what was typed was refused.
	Error string
	// Saved is false while the details come from the server's PORTAL_SELLER_* settings.
	Saved bool
}

// NewAdminSellerPageData fills the seller details form from seller details.
func NewAdminSellerPageData(s domain.Seller, saved bool) AdminSellerPageData {
	return AdminSellerPageData{Name: s.Name, Address: strings.Join(s.Address, "\n"), VATID: s.VATID,
		InvoicePrefix: s.InvoicePrefix, Saved: saved}
}
