package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"portal/i18n"
)

// italianFile is en.toml as a reseller's it.toml: every message, a few of
// them in Italian.
func italianFile(t *testing.T) string {
	t.Helper()
	buf, err := os.ReadFile("i18n/en.toml")
	if err != nil {
		t.Fatal(err)
	}
	return strings.NewReplacer(`name = "English"`, `name = "Italiano"`,
		`title = "Licenses and support"`, `title = "Licenze e assistenza"`).Replace(string(buf))
}

// TestServeSpeaksALanguageAddedByAFile: serve --languages DIR with it.toml in
// it speaks Italian to a browser that asks for it, and lists it in the menu;
// the built-in languages stay.
func TestServeSpeaksALanguageAddedByAFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "it.toml"), []byte(italianFile(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, "serve", "--demo", "--data", t.TempDir(), "--languages", dir)
	c := browserlessClient(t)
	c.Jar = nil
	req := func(lang string) string {
		r, _ := http.NewRequest("GET", s.base+"/login", nil)
		r.Header.Set("Accept-Language", lang)
		res, err := c.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	page := req("it-IT,it;q=0.9")
	if m := regexp.MustCompile(`<html lang="([^"]+)"`).FindStringSubmatch(page); m == nil || m[1] != "it" {
		t.Fatalf("Accept-Language it-IT: <html lang> %v", m)
	}
	for _, want := range []string{`hreflang="it"`, ">Italiano</a>", ">Français</a>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the Italian login page lacks %s", want)
		}
	}
	if page := req("fr"); !strings.Contains(page, `<html lang="fr"`) {
		t.Error("French is gone")
	}
}

// TestServeRefusesAHalfTranslatedFile: a file lacking a message stops the
// start, naming the file and the message.
func TestServeRefusesAHalfTranslatedFile(t *testing.T) {
	dir := t.TempDir()
	half := strings.Replace(italianFile(t), `title = "Licenze e assistenza"`, "", 1)
	if err := os.WriteFile(filepath.Join(dir, "it.toml"), []byte(half), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := parseServeFlags([]string{"--languages", dir}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "it.toml lacks licenses.title") {
		t.Errorf("a file without licenses.title: %v", err)
	}
	if cfg, err := parseServeFlags(nil, io.Discard); err != nil || cfg.Languages != i18n.Builtin() {
		t.Errorf("without --languages: %v", err)
	}
}
