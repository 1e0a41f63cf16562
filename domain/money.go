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

// ParseAmount reads a decimal amount as typed ("90", "90.5", "1,234.50") into minor
// units of currency, exactly: more decimals than the currency has are refused.
func ParseAmount(s, currency string) (int64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	whole, frac, hasFrac := strings.Cut(s, ".")
	decimals := MinorUnits(currency)
	bad := Invalid("catalog.bad_amount", `"{{.Amount}}" is not an amount such as 90.00.`, "Amount", s)
	if whole == "" || len(frac) > decimals || (hasFrac && frac == "") || len(whole) > 15 {
		return 0, bad
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, bad
			}
		}
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

// FormatPlain writes minor units as a plain decimal ("90.00"), for form fields.
func FormatPlain(amount int64, currency string) string {
	return strings.ReplaceAll(FormatAmount(amount, currency), ",", "")
}
