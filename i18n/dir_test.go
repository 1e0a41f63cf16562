package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// englishWith is en.toml with each of the replacements made once.
func englishWith(t *testing.T, replacements ...string) string {
	t.Helper()
	buf, err := fs.ReadFile(Files(), "en.toml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(buf)
	for i := 0; i+1 < len(replacements); i += 2 {
		if !strings.Contains(s, replacements[i]) {
			t.Fatalf("en.toml has no %q", replacements[i])
		}
		s = strings.Replace(s, replacements[i], replacements[i+1], 1)
	}
	return s
}

func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestALanguageAddedByOneFile: a reseller adds Italian with it.toml in a
// folder, without building the portal; it is in the menu, Accept-Language
// picks it, and its numbers are Italian ones.
func TestALanguageAddedByOneFile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "it.toml", englishWith(t,
		`name = "English"`, `name = "Italiano"`,
		`title = "Licenses and support"`, `title = "Licenze e assistenza"`))
	c, err := LoadWithDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	it, ok := c.Lang("it")
	if !ok || it.Name != "Italiano" || it.T("licenses.title") != "Licenze e assistenza" {
		t.Fatalf("Italian: %v %q", ok, it.T("licenses.title"))
	}
	if got := c.Match("it-IT, it;q=0.9, en;q=0.5"); got != it {
		t.Errorf("Accept-Language it-IT gives %s", got.Code)
	}
	if got := it.Money(134050, "EUR", 2); got != "EUR 1.340,50" {
		t.Errorf("an amount in Italian: %q, want CLDR's grouping and decimal sign", got)
	}
	if len(c.Langs()) != 5 {
		t.Errorf("%d languages, want the four built in and Italian", len(c.Langs()))
	}
}

// TestAFolderFileReplacesTheBuiltInOne: fr.toml in the folder is the French
// the portal speaks (a reseller's own wording).
func TestAFolderFileReplacesTheBuiltInOne(t *testing.T) {
	dir := t.TempDir()
	buf, _ := fs.ReadFile(Files(), "fr.toml")
	writeFile(t, dir, "fr.toml", strings.Replace(string(buf), `title = "Licences et support"`, `title = "Vos licences"`, 1))
	c, err := LoadWithDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fr, _ := c.Lang("fr"); fr.T("licenses.title") != "Vos licences" {
		t.Errorf("French title %q", fr.T("licenses.title"))
	}
}

// TestAnIncompleteFileStopsTheStart: a file lacking a message, with another
// placeholder, or with a message English does not have is refused, saying
// which; so is a folder without message files.
func TestAnIncompleteFileStopsTheStart(t *testing.T) {
	for name, tc := range map[string]struct{ content, want string }{
		"a missing message":   {englishWith(t, `title = "Licenses and support"`, ``), "it.toml lacks licenses.title"},
		"another placeholder": {englishWith(t, `{{.Button}}`, `{{.Knopf}}`), "fills [Knopf Tab], English [Button Tab]"},
		"an extra message":    {englishWith(t, "[language]\n", "[language]\nmotto = \"Ciao\"\n"), "has language.motto, which en.toml has not"},
		"not TOML":            {"name = ", "it.toml"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "it.toml", tc.content)
			_, err := LoadWithDir(dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
	if _, err := LoadWithDir(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no *.toml message file") {
		t.Errorf("an empty folder: %v", err)
	}
}
