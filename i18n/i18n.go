// Package i18n holds the portal's words in every language it speaks: one
// message file per language (en.toml, fr.toml, ...), embedded in the binary
// and parsed once by go-i18n, and the formats of money and dates each language
// uses. A page asks for a message by its key in the language its request's
// context carries, FromContext(ctx).T("licenses.title"): one map look-up, no
// parsing per request.
//
// Messages are go-i18n's format: a key's text, or a table of plural forms
// (one, other, as the language's CLDR rules ask). Placeholders are
// {{.Name}}, filled from name, value pairs: T("x", "Count", 3, "Email", e).
// The argument named Count chooses the plural form.
package i18n

import (
	"context"
	"embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed *.toml
var files embed.FS

// DefaultCode is the language of a request that asks for none the portal has.
const DefaultCode = "en"

// Lang is one language: its messages and its formats.
type Lang struct {
	Tag language.Tag
	// Code is the message file's name: "fr" for fr.toml.
	Code string
	// Name is the language's name in itself ("Français"), for the menu.
	Name    string
	msgs    map[string]*entry
	printer *message.Printer
	// decimal separates a number's whole part from its fraction.
	decimal string
	// groupFrom is the least whole part written with group separators: CLDR's
	// minimum grouping digits, which x/text does not apply (Spanish writes
	// 1340 but 12.340).
	groupFrom uint64
	// groupSep separates groups of three digits, as CLDR's pattern for the
	// language says; empty when its grouping is another (then x/text writes
	// every amount).
	groupSep string
	symbols  sync.Map // currency code → its symbol in this language
}

// entry is one message: its text, or a text per plural form.
type entry struct {
	forms  [plural.Many + 1]text
	plural bool
}

// text is a message cut at its placeholders.
type text []piece

// piece is literal text, or a placeholder when arg is set.
type piece struct {
	lit string
	arg string
}

// T is the message key in this language, its placeholders filled from args
// (name, value pairs). An unknown key comes back as itself.
func (l *Lang) T(key string, args ...any) string {
	t, ok := l.text(key, args)
	if !ok {
		return key
	}
	if len(t) == 1 && t[0].arg == "" {
		return t[0].lit
	}
	var b strings.Builder
	for _, p := range t {
		if p.arg == "" {
			b.WriteString(p.lit)
		} else {
			b.WriteString(l.Format(arg(args, p.arg)))
		}
	}
	return b.String()
}

// Walk gives the message key piece by piece: literal text to lit, and each
// placeholder's value, unformatted, to value (so that a page can put markup
// in a sentence without cutting the sentence up).
func (l *Lang) Walk(key string, args []any, lit func(string) error, value func(any) error) error {
	t, ok := l.text(key, args)
	if !ok {
		return lit(key)
	}
	for _, p := range t {
		var err error
		if p.arg == "" {
			err = lit(p.lit)
		} else {
			err = value(arg(args, p.arg))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (l *Lang) text(key string, args []any) (text, bool) {
	e := l.msgs[key]
	if e == nil {
		return nil, false
	}
	t := e.forms[plural.Other]
	if e.plural {
		if n, ok := count(args); ok {
			if f := e.forms[plural.Cardinal.MatchPlural(l.Tag, n, 0, 0, 0, 0)]; f != nil {
				t = f
			}
		}
	}
	return t, true
}

// arg is the value of the argument named name, or a visible gap.
func arg(args []any, name string) any {
	for i := 0; i+1 < len(args); i += 2 {
		if args[i] == name {
			return args[i+1]
		}
	}
	return "{" + name + "?}"
}

// count is the Count argument, which picks a plural form.
func count(args []any) (int, bool) {
	switch n := arg(args, "Count").(type) {
	case int:
		return abs(n), true
	case int64:
		return abs(int(n)), true
	}
	return 0, false
}

func abs(n int) int { return max(n, -n) }

// Format writes an argument: numbers as they are, dates and durations in
// this language.
func (l *Lang) Format(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case time.Time:
		return l.Date(v)
	case time.Duration:
		return l.Duration(v)
	case Wait:
		return l.wait(v)
	case Instant:
		return l.DateTime(time.Time(v))
	case interface{ MessageKey() (string, []any) }:
		// A message as an argument of another: a field's name, a form in words.
		key, args := v.MessageKey()
		return l.T(key, args...)
	case interface{ RegionCode() string }:
		return l.region(v.RegionCode(), fmt.Sprint(v))
	case interface{ Time() time.Time }:
		return l.Date(v.Time())
	case fmt.Stringer:
		return v.String()
	}
	return fmt.Sprint(v)
}

type ctxKey struct{}

// WithLang is ctx carrying the language of its request.
func WithLang(ctx context.Context, l *Lang) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// FromContext is the language ctx carries, English when none.
func FromContext(ctx context.Context) *Lang {
	if ctx != nil {
		if l, ok := ctx.Value(ctxKey{}).(*Lang); ok {
			return l
		}
	}
	return Builtin().English
}
