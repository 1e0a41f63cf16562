package i18n

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/number"
)

// monthKeys name the months in the message files (CLDR's wide names as they
// stand in a date: "mai", "Mai", "mayo").
var monthKeys = [12]string{"format.month_01", "format.month_02", "format.month_03", "format.month_04",
	"format.month_05", "format.month_06", "format.month_07", "format.month_08", "format.month_09",
	"format.month_10", "format.month_11", "format.month_12"}

func numberDecimal(v float64, scale int) number.Formatter {
	return number.Decimal(v, number.Scale(scale))
}

// Money writes an amount in minor units of currency, which has decimals
// decimals, as this language writes money: the digits grouped and the
// decimal sign of CLDR (through golang.org/x/text), the currency placed as the
// message format.money says ("EUR 1,340.00", "1 340,00 €", "1.340,00 €").
// Integer arithmetic only: the amount is never a float.
func (l *Lang) Money(amount int64, code string, decimals int) string {
	neg := amount < 0
	u := uint64(amount)
	if neg {
		u = uint64(-(amount + 1)) + 1
	}
	scale := uint64(1)
	for range decimals {
		scale *= 10
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	switch whole := u / scale; {
	case whole < l.groupFrom:
		b.WriteString(strconv.FormatUint(whole, 10))
	case l.groupSep != "":
		digits := strconv.FormatUint(whole, 10)
		first := len(digits) % 3
		if first == 0 {
			first = 3
		}
		b.WriteString(digits[:first])
		for i := first; i < len(digits); i += 3 {
			b.WriteString(l.groupSep)
			b.WriteString(digits[i : i+3])
		}
	default:
		b.WriteString(l.printer.Sprint(number.Decimal(whole)))
	}
	if decimals > 0 {
		frac := strconv.FormatUint(u%scale, 10)
		b.WriteString(l.decimal)
		b.WriteString(strings.Repeat("0", decimals-len(frac)))
		b.WriteString(frac)
	}
	return l.T("format.money", "Amount", b.String(), "Symbol", l.symbol(code), "Code", code)
}

// symbol is the currency's symbol in this language (CLDR): "€", "$US", or
// the code itself for a currency x/text does not know.
func (l *Lang) symbol(code string) string {
	if s, ok := l.symbols.Load(code); ok {
		return s.(string)
	}
	s := code
	if u, err := currency.ParseISO(code); err == nil {
		s = l.printer.Sprint(currency.Symbol(u))
	}
	l.symbols.Store(code, s)
	return s
}

// Date writes a calendar date (kept in UTC) as this language does: "May 11,
// 2026", "11 mai 2026", "11. Mai 2026", "11 de mayo de 2026", as the
// browser's Intl.DateTimeFormat writes it with dateStyle "long".
func (l *Lang) Date(t time.Time) string {
	t = t.UTC()
	return l.T("format.date", "Day", t.Day(), "Month", l.T(monthKeys[t.Month()-1]), "Year", t.Year())
}

// DateTime writes an instant, in UTC and saying so: "May 11, 2026, 14:05 UTC".
func (l *Lang) DateTime(t time.Time) string {
	t = t.UTC()
	return l.T("format.datetime", "Date", l.Date(t), "Time", t.Format("15:04"))
}

// Duration writes a wait or a validity in its largest whole unit, rounded
// up: "30 minutes", "24 hours", "1 hour".
func (l *Lang) Duration(d time.Duration) string {
	if d >= time.Hour && d%time.Hour == 0 {
		return l.T("format.hours", "Count", int(d/time.Hour))
	}
	return l.T("format.minutes", "Count", max(int((d+time.Minute-1)/time.Minute), 1))
}

// Rate writes a tax rate given in basis points: "20%", "5.5%", "20 %",
// "5,5 %".
func (l *Lang) Rate(bp int) string {
	s := strconv.Itoa(bp / 100)
	if frac := bp % 100; frac != 0 {
		s += l.decimal + strings.TrimRight(fmt.Sprintf("%02d", frac), "0")
	}
	return l.T("format.percent", "Rate", s)
}

// Wait is how long to wait before trying again, written as "a minute" up to
// a minute and in whole minutes, rounded up, past it: an argument of the rate
// limits' messages.
type Wait time.Duration

// Instant is a moment written with its date and time of day (in UTC), where
// a time.Time argument is written as a date only.
type Instant time.Time

func (l *Lang) wait(w Wait) string {
	seconds := (time.Duration(w) + time.Second - 1) / time.Second
	if seconds <= 60 {
		return l.T("format.a_minute")
	}
	return l.T("format.minutes", "Count", int((seconds+59)/60))
}

// region is a country's name in this language (CLDR), from its ISO 3166
// code; english stands in for English and for a code CLDR does not name.
// Country is the name of the country with ISO 3166 code in this language
// (CLDR): "France", "Frankreich", "Francia"; the code itself for one x/text
// does not name.
func (l *Lang) Country(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil || code == "" {
		return code
	}
	if name := display.Regions(l.Tag).Name(r); name != "" {
		return name
	}
	return code
}

// region is a message argument's country: its English as the domain wrote
// it in English, else Country's name, else the English.
func (l *Lang) region(code, english string) string {
	if name := l.Country(code); l.Code != DefaultCode && name != code {
		return name
	}
	return english
}
