package domain

import (
	"strconv"
	"strings"
)

// Money is an amount in the minor units of its currency (cents for EUR), never a float.
type Money struct {
	Amount   int64
	Currency string
}

// iso4217 lists the active ISO 4217 currency codes.
const iso4217 = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB " +
	"BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK " +
	"DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG " +
	"HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP " +
	"LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN " +
	"NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG " +
	"SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH " +
	"UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG"

// minorUnitExceptions holds the currencies whose minor unit is not 1/100.
var minorUnitExceptions = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
	"PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
	"CLF": 4, "UYW": 4,
}

var currencies = func() map[string]bool {
	m := make(map[string]bool)
	for _, c := range strings.Fields(iso4217) {
		m[c] = true
	}
	return m
}()

// ValidCurrency reports whether code is an active ISO 4217 code in upper case.
func ValidCurrency(code string) bool { return currencies[code] }

// MinorUnits returns how many decimals the currency's minor unit has.
func MinorUnits(currency string) int {
	if n, ok := minorUnitExceptions[currency]; ok {
		return n
	}
	return 2
}

// String formats the amount with its currency, as "EUR 1,234.50", exact to the minor unit.
func (m Money) String() string {
	return m.Currency + " " + FormatAmount(m.Amount, m.Currency)
}

// FormatAmount writes amount (minor units) as a decimal with thousands separators,
// using integer arithmetic only.
func FormatAmount(amount int64, currency string) string {
	neg := amount < 0
	digits := strconv.FormatUint(absUint(amount), 10)
	decimals := MinorUnits(currency)
	for len(digits) <= decimals {
		digits = "0" + digits
	}
	whole, frac := digits[:len(digits)-decimals], digits[len(digits)-decimals:]
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if decimals > 0 {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

func absUint(n int64) uint64 {
	if n < 0 {
		return uint64(-(n + 1)) + 1
	}
	return uint64(n)
}

// ParseAmount reads a decimal amount as typed, in the writing of any of the
// portal's languages ("90", "90.5", "90,50", "1,234.50", "1.234,50",
// "1 234,50"), into minor units of currency, exactly. Where both signs appear
// the last one is the decimal sign; a single sign followed by at most the
// currency's decimals is one too; anything it cannot read one way only ("12,345"
// in euros: twelve thousand or twelve?) is refused, never guessed, and so are
// more decimals than the currency has.
func ParseAmount(typed, currency string) (int64, error) {
	typed = strings.TrimSpace(typed)
	bad := Invalid("catalog.bad_amount", `"{{.Amount}}" is not an amount such as 90.00.`, "Amount", typed)
	s := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' { // grouping by spaces (French)
			return -1
		}
		return r
	}, typed)
	decimals := MinorUnits(currency)
	whole, frac := s, ""
	if i := strings.LastIndexAny(s, ".,"); i >= 0 {
		mark, other := s[i], byte(',')
		if mark == ',' {
			other = '.'
		}
		switch {
		case strings.IndexByte(s[:i], other) >= 0, len(s)-i-1 <= decimals && strings.IndexByte(s[:i], mark) < 0:
			// The last sign is the decimal sign: "1.234,50", "90,5".
			whole, frac = s[:i], s[i+1:]
			if frac == "" {
				return 0, bad
			}
		case strings.Count(s, string(mark)) == 1 && len(s)-i-1 == 3 && decimals > 0:
			return 0, bad // "12,345" euros: a decimal sign or a group, no telling
		}
		var ok bool
		if whole, ok = ungroup(whole); !ok {
			return 0, bad
		}
	}
	if whole == "" || len(frac) > decimals || len(whole) > 15 || !allDigits(whole) || !allDigits(frac) {
		return 0, bad
	}
	for len(frac) < decimals {
		frac += "0"
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, bad
	}
	return n, nil
}

// ungroup takes the group separators out of a whole number written with
// one kind of them ("1,234,567", "1.234"): every group after the first has
// three digits.
func ungroup(s string) (string, bool) {
	sep := strings.IndexAny(s, ".,")
	if sep < 0 {
		return s, true
	}
	groups := strings.Split(s, s[sep:sep+1])
	if len(groups[0]) == 0 || len(groups[0]) > 3 {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

// allDigits reports whether s is ASCII digits only (or empty).
func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// FormatPlain writes minor units as a plain decimal ("90.00"), for form fields.
func FormatPlain(amount int64, currency string) string {
	return strings.ReplaceAll(FormatAmount(amount, currency), ",", "")
}
