package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"
)

type importKind struct {
	Kind string `json:"kind"`
}

// ParseImportLine parses and validates one line: a product, or an order with its
// licenses (with an activation key from newKey unless the line gives one).
func ParseImportLine(line []byte, newKey func() string) (*Product, *OrderWithLicenses, error) {
	kind, err := lineKind(line)
	if err != nil {
		return nil, nil, err
	}
	switch kind {
	case "product":
		var in ProductLine
		if err := strictUnmarshal(line, &in); err != nil {
			return nil, nil, err
		}
		if in.Kind != kind {
			return nil, nil, Invalidf(`"kind" is given twice`)
		}
		if in.SeatPrice == nil || in.SupportPricePerSeatYear == nil {
			return nil, nil, Invalidf("a product needs seat_price and support_price_per_seat_year (0 if free)")
		}
		p := Product{Software: in.Software, Edition: in.Edition, Upgradable: in.Upgradable,
			Currency: in.Currency, SeatPrice: *in.SeatPrice, SupportPricePerSeatYear: *in.SupportPricePerSeatYear,
			Retired: in.Retired}
		if err := p.Validate(); err != nil {
			return nil, nil, err
		}
		return &p, nil, nil
	case "order":
		var in OrderLine
		if err := strictUnmarshal(line, &in); err != nil {
			return nil, nil, err
		}
		if in.Kind != kind {
			return nil, nil, Invalidf(`"kind" is given twice`)
		}
		o, err := in.toOrder(newKey)
		if err != nil {
			return nil, nil, err
		}
		return nil, o, nil
	case "":
		return nil, nil, Invalidf(`"kind" is missing (want "product" or "order")`)
	default:
		return nil, nil, Invalidf(`unknown kind %q (want "product" or "order")`, kind)
	}
}

// lineKind reads the kind of an import line. A line that begins with its kind,
// as exports and most tools write them, is told at a glance; any other is
// decoded for it (the line is decoded whole, strictly, afterwards anyway).
func lineKind(line []byte) (string, error) {
	for _, kind := range []string{"order", "product"} {
		if bytes.HasPrefix(line, []byte(`{"kind":"`+kind+`",`)) {
			return kind, nil
		}
	}
	var k importKind
	if err := json.Unmarshal(line, &k); err != nil {
		return "", Invalidf("not a JSON object: %s", jsonProblem(err))
	}
	return k.Kind, nil
}

func (in OrderLine) toOrder(newKey func() string) (*OrderWithLicenses, error) {
	ref, ok := NormalizeReference(in.Reference)
	if !ok {
		return nil, Invalidf("reference %q is not an order number (letters, then digits)", in.Reference)
	}
	date, err := time.Parse(time.RFC3339, in.Date)
	if err != nil {
		return nil, Invalidf("date %q is not an RFC 3339 time such as 2026-03-14T10:22:00Z", in.Date)
	}
	o := Order{Reference: ref, Date: date, Name: in.Name, Country: in.Country, City: in.City,
		ContactName: in.ContactName, Email: in.Email, Currency: in.Currency, Items: in.Items,
		ActivationKey: in.ActivationKey, Source: SourceImport, Tax: in.Tax}
	if in.Billing != nil {
		o.Billing = *in.Billing
	}
	switch in.Source {
	case "", SourceImport, SourceUpgrade, SourceRenewal:
		if in.Source != "" {
			o.Source = in.Source
		}
	default:
		return nil, Invalidf("source %q must be import, upgrade or renewal", in.Source)
	}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if in.Total != nil && *in.Total != o.Total {
		if o.Tax != nil {
			return nil, Invalidf("total %d does not equal the sum of the items plus the tax (%d)", *in.Total, o.Total)
		}
		return nil, Invalidf("total %d does not equal the sum of the items (%d)", *in.Total, o.Total)
	}
	if err := in.invoices(&o); err != nil {
		return nil, err
	}
	if o.ActivationKey == "" {
		o.ActivationKey = newKey()
	}
	if len(in.Licenses) == 0 && o.Source == SourceImport {
		// Orders of upgrades and renewals (from an export) carry no license of their own.
		return nil, Invalidf("an order needs at least one license")
	}
	if len(in.Licenses) > maxLicenses {
		return nil, Invalidf("an order has at most %d licenses", maxLicenses)
	}
	licenses := make([]License, len(in.Licenses))
	for i, il := range in.Licenses {
		start, err1 := time.Parse(DateLayout, il.SupportStart)
		end, err2 := time.Parse(DateLayout, il.SupportEnd)
		if err1 != nil || err2 != nil {
			return nil, Invalidf("license %d: support_start and support_end must be dates such as 2026-03-14", i+1)
		}
		l := License{ID: LicenseID(ref, i+1), OrderRef: ref, Software: il.Software, Edition: il.Edition,
			Users: il.Users, Serial: il.Serial, PurchasedAt: o.Date, SupportStart: start, SupportEnd: end, Version: max(il.Version, 1)}
		if err := l.Validate(); err != nil {
			return nil, Invalidf("license %d: %s", i+1, MessageOf(err))
		}
		licenses[i] = l
		o.LicenseIDs = append(o.LicenseIDs, l.ID)
	}
	return &OrderWithLicenses{Order: o, Licenses: licenses}, nil
}

// invoices gives the order its invoice: the versions the line carries (an
// export), the number it gives, or a version without a number yet, which the
// store numbers from the seller's series as it stores the order.
func (in OrderLine) invoices(o *Order) error {
	if len(in.Invoices) == 0 {
		if in.InvoiceNumber != "" && !ValidInvoiceNumber(in.InvoiceNumber) {
			return Invalidf("invoice_number %q must be 1 to %d characters without spaces at either end", in.InvoiceNumber, maxInvoiceNumberLen)
		}
		o.Invoices = []Invoice{{Number: in.InvoiceNumber, Issued: o.Date, Billing: o.Billing}}
		return nil
	}
	if len(in.Invoices) > maxInvoiceVersions+1 {
		return Invalidf("an order has at most %d invoice versions", maxInvoiceVersions+1)
	}
	first := in.Invoices[0].Number
	if !ValidInvoiceNumber(first) || (in.InvoiceNumber != "" && in.InvoiceNumber != first) {
		return Invalidf("invoices: the first version's number must be the invoice_number")
	}
	for i, inv := range in.Invoices {
		want, replaces := first, ""
		if i > 0 {
			want, replaces = fmt.Sprintf("%s-R%d", first, i), in.Invoices[i-1].Number
		}
		if inv.Number != want || inv.Replaces != replaces || inv.Issued.IsZero() {
			return Invalidf("invoices: version %d must be %s, replace %q and have a date of issue", i+1, want, replaces)
		}
		b, err := inv.Billing.Normalize()
		if err != nil {
			return Invalidf("invoices: version %d: billing: %s", i+1, MessageOf(err))
		}
		inv.Billing, inv.Issued = b, inv.Issued.UTC()
		if inv.Seller.Name != "" {
			if inv.Seller, err = inv.Seller.Normalize(); err != nil {
				return Invalidf("invoices: version %d: seller: %s", i+1, MessageOf(err))
			}
		}
		o.Invoices = append(o.Invoices, inv)
	}
	latest := o.Invoices[len(o.Invoices)-1].Billing
	if in.Billing != nil && !o.Billing.Equal(latest) {
		return Invalidf("billing differs from the latest invoice's billing details")
	}
	o.Billing = latest
	return nil
}

// strictUnmarshal decodes one JSON object into v, refusing fields that v does not
// have (at any depth), so that a typo does not silently drop data. Only a line
// that fails is decoded a second time, to say which field was the problem.
func strictUnmarshal(line []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.More() {
			return Invalidf("more than one JSON value on the line")
		}
		return nil
	}
	var raw any
	if json.Unmarshal(line, &raw) == nil {
		if field := unknownField(raw, reflect.TypeOf(v).Elem(), ""); field != "" {
			if where, name, nested := cutLast(field, "."); nested {
				return Invalidf("unknown field %q in %s", name, where)
			}
			return Invalidf("unknown field %q", field)
		}
	}
	return Invalidf("%s", jsonProblem(err))
}

// unknownField returns the path of the first field of the decoded JSON value that
// type t has no place for, or "".
func unknownField(value any, t reflect.Type, path string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch v := value.(type) {
	case map[string]any:
		if t.Kind() != reflect.Struct {
			return ""
		}
		for _, name := range slices.Sorted(maps.Keys(v)) {
			f, ok := jsonField(t, name)
			if !ok {
				return path + name
			}
			if bad := unknownField(v[name], f.Type, path+name+"."); bad != "" {
				return bad
			}
		}
	case []any:
		if t.Kind() != reflect.Slice {
			return ""
		}
		for i, item := range v {
			if bad := unknownField(item, t.Elem(), fmt.Sprintf("%s[%d].", strings.TrimSuffix(path, "."), i)); bad != "" {
				return bad
			}
		}
	}
	return ""
}

func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return "", s, false
}

// jsonField finds the struct field that encoding/json would fill from name.
func jsonField(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "-" || !f.IsExported() {
			continue
		}
		if tag == name || (tag == "" && strings.EqualFold(f.Name, name)) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// jsonProblem words a decoding error for the person who wrote the file.
func jsonProblem(err error) string {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		return fmt.Sprintf("field %q should be %s, not a JSON %s", typeErr.Field, typeErr.Type, typeErr.Value)
	case errors.As(err, &syntaxErr):
		return fmt.Sprintf("invalid JSON at byte %d", syntaxErr.Offset)
	default:
		return "the line is not one complete JSON object"
	}
}
