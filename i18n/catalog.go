package i18n

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// Catalog is every language of a set of message files.
type Catalog struct {
	langs      []*Lang // by code
	byCode     map[string]*Lang
	English    *Lang
	matcher    language.Matcher
	matchOrder []*Lang // the matcher's order: English first
	// accepted remembers Accept-Language headers already matched (browsers
	// send the same few), up to a bound.
	mu       sync.RWMutex
	accepted map[string]*Lang
}

var builtin = sync.OnceValue(func() *Catalog {
	c, err := Load(files)
	if err != nil {
		panic(fmt.Sprintf("i18n: the embedded message files: %v", err))
	}
	return c
})

// Builtin is the catalog of the message files embedded in the binary.
func Builtin() *Catalog { return builtin() }

// Files are the embedded message files, for tests.
func Files() fs.FS { return files }

// LoadWithDir is the embedded message files and those of dir: a file of dir
// adds its language (it.toml: Italian), or replaces the embedded file of the
// same name (a reseller's own wording). Each of dir's files must have every
// message of the embedded English, with the same placeholders, and the plural
// forms its language uses: the portal does not start with a half-translated
// language.
func LoadWithDir(dir string) (*Catalog, error) {
	extra := os.DirFS(dir)
	names, err := fs.Glob(extra, "*.toml")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("i18n: no *.toml message file in %s", dir)
	}
	_, english, err := ParseFile(files, DefaultCode+".toml")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		tag, msgs, err := ParseFile(extra, name)
		if err != nil {
			return nil, err
		}
		if problems := Problems(name, tag, msgs, english); len(problems) > 0 {
			more := ""
			if len(problems) > 5 {
				problems, more = problems[:5], fmt.Sprintf("; and %d more", len(problems)-5)
			}
			return nil, fmt.Errorf("i18n: %s: %s%s", filepath.Join(dir, name), strings.Join(problems, "; "), more)
		}
	}
	return Load(files, extra)
}

// Load reads every *.toml message file at the top of each fsys, a file of a
// later fsys replacing one of the same name. en.toml must be among them: a
// message missing from another file falls back to English.
func Load(fsyss ...fs.FS) (*Catalog, error) {
	from := map[string]fs.FS{}
	for _, fsys := range fsyss {
		names, err := fs.Glob(fsys, "*.toml")
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			from[name] = fsys
		}
	}
	names := slices.Sorted(maps.Keys(from))
	c := &Catalog{byCode: map[string]*Lang{}, accepted: map[string]*Lang{}}
	for _, name := range names {
		l, err := loadFile(from[name], name)
		if err != nil {
			return nil, err
		}
		c.langs = append(c.langs, l)
		c.byCode[l.Code] = l
	}
	c.English = c.byCode[DefaultCode]
	if c.English == nil {
		return nil, fmt.Errorf("i18n: no %s.toml", DefaultCode)
	}
	for _, l := range c.langs {
		for key, e := range c.English.msgs {
			if _, ok := l.msgs[key]; !ok {
				l.msgs[key] = e
			}
		}
	}
	c.matchOrder = append([]*Lang{c.English}, slices.DeleteFunc(slices.Clone(c.langs), func(l *Lang) bool { return l == c.English })...)
	tags := make([]language.Tag, len(c.matchOrder))
	for i, l := range c.matchOrder {
		tags[i] = l.Tag
	}
	c.matcher = language.NewMatcher(tags)
	return c, nil
}

// ParseFile reads a message file as go-i18n does: its messages by key.
func ParseFile(fsys fs.FS, name string) (language.Tag, map[string]*goi18n.Message, error) {
	buf, err := fs.ReadFile(fsys, name)
	if err != nil {
		return language.Und, nil, err
	}
	mf, err := goi18n.ParseMessageFileBytes(buf, name, map[string]goi18n.UnmarshalFunc{"toml": toml.Unmarshal})
	if err != nil {
		return language.Und, nil, fmt.Errorf("i18n: %s: %w", name, err)
	}
	msgs := make(map[string]*goi18n.Message, len(mf.Messages))
	for _, m := range mf.Messages {
		msgs[m.ID] = m
	}
	return mf.Tag, msgs, nil
}

func loadFile(fsys fs.FS, name string) (*Lang, error) {
	tag, msgs, err := ParseFile(fsys, name)
	if err != nil {
		return nil, err
	}
	l := &Lang{Tag: tag, Code: strings.TrimSuffix(path.Base(name), ".toml"), msgs: map[string]*entry{}, printer: message.NewPrinter(tag)}
	for id, m := range msgs {
		e := &entry{plural: m.One != "" || m.Few != "" || m.Many != "" || m.Two != "" || m.Zero != ""}
		for form, src := range map[plural.Form]string{plural.Zero: m.Zero, plural.One: m.One, plural.Two: m.Two,
			plural.Few: m.Few, plural.Many: m.Many, plural.Other: m.Other} {
			if src == "" {
				continue
			}
			if e.forms[form], err = parse(src); err != nil {
				return nil, fmt.Errorf("i18n: %s: %s: %w", name, id, err)
			}
		}
		if e.forms[plural.Other] == nil {
			return nil, fmt.Errorf("i18n: %s: %s has no text (other)", name, id)
		}
		l.msgs[id] = e
	}
	l.Name = l.T("language.name")
	l.decimal = strings.Trim(l.printer.Sprint(numberDecimal(1.5, 1)), "15")
	minGrouping, err := strconv.Atoi(l.T("format.min_grouping_digits"))
	if err != nil || minGrouping < 1 || minGrouping > 3 {
		return nil, fmt.Errorf("i18n: %s: format.min_grouping_digits must be 1, 2 or 3 (CLDR's minimumGroupingDigits)", name)
	}
	l.groupFrom = 1000
	for range minGrouping - 1 {
		l.groupFrom *= 10
	}
	// Learn the group separator once from x/text, where the groups are of
	// three digits: a page writes many amounts, and a printer costs about a
	// microsecond each.
	l.groupSep = threeDigitGroupSeparator(l.printer.Sprint(number.Decimal(1234567)))
	return l, nil
}

// parse cuts a message at its placeholders. Only {{.Name}} is allowed: a
// message is text, not a program.
func parse(src string) (text, error) {
	var t text
	for src != "" {
		i := strings.Index(src, "{{")
		if i < 0 {
			t = append(t, piece{lit: src})
			break
		}
		if i > 0 {
			t = append(t, piece{lit: src[:i]})
		}
		j := strings.Index(src[i:], "}}")
		if j < 0 {
			return nil, fmt.Errorf("unclosed {{ in %q", src)
		}
		name, ok := strings.CutPrefix(strings.TrimSpace(src[i+2:i+j]), ".")
		if !ok || name == "" || strings.ContainsAny(name, " .|()\"") {
			return nil, fmt.Errorf("placeholder %q is not {{.Name}}", src[i:i+j+2])
		}
		t = append(t, piece{arg: name})
		src = src[i+j+2:]
	}
	return t, nil
}

// Langs are the catalog's languages, by code.
func (c *Catalog) Langs() []*Lang { return c.langs }

// Lang is the language of code, if the catalog has it.
func (c *Catalog) Lang(code string) (*Lang, bool) {
	l, ok := c.byCode[code]
	return l, ok
}

// Match is the language that best fits an Accept-Language header, with its
// quality values; English when none fits.
func (c *Catalog) Match(acceptLanguage string) *Lang {
	if acceptLanguage == "" {
		return c.English
	}
	c.mu.RLock()
	l, ok := c.accepted[acceptLanguage]
	c.mu.RUnlock()
	if ok {
		return l
	}
	l = c.English
	if tags, _, err := language.ParseAcceptLanguage(acceptLanguage); err == nil && len(tags) > 0 {
		if _, i, conf := c.matcher.Match(tags...); conf != language.No {
			l = c.matchOrder[i]
		}
	}
	c.mu.Lock()
	if len(c.accepted) < 512 {
		c.accepted[acceptLanguage] = l
	}
	c.mu.Unlock()
	return l
}

// threeDigitGroupSeparator is the separator of 1234567 as written, when it
// is written in groups of three ("1,234,567", "1 234 567"); else empty.
func threeDigitGroupSeparator(written string) string {
	rest, ok := strings.CutPrefix(written, "1")
	if !ok {
		return ""
	}
	rest, ok = strings.CutSuffix(rest, "567")
	if !ok {
		return ""
	}
	n := (len(rest) - 3) / 2
	if n < 1 || 2*n+3 != len(rest) || rest[:n] != rest[n+3:] || rest[n:n+3] != "234" {
		return ""
	}
	return rest[:n]
}
