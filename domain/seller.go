package domain

import "strings"

// Seller is who issues the invoices: set by an admin on /admin/seller, until
// then from the PORTAL_SELLER_* variables.
type Seller struct {
	Name    string   `json:"name"`
	Address []string `json:"address,omitempty"`
	VATID   string   `json:"vat_id,omitempty"`
	// InvoicePrefix begins every invoice number of the series ("INV-").
	InvoicePrefix string `json:"invoice_prefix"`
}

// DefaultInvoicePrefix begins invoice numbers until a seller sets another.
const DefaultInvoicePrefix = "INV-"

// maxSellerAddressLines bounds the seller's address.
const maxSellerAddressLines = 6

// Normalize checks the seller details and answers their stored form.
func (s Seller) Normalize() (Seller, error) {
	out := Seller{Name: strings.TrimSpace(s.Name), InvoicePrefix: strings.ToUpper(strings.TrimSpace(s.InvoicePrefix))}
	for _, line := range s.Address {
		if line = strings.TrimSpace(line); line != "" {
			out.Address = append(out.Address, line)
		}
	}
	if out.Name == "" || !plainText(out.Name, maxTextLen) {
		return Seller{}, Invalid("seller.bad_name", "The seller's name must be plain text of 1 to {{.Max}} characters.", "Max", maxTextLen)
	}
	if len(out.Address) > maxSellerAddressLines {
		return Seller{}, Invalid("billing.address_lines", "An address has at most {{.Max}} lines.", "Max", maxSellerAddressLines)
	}
	for i, line := range out.Address {
		if !plainText(line, maxTextLen) {
			return Seller{}, Invalid("billing.too_long", "The {{.Field}} must be plain text of at most {{.Max}} characters.",
				"Field", text("billing.field_address_line", "address line {{.Line}}", "Line", i+1), "Max", maxTextLen)
		}
	}
	vat, err := NormalizeVATID(s.VATID, "")
	if err != nil {
		return Seller{}, err
	}
	out.VATID = vat
	if out.InvoicePrefix == "" {
		out.InvoicePrefix = DefaultInvoicePrefix
	}
	if !validInvoicePrefix(out.InvoicePrefix) {
		return Seller{}, Invalid("seller.bad_prefix", `The invoice number prefix "{{.Prefix}}" must be 1 to 12 letters, digits, - or /, such as INV-.`,
			"Prefix", s.InvoicePrefix)
	}
	return out, nil
}

func validInvoicePrefix(p string) bool {
	if len(p) < 1 || len(p) > 12 {
		return false
	}
	for _, r := range p {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '/') {
			return false
		}
	}
	return true
}
