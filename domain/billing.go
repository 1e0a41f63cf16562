package domain

import (
	"fmt"
	"strconv"
	"strings"
)

// Billing is what the buyer wants on their invoice, beside the order's own name
// and place: the names are those of the import's "billing" object and of the
// billing form (PRODUCT.md section 11).
type Billing struct {
	Company  string   `json:"company,omitempty"`
	Address  []string `json:"address,omitempty"`
	Postcode string   `json:"postcode,omitempty"`
	City     string   `json:"city,omitempty"`
	Country  string   `json:"country,omitempty"`
	VATID    string   `json:"vat_id,omitempty"`
	PONumber string   `json:"po_number,omitempty"`
}

// maxAddressLines bounds an address: a street, a building, a PO box, a district.
const maxAddressLines = 4

// Normalize checks the billing details and answers them in their stored form:
// trimmed, the country in capitals, the VAT number without spaces, empty
// address lines dropped.
func (b Billing) Normalize() (Billing, error) {
	out := Billing{
		Company:  strings.TrimSpace(b.Company),
		Postcode: strings.TrimSpace(b.Postcode),
		City:     strings.TrimSpace(b.City),
		Country:  strings.ToUpper(strings.TrimSpace(b.Country)),
		PONumber: strings.TrimSpace(b.PONumber),
	}
	for _, line := range b.Address {
		if line = strings.TrimSpace(line); line != "" {
			out.Address = append(out.Address, line)
		}
	}
	if len(out.Address) > maxAddressLines {
		return Billing{}, Invalid("billing.address_lines", "An address has at most {{.Max}} lines.", "Max", maxAddressLines)
	}
	type field struct {
		name  Text
		value string
	}
	fields := []field{{text("billing.field_company", "company"), out.Company}, {text("billing.field_postcode", "postcode"), out.Postcode},
		{text("billing.field_city", "city"), out.City}, {text("billing.field_po_number", "PO number"), out.PONumber}}
	for i, line := range out.Address {
		fields = append(fields, field{text("billing.field_address_line", "address line {{.Line}}", "Line", i+1), line})
	}
	for _, f := range fields {
		if !plainText(f.value, maxTextLen) {
			return Billing{}, Invalid("billing.too_long", "The {{.Field}} must be plain text of at most {{.Max}} characters.",
				"Field", f.name, "Max", maxTextLen)
		}
	}
	if out.Country != "" && !ValidCountry(out.Country) {
		return Billing{}, Invalid("billing.bad_country", `The country "{{.Country}}" is not a two-letter country code such as FR or DE.`,
			"Country", b.Country)
	}
	vat, err := NormalizeVATID(b.VATID, out.Country)
	if err != nil {
		return Billing{}, err
	}
	out.VATID = vat
	return out, nil
}

// Equal reports whether two billing details say the same.
func (b Billing) Equal(o Billing) bool {
	return b.Company == o.Company && strings.Join(b.Address, "\n") == strings.Join(o.Address, "\n") &&
		b.Postcode == o.Postcode && b.City == o.City && b.Country == o.Country &&
		b.VATID == o.VATID && b.PONumber == o.PONumber
}

// IsZero reports whether no detail is given.
func (b Billing) IsZero() bool { return b.Equal(Billing{}) }

// Tax is the tax an order carries on top of its items, which are then net.
// RateBP is the rate in basis points (2000 is 20 %); Note is a mention the
// invoice must show, such as "Reverse charge".
type Tax struct {
	RateBP int    `json:"rate_bp"`
	Amount int64  `json:"amount"`
	Note   string `json:"note,omitempty"`
}

// ReverseCharge is the mention of art. 226(11a) of the VAT Directive: the buyer
// accounts for the tax.
const ReverseCharge = "Reverse charge"

// validate checks the tax against the order's net amount: the amount is the
// rate applied to the net, give or take a minor unit per item (invoicing
// systems round line by line).
func (t Tax) validate(net int64, items int) error {
	if t.RateBP < 0 || t.RateBP > 10000 {
		return Invalidf("tax rate_bp %d must be between 0 and 10000 (basis points: 2000 is 20%%)", t.RateBP)
	}
	if t.Amount < 0 || t.Amount > maxTotal {
		return Invalidf("tax amount %d must be 0 or more", t.Amount)
	}
	if !plainText(t.Note, maxTextLen) {
		return Invalidf("tax note must be plain text of at most %d characters", maxTextLen)
	}
	// net*rate may not fit an int64 (net up to 10^18, rate up to 10^4): apply
	// the rate to the ten-thousands and the rest apart, exactly, rounding half up.
	want := net/10000*int64(t.RateBP) + (net%10000*int64(t.RateBP)+5000)/10000
	if diff := t.Amount - want; diff > int64(items) || diff < -int64(items) {
		return Invalidf("tax amount %d is not %s of the net %d (that is %d)", t.Amount, FormatRate(t.RateBP), net, want)
	}
	return nil
}

// FormatRate writes a rate in basis points as a percentage: 2000 as "20%", 550 as "5.5%".
func FormatRate(bp int) string {
	whole, frac := bp/100, bp%100
	if frac == 0 {
		return strconv.Itoa(whole) + "%"
	}
	s := fmt.Sprintf("%d.%02d", whole, frac)
	return strings.TrimRight(s, "0") + "%"
}
