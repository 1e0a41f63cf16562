package i18n

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/text/number"
)

// TestMoneyAndDatesPerLanguage: amounts (integer minor units) and dates as
// each language writes them, from CLDR: grouping, decimal sign, the currency
// where the language puts it; month names and the order of a date's parts.
func TestMoneyAndDatesPerLanguage(t *testing.T) {
	const nbsp = "\u00a0"
	day := time.Date(2026, 5, 11, 14, 5, 0, 0, time.UTC)
	for _, tc := range []struct {
		lang                  string
		eur, usd, jpy, kwd    string
		negative, small, rate string
		date, datetime        string
		minutes, wait         string
		region                string
	}{
		{"en", "EUR 1,340.00", "USD 1,234,567.89", "JPY 298,000", "KWD 1.500", "EUR -5.05", "EUR 0.07", "5.5%",
			"May 11, 2026", "May 11, 2026, 14:05 UTC", "30 minutes", "a minute", "Germany"},
		{"fr", "1" + nbsp + "340,00" + nbsp + "€", "1" + nbsp + "234" + nbsp + "567,89" + nbsp + "$US", "298" + nbsp + "000" + nbsp + "JPY",
			"1,500" + nbsp + "KWD", "-5,05" + nbsp + "€", "0,07" + nbsp + "€", "5,5" + nbsp + "%",
			"11 mai 2026", "11 mai 2026 à 14:05 UTC", "30 minutes", "une minute", "Allemagne"},
		{"de", "1.340,00" + nbsp + "€", "1.234.567,89" + nbsp + "$", "298.000" + nbsp + "¥", "1,500" + nbsp + "KWD", "-5,05" + nbsp + "€",
			"0,07" + nbsp + "€", "5,5" + nbsp + "%", "11. Mai 2026", "11. Mai 2026 um 14:05 UTC", "30 Minuten", "eine Minute", "Deutschland"},
		{"es", "1340,00" + nbsp + "€", "1.234.567,89" + nbsp + "US$", "298.000" + nbsp + "JPY", "1,500" + nbsp + "KWD", "-5,05" + nbsp + "€",
			"0,07" + nbsp + "€", "5,5" + nbsp + "%", "11 de mayo de 2026", "11 de mayo de 2026, 14:05 UTC", "30 minutos", "un minuto", "Alemania"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			l, ok := Builtin().Lang(tc.lang)
			if !ok {
				t.Fatalf("no %s", tc.lang)
			}
			for _, c := range []struct{ got, want string }{
				{l.Money(134000, "EUR", 2), tc.eur},
				{l.Money(123456789, "USD", 2), tc.usd},
				{l.Money(298000, "JPY", 0), tc.jpy},
				{l.Money(1500, "KWD", 3), tc.kwd},
				{l.Money(-505, "EUR", 2), tc.negative},
				{l.Money(7, "EUR", 2), tc.small},
				{l.Rate(550), tc.rate},
				{l.Date(day), tc.date},
				{l.DateTime(day), tc.datetime},
				{l.Duration(30 * time.Minute), tc.minutes},
				{l.Format(Wait(20 * time.Second)), tc.wait},
				{l.region("DE", "Germany"), tc.region},
			} {
				if c.got != c.want {
					t.Errorf("%q, want %q", c.got, c.want)
				}
			}
		})
	}
}

// TestPluralsFollowTheLanguage: French says 0 and 1 in the singular, the
// others only 1.
func TestPluralsFollowTheLanguage(t *testing.T) {
	for _, tc := range []struct {
		lang         string
		zero, one, n string
	}{
		{"en", "0 days", "1 day", "2 days"},
		{"fr", "0 jour", "1 jour", "2 jours"},
		{"de", "0 Tage", "1 Tag", "2 Tage"},
		{"es", "0 días", "1 día", "2 días"},
	} {
		l, _ := Builtin().Lang(tc.lang)
		for n, want := range []string{tc.zero, tc.one, tc.n} {
			if got := l.T("unit.days", "Count", n); got != want {
				t.Errorf("%s: %d days is %q, want %q", tc.lang, n, got, want)
			}
		}
	}
}

// TestLanguageChoiceByAcceptLanguage: quality values decide, a region falls
// to its language, and what the portal does not speak falls back to English.
func TestLanguageChoiceByAcceptLanguage(t *testing.T) {
	for header, want := range map[string]string{
		"":                                "en",
		"fr":                              "fr",
		"fr-CH, fr;q=0.9, en;q=0.8":       "fr",
		"de;q=0.5, es;q=0.9":              "es",
		"en;q=0.2, de":                    "de",
		"es-419":                          "es",
		"ja, zh;q=0.8":                    "en",
		"nl, de;q=0.3":                    "de",
		"*":                               "en",
		"not a header at all;;;q=bogus":   "en",
		"pt-BR, pt;q=0.9, es-ES;q=0.5":    "es",
		"de-AT;q=0.1, fr-BE;q=0.2, en-GB": "en",
	} {
		if got := Builtin().Match(header).Code; got != want {
			t.Errorf("Accept-Language %q chose %s, want %s", header, got, want)
		}
	}
}

// TestLookupsAllocateNothing: a message without placeholders is a map
// look-up, with no allocation, at every request.
func TestLookupsAllocateNothing(t *testing.T) {
	l, _ := Builtin().Lang("fr")
	if n := testing.AllocsPerRun(100, func() { _ = l.T("licenses.title") }); n != 0 {
		t.Errorf("a plain message allocates %.0f times", n)
	}
}

// TestGroupingIsXTexts: the digits an amount's whole part is grouped into
// without a printer are those x/text writes, in every language, and a
// grouping other than by three falls back to x/text.
func TestGroupingIsXTexts(t *testing.T) {
	for _, l := range Builtin().Langs() {
		if l.groupSep == "" {
			t.Errorf("%s: no group separator learnt from %q", l.Code, l.printer.Sprint(number.Decimal(1234567)))
		}
		for _, whole := range []int64{10000, 12340, 99999, 100000, 123456, 1000000, 1234567, 98765432, 1000000000000, 9223372036854775} {
			want := l.printer.Sprint(number.Decimal(whole))
			got, _, _ := strings.Cut(strings.TrimPrefix(l.Money(whole*100, "EUR", 2), "EUR "), l.decimal)
			if got != want {
				t.Errorf("%s: %d written %q, x/text writes %q", l.Code, whole, got, want)
			}
		}
	}
	if sep := threeDigitGroupSeparator("12,34,567"); sep != "" {
		t.Errorf("an Indian grouping gives separator %q, want none (x/text then writes it)", sep)
	}
}
