package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Source says where an order came from.
type Source string

// Order sources.
const (
	SourceImport  Source = "import"
	SourceUpgrade Source = "upgrade"
	SourceRenewal Source = "renewal"
)

// Item is one line of an order. Amount is Quantity*UnitAmount, in the order's currency.
type Item struct {
	Description string `json:"description"`
	Quantity    int64  `json:"quantity"`
	UnitAmount  int64  `json:"unit_amount"`
	Amount      int64  `json:"amount"`
}

// Order is one purchase. Its licenses are kept apart because they change on their own.
type Order struct {
	Reference     string    `json:"reference"`
	Date          time.Time `json:"date"`
	Name          string    `json:"name"`
	Country       string    `json:"country"`
	City          string    `json:"city"`
	ContactName   string    `json:"contact_name"`
	Email         string    `json:"email"`
	Currency      string    `json:"currency"`
	Items         []Item    `json:"items"`
	Total         int64     `json:"total"`
	ActivationKey string    `json:"activation_key"`
	Source        Source    `json:"source"`
	LicenseIDs    []string  `json:"license_ids"`
	// Billing is what the buyer asked for on the invoice (section 11).
	Billing Billing `json:"billing,omitzero"`
	// Tax, when set, is on top of the items: Total is their sum plus Tax.Amount.
	Tax *Tax `json:"tax,omitempty"`
	// Invoices are the order's invoice and its corrections, oldest first.
	Invoices []Invoice `json:"invoices,omitempty"`
}

// TotalMoney is the order's total with its currency.
func (o Order) TotalMoney() Money { return Money{Amount: o.Total, Currency: o.Currency} }

// Limits on stored text, so that one order can never grow without bound.
const (
	maxTextLen  = 200
	maxItems    = 100
	maxLicenses = 100
	maxQuantity = 1_000_000
	// maxUnitAmount keeps quantity*unit within int64 (at most 10^18).
	maxUnitAmount = 1_000_000_000_000
	// maxTotal bounds an order's total, so that the sum of its items never overflows.
	maxTotal = 1_000_000_000_000_000_000
)

// NormalizeReference turns what a customer typed ("jwt 100234", " JWT-100234")
// into the stored form ("JWT100234"). ok is false when the result cannot be an order
// number: letters then digits.
func NormalizeReference(input string) (ref string, ok bool) {
	var b strings.Builder
	for _, r := range input {
		if unicode.IsSpace(r) || r == '-' {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	ref = b.String()
	return ref, validReference(ref)
}

func validReference(ref string) bool {
	if len(ref) < 2 || len(ref) > 32 {
		return false
	}
	i := 0
	for i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z' {
		i++
	}
	// At most 10 letters and 15 digits: new references count up from the
	// highest number, which must never overflow.
	if i == 0 || i > 10 || i == len(ref) || len(ref)-i > 15 {
		return false
	}
	for _, c := range ref[i:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// NotAnEmail is the refusal of typed, which NormalizeEmail did not take: a
// request to type one when nothing was typed.
func NotAnEmail(typed string) error {
	if strings.TrimSpace(typed) == "" {
		return Invalid("error.no_email", "Enter an email address.")
	}
	return Invalid("error.not_an_email", `"{{.Email}}" is not an email address.`, "Email", typed)
}

// NormalizeEmail trims and lower-cases an email address; ok is false when it is not one.
func NormalizeEmail(input string) (email string, ok bool) {
	email = strings.ToLower(strings.TrimSpace(input))
	at := strings.LastIndexByte(email, '@')
	if at < 1 || at == len(email)-1 || len(email) > 254 || strings.Count(email, "@") != 1 {
		return email, false
	}
	if strings.ContainsFunc(email, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return email, false
	}
	labels := strings.Split(email[at+1:], ".")
	if len(labels) < 2 || slices.Contains(labels, "") {
		return email, false
	}
	return email, true
}

// Validate checks the order's own fields and items, fills in item amounts and
// sets the total to their sum.
func (o *Order) Validate() error {
	if !validReference(o.Reference) {
		return Invalidf("reference %q is not an order number (letters, then digits)", o.Reference)
	}
	if o.Date.IsZero() {
		return Invalidf("date is missing")
	}
	o.Date = o.Date.UTC()
	email, ok := NormalizeEmail(o.Email)
	if !ok {
		return Invalidf("email %q is not an email address", o.Email)
	}
	o.Email = email
	for name, v := range map[string]*string{"name": &o.Name, "city": &o.City, "contact_name": &o.ContactName} {
		*v = strings.TrimSpace(*v)
		if !plainText(*v, maxTextLen) {
			return Invalidf("%s must be plain text of at most %d characters", name, maxTextLen)
		}
	}
	if o.Name == "" {
		return Invalidf("name is missing")
	}
	o.Country = strings.ToUpper(strings.TrimSpace(o.Country))
	if !ValidCountry(o.Country) {
		return Invalidf("country %q is not an ISO 3166-1 alpha-2 code", o.Country)
	}
	o.Currency = strings.ToUpper(strings.TrimSpace(o.Currency))
	if !ValidCurrency(o.Currency) {
		return Invalidf("currency %q is not an ISO 4217 code", o.Currency)
	}
	if len(o.Items) == 0 {
		return Invalidf("an order needs at least one item")
	}
	if len(o.Items) > maxItems {
		return Invalidf("an order has at most %d items", maxItems)
	}
	var sum int64
	for i := range o.Items {
		it := &o.Items[i]
		it.Description = strings.TrimSpace(it.Description)
		switch {
		case it.Description == "":
			return Invalidf("item %d has no description", i+1)
		case !plainText(it.Description, maxTextLen):
			return Invalidf("item %d: description must be plain text of at most %d characters", i+1, maxTextLen)
		case it.Quantity < 1 || it.Quantity > maxQuantity:
			return Invalidf("item %d: quantity must be between 1 and %d", i+1, maxQuantity)
		case it.UnitAmount < 0 || it.UnitAmount > maxUnitAmount:
			return Invalidf("item %d: unit_amount must be between 0 and %d minor units", i+1, int64(maxUnitAmount))
		}
		amount := it.Quantity * it.UnitAmount
		if it.Amount != 0 && it.Amount != amount {
			return Invalidf("item %d: amount %d is not quantity × unit_amount (%d)", i+1, it.Amount, amount)
		}
		it.Amount = amount
		if sum > maxTotal-amount {
			return Invalidf("the total of the items is larger than %d minor units", int64(maxTotal))
		}
		sum += amount
	}
	o.Total = sum
	if o.Tax != nil {
		if err := o.Tax.validate(sum, len(o.Items)); err != nil {
			return err
		}
		o.Total = sum + o.Tax.Amount
	}
	billing, err := o.Billing.Normalize()
	if err != nil {
		return Invalidf("billing: %s", MessageOf(err))
	}
	o.Billing = billing
	if o.ActivationKey != "" {
		key, ok := NormalizeActivationKey(o.ActivationKey)
		if !ok {
			return Invalidf("activation_key is not a valid key (at least 20 letters or digits)")
		}
		o.ActivationKey = key
	}
	return nil
}

// plainText reports whether s fits in max bytes of valid UTF-8 without control
// characters: text that shows as it reads and is safe inside storage keys.
func plainText(s string, max int) bool {
	return len(s) <= max && utf8.ValidString(s) &&
		!strings.ContainsFunc(s, unicode.IsControl)
}

// Order numbers the portal makes for upgrades and renewals count up from the
// highest number it has seen. Imported references may hold up to 15 digits;
// the portal counts only numbers up to MaxOrderNumber, so that an odd imported
// number (Z999999999999999) never pushes new references past what a reference
// can hold.
const (
	firstOrderNumber = 100_000
	MaxOrderNumber   = 999_999_999_999
)

// OrderNumber is the number of a reference ("JWT100234" → 100234); ok is false
// for a reference the portal does not count from.
func OrderNumber(ref string) (n uint64, ok bool) {
	i := strings.IndexFunc(ref, func(r rune) bool { return r >= '0' && r <= '9' })
	if i < 0 {
		return 0, false
	}
	n, err := strconv.ParseUint(ref[i:], 10, 64)
	return n, err == nil && n <= MaxOrderNumber
}

// NextOrderReference is the reference after the highest number counted, with
// prefix; an error when the numbers are used up or the result would not be a
// valid reference.
func NextOrderReference(prefix string, last uint64) (ref string, n uint64, err error) {
	n = max(last, firstOrderNumber) + 1
	if n > MaxOrderNumber {
		return "", 0, Conflictf("order numbers are used up: no number above %d is left", uint64(MaxOrderNumber))
	}
	ref = prefix + strconv.FormatUint(n, 10)
	if valid, ok := NormalizeReference(ref); !ok || valid != ref {
		return "", 0, Invalidf("order prefix %q does not make valid order references", prefix)
	}
	return ref, n, nil
}
