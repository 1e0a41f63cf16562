package views

import (
	"time"

	"portal/domain"
)

// UpgradePage is the "add workstations" page of one license.
type UpgradePage struct {
	License LicenseRow
	// Reason says why the license cannot be upgraded; empty when it can.
	Reason string
	// RenewFirst is set when support has ended: the page offers the renewal.
	RenewFirst bool
	Quote      QuoteView
	CSRF       string
	Flash      string
}

// QuoteView is a live upgrade quote with its arithmetic, line by line.
type QuoteView struct {
	LicenseID   string
	Add         int
	Error       string
	SeatPrice   string
	OneTime     string
	SupportYear string
	DaysLeft    int
	SupportEnd  time.Time
	SupportPart string
	Total       string
}

// NewQuoteView shapes a quote, or the message of the error that stopped it.
func NewQuoteView(licenseID string, q domain.UpgradeQuote, err error) QuoteView {
	if err != nil {
		return QuoteView{LicenseID: licenseID, Error: domain.MessageOf(err)}
	}
	m := func(a int64) string { return domain.Money{Amount: a, Currency: q.Currency}.String() }
	return QuoteView{
		LicenseID: licenseID, Add: q.Add, SeatPrice: m(q.SeatPrice), OneTime: m(q.OneTime),
		SupportYear: m(q.SupportYear), DaysLeft: q.DaysLeft, SupportEnd: q.SupportEnd,
		SupportPart: m(q.SupportPart), Total: m(q.Total),
	}
}

// RenewPage is the support renewal page of one license.
type RenewPage struct {
	License       LicenseRow
	Error         string
	Users         int
	SupportYear   string
	Total         string
	From          time.Time
	NewSupportEnd time.Time
	CSRF          string
	Flash         string
}

// NewRenewPage shapes a renewal quote.
func NewRenewPage(row LicenseRow, q domain.RenewalQuote, err error, csrf string) RenewPage {
	p := RenewPage{License: row, CSRF: csrf}
	if err != nil {
		p.Error = domain.MessageOf(err)
		return p
	}
	p.Users, p.From, p.NewSupportEnd = q.Users, q.From, q.NewSupportEnd
	p.SupportYear = domain.Money{Amount: q.SupportYear, Currency: q.Currency}.String()
	p.Total = domain.Money{Amount: q.Total, Currency: q.Currency}.String()
	return p
}

// PurchaseStatus is what the success page shows while it waits for the payment.
type PurchaseStatus struct {
	ID          string
	Description string
	Amount      string
	Status      domain.PurchaseStatus
	NewOrderRef string
	License     LicenseRow
	ExpiresAt   time.Time
	// Expired: never paid, and past the time a payment could still arrive.
	Expired bool
}

// NewPurchaseStatus shapes a purchase and its license for display.
func NewPurchaseStatus(p domain.Purchase, l domain.License, now time.Time) PurchaseStatus {
	return PurchaseStatus{ID: p.ID, Description: p.Description, Amount: p.Money().String(),
		Status: p.Status, NewOrderRef: p.NewOrderRef, License: NewLicenseRow(l, now), ExpiresAt: p.ExpiresAt,
		Expired: p.Status == domain.PurchasePending && now.After(p.ExpiresAt.Add(domain.PaymentGrace))}
}

func (s PurchaseStatus) pending() bool { return s.Status == domain.PurchasePending && !s.Expired }
