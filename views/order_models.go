package views

import (
	"time"

	"portal/domain"
)

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
