package views

import (
	"time"

	"portal/domain"
)

// UpgradePageData is the "add workstations" page of one license.
type UpgradePageData struct {
	License LicenseRowData
	// Reason says why the license cannot be upgraded; nil when it can.
	Reason error
	// RenewFirst is set when support has ended: the page offers the renewal.
	RenewFirst bool
	Quote      UpgradeQuoteData
	CSRF       string
	Flash      FlashData
	// PaymentsOff is set when nothing can be bought from this portal.
	PaymentsOff bool
}

// UpgradeQuoteData is a live upgrade quote with its arithmetic, line by line.
type UpgradeQuoteData struct {
	LicenseID   string
	Add         int
	Error       error
	SeatPrice   domain.Money
	OneTime     domain.Money
	SupportYear domain.Money
	DaysLeft    int
	SupportEnd  time.Time
	SupportPart domain.Money
	Total       domain.Money
}

// NewUpgradeQuoteData shapes a quote, or the message of the error that stopped it.
func NewUpgradeQuoteData(licenseID string, q domain.UpgradeQuote, err error) UpgradeQuoteData {
	if err != nil {
		return UpgradeQuoteData{LicenseID: licenseID, Error: err}
	}
	m := func(a int64) domain.Money { return domain.Money{Amount: a, Currency: q.Currency} }
	return UpgradeQuoteData{
		LicenseID: licenseID, Add: q.Add, SeatPrice: m(q.SeatPrice), OneTime: m(q.OneTime),
		SupportYear: m(q.SupportYear), DaysLeft: q.DaysLeft, SupportEnd: q.SupportEnd,
		SupportPart: m(q.SupportPart), Total: m(q.Total),
	}
}

// RenewPageData is the support renewal page of one license.
type RenewPageData struct {
	License       LicenseRowData
	Error         error
	Users         int
	SupportYear   domain.Money
	Total         domain.Money
	From          time.Time
	NewSupportEnd time.Time
	CSRF          string
	Flash         FlashData
	// PaymentsOff is set when nothing can be bought from this portal.
	PaymentsOff bool
}

// NewRenewPageData shapes a renewal quote.
func NewRenewPageData(row LicenseRowData, q domain.RenewalQuote, err error, csrf string) RenewPageData {
	p := RenewPageData{License: row, CSRF: csrf}
	if err != nil {
		p.Error = err
		return p
	}
	p.Users, p.From, p.NewSupportEnd = q.Users, q.From, q.NewSupportEnd
	p.SupportYear = domain.Money{Amount: q.SupportYear, Currency: q.Currency}
	p.Total = domain.Money{Amount: q.Total, Currency: q.Currency}
	return p
}

// PurchaseStatusData is what the success page shows while it waits for the payment.
type PurchaseStatusData struct {
	ID          string
	Description string
	Amount      domain.Money
	Status      domain.PurchaseStatus
	NewOrderRef string
	License     LicenseRowData
	ExpiresAt   time.Time
	// Expired: never paid, and past the time a payment could still arrive.
	Expired bool
}

// NewPurchaseStatusData shapes a purchase and its license for display.
func NewPurchaseStatusData(p domain.Purchase, l domain.License, now time.Time) PurchaseStatusData {
	return PurchaseStatusData{ID: p.ID, Description: p.Description, Amount: p.Money(),
		Status: p.Status, NewOrderRef: p.NewOrderRef, License: NewLicenseRowData(l, now), ExpiresAt: p.ExpiresAt,
		Expired: p.Status == domain.PurchasePending && now.After(p.ExpiresAt.Add(domain.PaymentGrace))}
}

func (s PurchaseStatusData) pending() bool { return s.Status == domain.PurchasePending && !s.Expired }
