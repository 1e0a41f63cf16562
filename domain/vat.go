package domain

import (
	"regexp"
	"strings"
)

// vatFormat is the form of a VAT identification number of one EU member state,
// as the European Commission's VIES documents it: checked offline, by prefix and
// pattern (a check digit or a registry look-up is left to the accountant).
type vatFormat struct {
	country string // the member state's name, for the message
	pattern *regexp.Regexp
	form    string // the form in words
	example string
}

// vatFormats are keyed by the id's prefix: the ISO country code, except Greece
// (EL) and Northern Ireland (XI).
var vatFormats = map[string]vatFormat{
	"AT": {"Austria", regexp.MustCompile(`^ATU\d{8}$`), "ATU followed by 8 digits", "ATU12345678"},
	"BE": {"Belgium", regexp.MustCompile(`^BE[01]\d{9}$`), "BE followed by 10 digits, the first 0 or 1", "BE0123456789"},
	"BG": {"Bulgaria", regexp.MustCompile(`^BG\d{9,10}$`), "BG followed by 9 or 10 digits", "BG123456789"},
	"CY": {"Cyprus", regexp.MustCompile(`^CY\d{8}[A-Z]$`), "CY followed by 8 digits and a letter", "CY12345678X"},
	"CZ": {"Czechia", regexp.MustCompile(`^CZ\d{8,10}$`), "CZ followed by 8 to 10 digits", "CZ12345678"},
	"DE": {"Germany", regexp.MustCompile(`^DE\d{9}$`), "DE followed by 9 digits", "DE123456789"},
	"DK": {"Denmark", regexp.MustCompile(`^DK\d{8}$`), "DK followed by 8 digits", "DK12345678"},
	"EE": {"Estonia", regexp.MustCompile(`^EE\d{9}$`), "EE followed by 9 digits", "EE123456789"},
	"EL": {"Greece", regexp.MustCompile(`^EL\d{9}$`), "EL followed by 9 digits", "EL123456789"},
	"ES": {"Spain", regexp.MustCompile(`^ES[A-Z0-9]\d{7}[A-Z0-9]$`), "ES followed by 9 characters: a letter or digit, 7 digits, a letter or digit", "ESX1234567X"},
	"FI": {"Finland", regexp.MustCompile(`^FI\d{8}$`), "FI followed by 8 digits", "FI12345678"},
	"FR": {"France", regexp.MustCompile(`^FR[0-9A-HJ-NP-Z]{2}\d{9}$`), "FR followed by 2 letters or digits and 9 digits", "FR12345678901"},
	"HR": {"Croatia", regexp.MustCompile(`^HR\d{11}$`), "HR followed by 11 digits", "HR12345678901"},
	"HU": {"Hungary", regexp.MustCompile(`^HU\d{8}$`), "HU followed by 8 digits", "HU12345678"},
	"IE": {"Ireland", regexp.MustCompile(`^IE(\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])$`), "IE followed by 7 digits and 1 or 2 letters", "IE1234567WA"},
	"IT": {"Italy", regexp.MustCompile(`^IT\d{11}$`), "IT followed by 11 digits", "IT12345678901"},
	"LT": {"Lithuania", regexp.MustCompile(`^LT(\d{9}|\d{12})$`), "LT followed by 9 or 12 digits", "LT123456789"},
	"LU": {"Luxembourg", regexp.MustCompile(`^LU\d{8}$`), "LU followed by 8 digits", "LU12345678"},
	"LV": {"Latvia", regexp.MustCompile(`^LV\d{11}$`), "LV followed by 11 digits", "LV12345678901"},
	"MT": {"Malta", regexp.MustCompile(`^MT\d{8}$`), "MT followed by 8 digits", "MT12345678"},
	"NL": {"the Netherlands", regexp.MustCompile(`^NL\d{9}B\d{2}$`), "NL followed by 9 digits, B and 2 digits", "NL123456789B01"},
	"PL": {"Poland", regexp.MustCompile(`^PL\d{10}$`), "PL followed by 10 digits", "PL1234567890"},
	"PT": {"Portugal", regexp.MustCompile(`^PT\d{9}$`), "PT followed by 9 digits", "PT123456789"},
	"RO": {"Romania", regexp.MustCompile(`^RO\d{2,10}$`), "RO followed by 2 to 10 digits", "RO1234567890"},
	"SE": {"Sweden", regexp.MustCompile(`^SE\d{10}01$`), "SE followed by 12 digits, the last two 01", "SE123456789001"},
	"SI": {"Slovenia", regexp.MustCompile(`^SI\d{8}$`), "SI followed by 8 digits", "SI12345678"},
	"SK": {"Slovakia", regexp.MustCompile(`^SK\d{10}$`), "SK followed by 10 digits", "SK1234567890"},
	"XI": {"Northern Ireland", regexp.MustCompile(`^XI(\d{9}|\d{12}|GD\d{3}|HA\d{3})$`), "XI followed by 9 or 12 digits", "XI123456789"},
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
			return "", Invalidf("a VAT number holds letters and digits only, such as %s", vatExample(country))
		}
	}
	id := b.String()
	if id == "" {
		return "", nil
	}
	if len(id) < 4 || len(id) > 20 {
		return "", Invalidf("%q is not a VAT number: give it with its country prefix, such as %s", input, vatExample(country))
	}
	if f, ok := vatFormats[id[:2]]; ok {
		if !f.pattern.MatchString(id) {
			return "", Invalidf("%q is not a VAT number of %s: it is %s, such as %s", input, f.country, f.form, f.example)
		}
		return id, nil
	}
	if prefix := vatPrefix(country); prefix != "" {
		f := vatFormats[prefix]
		return "", Invalidf("%q is not a VAT number of %s: it is %s, such as %s", input, f.country, f.form, f.example)
	}
	return id, nil
}

func vatExample(country string) string {
	if prefix := vatPrefix(country); prefix != "" {
		return vatFormats[prefix].example
	}
	return "DE123456789"
}
