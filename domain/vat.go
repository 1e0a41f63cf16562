package domain

import (
	"regexp"
	"strings"
)

// vatFormat is the form of a VAT identification number of one EU member state,
// as the European Commission's VIES documents it: checked offline, by prefix and
// pattern (a check digit or a registry look-up is left to the accountant).
type vatFormat struct {
	country Region // the member state, for the message
	pattern *regexp.Regexp
	form    Text // the form in words
	example string
}

// The forms of VAT numbers in words, as messages: most are a prefix and a
// count of digits.
func digits(prefix string, n int) Text {
	return text("vat.form_digits", "{{.Prefix}} followed by {{.Count}} digits", "Prefix", prefix, "Count", n)
}

func digitsOr(prefix string, a, b int) Text {
	return text("vat.form_digits_or", "{{.Prefix}} followed by {{.A}} or {{.B}} digits", "Prefix", prefix, "A", a, "B", b)
}

func digitsRange(prefix string, min, max int) Text {
	return text("vat.form_digits_range", "{{.Prefix}} followed by {{.Min}} to {{.Max}} digits", "Prefix", prefix, "Min", min, "Max", max)
}

// vatFormats are keyed by the id's prefix: the ISO country code, except Greece
// (EL) and Northern Ireland (XI).
var vatFormats = map[string]vatFormat{
	"AT": {Region{"AT", "Austria"}, regexp.MustCompile(`^ATU\d{8}$`), digits("ATU", 8), "ATU12345678"},
	"BE": {Region{"BE", "Belgium"}, regexp.MustCompile(`^BE[01]\d{9}$`), text("vat.form_be", "BE followed by 10 digits, the first 0 or 1"), "BE0123456789"},
	"BG": {Region{"BG", "Bulgaria"}, regexp.MustCompile(`^BG\d{9,10}$`), digitsOr("BG", 9, 10), "BG123456789"},
	"CY": {Region{"CY", "Cyprus"}, regexp.MustCompile(`^CY\d{8}[A-Z]$`), text("vat.form_cy", "CY followed by 8 digits and a letter"), "CY12345678X"},
	"CZ": {Region{"CZ", "Czechia"}, regexp.MustCompile(`^CZ\d{8,10}$`), digitsRange("CZ", 8, 10), "CZ12345678"},
	"DE": {Region{"DE", "Germany"}, regexp.MustCompile(`^DE\d{9}$`), digits("DE", 9), "DE123456789"},
	"DK": {Region{"DK", "Denmark"}, regexp.MustCompile(`^DK\d{8}$`), digits("DK", 8), "DK12345678"},
	"EE": {Region{"EE", "Estonia"}, regexp.MustCompile(`^EE\d{9}$`), digits("EE", 9), "EE123456789"},
	"EL": {Region{"GR", "Greece"}, regexp.MustCompile(`^EL\d{9}$`), digits("EL", 9), "EL123456789"},
	"ES": {Region{"ES", "Spain"}, regexp.MustCompile(`^ES[A-Z0-9]\d{7}[A-Z0-9]$`), text("vat.form_es", "ES followed by 9 characters: a letter or digit, 7 digits, a letter or digit"), "ESX1234567X"},
	"FI": {Region{"FI", "Finland"}, regexp.MustCompile(`^FI\d{8}$`), digits("FI", 8), "FI12345678"},
	"FR": {Region{"FR", "France"}, regexp.MustCompile(`^FR[0-9A-HJ-NP-Z]{2}\d{9}$`), text("vat.form_fr", "FR followed by 2 letters or digits and 9 digits"), "FR12345678901"},
	"HR": {Region{"HR", "Croatia"}, regexp.MustCompile(`^HR\d{11}$`), digits("HR", 11), "HR12345678901"},
	"HU": {Region{"HU", "Hungary"}, regexp.MustCompile(`^HU\d{8}$`), digits("HU", 8), "HU12345678"},
	"IE": {Region{"IE", "Ireland"}, regexp.MustCompile(`^IE(\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])$`), text("vat.form_ie", "IE followed by 7 digits and 1 or 2 letters"), "IE1234567WA"},
	"IT": {Region{"IT", "Italy"}, regexp.MustCompile(`^IT\d{11}$`), digits("IT", 11), "IT12345678901"},
	"LT": {Region{"LT", "Lithuania"}, regexp.MustCompile(`^LT(\d{9}|\d{12})$`), digitsOr("LT", 9, 12), "LT123456789"},
	"LU": {Region{"LU", "Luxembourg"}, regexp.MustCompile(`^LU\d{8}$`), digits("LU", 8), "LU12345678"},
	"LV": {Region{"LV", "Latvia"}, regexp.MustCompile(`^LV\d{11}$`), digits("LV", 11), "LV12345678901"},
	"MT": {Region{"MT", "Malta"}, regexp.MustCompile(`^MT\d{8}$`), digits("MT", 8), "MT12345678"},
	"NL": {Region{"NL", "the Netherlands"}, regexp.MustCompile(`^NL\d{9}B\d{2}$`), text("vat.form_nl", "NL followed by 9 digits, B and 2 digits"), "NL123456789B01"},
	"PL": {Region{"PL", "Poland"}, regexp.MustCompile(`^PL\d{10}$`), digits("PL", 10), "PL1234567890"},
	"PT": {Region{"PT", "Portugal"}, regexp.MustCompile(`^PT\d{9}$`), digits("PT", 9), "PT123456789"},
	"RO": {Region{"RO", "Romania"}, regexp.MustCompile(`^RO\d{2,10}$`), digitsRange("RO", 2, 10), "RO1234567890"},
	"SE": {Region{"SE", "Sweden"}, regexp.MustCompile(`^SE\d{10}01$`), text("vat.form_se", "SE followed by 12 digits, the last two 01"), "SE123456789001"},
	"SI": {Region{"SI", "Slovenia"}, regexp.MustCompile(`^SI\d{8}$`), digits("SI", 8), "SI12345678"},
	"SK": {Region{"SK", "Slovakia"}, regexp.MustCompile(`^SK\d{10}$`), digits("SK", 10), "SK1234567890"},
	"XI": {Region{"", "Northern Ireland"}, regexp.MustCompile(`^XI(\d{9}|\d{12}|GD\d{3}|HA\d{3})$`), digitsOr("XI", 9, 12), "XI123456789"},
}

// vatPrefix is the VAT prefix of an EU country code; "" for a country outside the EU.
func vatPrefix(country string) string {
	if country == "GR" {
		return "EL"
	}
	if _, ok := vatFormats[country]; ok && country != "EL" && country != "XI" {
		return country
	}
	return ""
}

// InEU reports whether country (ISO 3166 alpha-2) is a member state of the EU.
func InEU(country string) bool { return vatPrefix(country) != "" }

// NormalizeVATID checks a VAT identification number as typed ("fr 12 345678901",
// "DE-123.456.789") and answers its stored form ("FR12345678901"). A number that
// begins with an EU prefix must have that member state's form; a buyer in the EU
// (country) must give one with its prefix; a tax number from outside the EU is
// kept as typed, in capitals, since no list of every country's forms is kept
// here. "" stays "".
func NormalizeVATID(input, country string) (string, error) {
	var b strings.Builder
	for _, r := range strings.ToUpper(strings.TrimSpace(input)) {
		switch {
		case r == ' ' || r == '.' || r == '-' || r == '/':
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '+', r == '*':
			b.WriteRune(r)
		default:
			return "", Invalid("vat.letters_digits", "A VAT number holds letters and digits only, such as {{.Example}}.", "Example", vatExample(country))
		}
	}
	id := b.String()
	if id == "" {
		return "", nil
	}
	if len(id) < 4 || len(id) > 20 {
		return "", Invalid("vat.no_prefix", `"{{.Input}}" is not a VAT number: give it with its country prefix, such as {{.Example}}.`,
			"Input", input, "Example", vatExample(country))
	}
	if f, ok := vatFormats[id[:2]]; ok {
		if !f.pattern.MatchString(id) {
			return "", wrongVATForm(input, f)
		}
		return id, nil
	}
	if prefix := vatPrefix(country); prefix != "" {
		f := vatFormats[prefix]
		return "", wrongVATForm(input, f)
	}
	return id, nil
}

func wrongVATForm(input string, f vatFormat) error {
	return Invalid("vat.wrong_form", `"{{.Input}}" is not a VAT number of {{.Country}}: it is {{.Form}}, such as {{.Example}}.`,
		"Input", input, "Country", f.country, "Form", f.form, "Example", f.example)
}

func vatExample(country string) string {
	if prefix := vatPrefix(country); prefix != "" {
		return vatFormats[prefix].example
	}
	return "DE123456789"
}
