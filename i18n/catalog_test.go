package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// messageFiles parses every message file as go-i18n reads it, by language code.
func messageFiles(t *testing.T) map[string]map[string]*goi18n.Message {
	t.Helper()
	names, err := fs.Glob(Files(), "*.toml")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]*goi18n.Message{}
	for _, name := range names {
		_, msgs, err := ParseFile(Files(), name)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(name, ".toml")] = msgs
	}
	if len(out) < 4 {
		t.Fatalf("%d message files, want at least en, fr, de, es", len(out))
	}
	return out
}

// TestEveryLanguageHasEveryMessage: each file has exactly English's keys, each
// message the same placeholders as in English, and the plural forms its
// language's rules pick (a plural in English is one in every language).
func TestEveryLanguageHasEveryMessage(t *testing.T) {
	files := messageFiles(t)
	for code, msgs := range files {
		for _, p := range Problems(code+".toml", Builtin().byCode[code].Tag, msgs, files[DefaultCode]) {
			t.Error(p)
		}
	}
}

// TestTranslationsAreNotEnglish: a file that says what English says is one
// nobody translated. Some words are the same in two languages (Date, Total,
// Actions, a name, a format), so a few are allowed: at most 5%.
func TestTranslationsAreNotEnglish(t *testing.T) {
	files := messageFiles(t)
	for code, msgs := range files {
		if code == DefaultCode {
			continue
		}
		var same []string
		for key, m := range msgs {
			if m.Other == files[DefaultCode][key].Other {
				same = append(same, key)
			}
		}
		if len(same)*20 > len(msgs) {
			slices.Sort(same)
			t.Errorf("%s.toml says %d of its %d messages as English does: %v", code, len(same), len(msgs), same)
		}
	}
}

// sources are the module's Go files that are built into the binary (the
// generated templ code included), parsed.
func sources(t *testing.T) []*ast.File {
	t.Helper()
	fset := token.NewFileSet()
	var files []*ast.File
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != ".." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "scripts") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

var keyShape = regexp.MustCompile(`^[a-z][a-z0-9_]*\.[a-z0-9_.]+$`)

// TestEveryMessageIsUsedAndEveryKeyExists: every key of en.toml is written
// out somewhere in the code (keys are never built from values), and every
// string in the code shaped like a key of one of the files' sections is one.
func TestEveryMessageIsUsedAndEveryKeyExists(t *testing.T) {
	en := messageFiles(t)[DefaultCode]
	sections := map[string]bool{}
	for key := range en {
		sections[key[:strings.IndexByte(key, '.')]] = true
	}
	used := map[string]bool{}
	for _, f := range sources(t) {
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !keyShape.MatchString(s) || !sections[s[:strings.IndexByte(s, '.')]] {
				return true
			}
			if _, ok := en[s]; !ok {
				t.Errorf("the code asks for %q, which en.toml has not", s)
			}
			used[s] = true
			return true
		})
	}
	for _, key := range slices.Sorted(maps.Keys(en)) {
		if !used[key] {
			t.Errorf("en.toml has %s, which no code uses", key)
		}
	}
}

// TestDomainEnglishIsTheMessageFiles: package domain writes its errors'
// English itself (it imports nothing of ours); it must say what en.toml says.
func TestDomainEnglishIsTheMessageFiles(t *testing.T) {
	en := messageFiles(t)[DefaultCode]
	constructors := map[string]int{"Invalid": 0, "NotFound": 0, "Conflict": 0, "Forbidden": 0, "Unavailable": 0,
		"TooLarge": 0, "TooManyKeyed": 1, "text": 0}
	checked := 0
	for _, f := range sources(t) {
		if f.Name.Name != "domain" {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			// The history notes' table: {key, English} pairs.
			if lit, ok := n.(*ast.CompositeLit); ok && len(lit.Elts) == 2 {
				key, kok := stringLit(lit.Elts[0])
				english, eok := stringLit(lit.Elts[1])
				if kok && eok && strings.HasPrefix(key, "history.note_") {
					checked++
					if m, ok := en[key]; !ok {
						t.Errorf("domain's %s is not in en.toml", key)
					} else if m.Other != english {
						t.Errorf("domain's %s is %q, en.toml says %q", key, english, m.Other)
					}
				}
				return true
			}
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			name, ok := call.Fun.(*ast.Ident)
			if !ok {
				return true
			}
			at, ok := constructors[name.Name]
			if !ok || len(call.Args) < at+2 {
				return true
			}
			key, kok := stringLit(call.Args[at])
			english, eok := stringLit(call.Args[at+1])
			if !kok || !eok {
				t.Errorf("domain.%s called without literal key and English", name.Name)
				return true
			}
			checked++
			if m, ok := en[key]; !ok {
				t.Errorf("domain's %s is not in en.toml", key)
			} else if m.Other != english {
				t.Errorf("domain's %s is %q, en.toml says %q", key, english, m.Other)
			}
			return true
		})
	}
	if checked < 30 {
		t.Errorf("only %d domain messages checked", checked)
	}
}

// stringLit is the value of a string literal, or of literals joined by +.
func stringLit(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		a, aok := stringLit(e.X)
		b, bok := stringLit(e.Y)
		return a + b, aok && bok && e.Op == token.ADD
	}
	return "", false
}

// TestMain runs from the package's folder, which the source scan relies on.
func TestMain(m *testing.M) {
	if _, err := os.Stat("../go.mod"); err != nil {
		panic("i18n tests run from the package's folder")
	}
	os.Exit(m.Run())
}
