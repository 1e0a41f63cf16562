package i18n

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// Problems lists what the message file of a language (tag, msgs) lacks or
// gets wrong against English's: a key missing or one more, a placeholder
// that differs, an empty message, a plural form the language's CLDR rules use
// that it does not give, or plural forms where English has none. A file with
// none of these can serve every page.
func Problems(name string, tag language.Tag, msgs, english map[string]*goi18n.Message) []string {
	var out []string
	for _, key := range slices.Sorted(maps.Keys(english)) {
		want := english[key]
		m, ok := msgs[key]
		if !ok {
			out = append(out, fmt.Sprintf("%s lacks %s", name, key))
			continue
		}
		if key == "format.money" {
			// A language writes the currency's symbol (€) or its code (EUR).
			if got := placeholders(m); !slices.Contains(got, "Amount") || len(got) != 2 {
				out = append(out, fmt.Sprintf("%s: format.money fills %v, want the Amount and its Symbol or Code", name, got))
			}
		} else if got, want := placeholders(m), placeholders(want); !slices.Equal(got, want) {
			out = append(out, fmt.Sprintf("%s: %s fills %v, English %v", name, key, got, want))
		}
		if strings.TrimSpace(m.Other) == "" {
			out = append(out, fmt.Sprintf("%s: %s is empty", name, key))
		}
		if want.One == "" {
			if m.One != "" || m.Few != "" || m.Many != "" {
				out = append(out, fmt.Sprintf("%s: %s has plural forms, English has none", name, key))
			}
			continue
		}
		for _, n := range []int{0, 1, 2, 3, 5, 11, 21, 100, 1000000} {
			form := plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)
			if forms(m)[formName(form)] == "" {
				out = append(out, fmt.Sprintf("%s: %s has no %q form, which the language uses for %d", name, key, formName(form), n))
				break
			}
		}
	}
	for _, key := range slices.Sorted(maps.Keys(msgs)) {
		if _, ok := english[key]; !ok {
			out = append(out, fmt.Sprintf("%s has %s, which en.toml has not", name, key))
		}
	}
	return out
}

func forms(m *goi18n.Message) map[string]string {
	return map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other}
}

func formName(f plural.Form) string {
	return [...]string{plural.Other: "other", plural.Zero: "zero", plural.One: "one", plural.Two: "two", plural.Few: "few", plural.Many: "many"}[f]
}

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

// placeholders are the names a message's forms fill, together.
func placeholders(m *goi18n.Message) []string {
	set := map[string]bool{}
	for _, src := range forms(m) {
		for _, p := range placeholder.FindAllStringSubmatch(src, -1) {
			set[p[1]] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}
