package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portal/domain"
	"portal/storage"
)

// TestVerifyCommand checks files offline as "portal verify" does: a good file, a
// file changed by one bit, one signed by another key, and no license file at all.
func TestVerifyCommand(t *testing.T) {
	data := t.TempDir()
	keyFile := filepath.Join(data, storage.SigningKeyFile)
	key, created, err := storage.LoadSigningKey(keyFile, true)
	if err != nil || !created {
		t.Fatalf("signing key: %v created=%v", err, created)
	}
	info, _ := os.Stat(filepath.Join(data, storage.SigningKeyFile))
	if info.Mode().Perm() != 0o600 {
		t.Errorf("signing key mode %v, want 0600", info.Mode().Perm())
	}
	again, created, err := storage.LoadSigningKey(keyFile, true)
	if err != nil || created || !again.Equal(key) {
		t.Fatalf("second start made another key")
	}

	l := domain.License{ID: "JWT100234-1", Software: "Remote Work", Edition: "Standard", Users: 5,
		SupportStart: time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), SupportEnd: time.Date(2027, 3, 14, 0, 0, 0, 0, time.UTC), Version: 2}
	sign := func(k ed25519.PrivateKey) []byte {
		doc, err := domain.Sign(k, domain.NewDocumentPayload(domain.DocKindLicense, "JWT100234", "PC-1", []domain.License{l}, time.Now()))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(doc)
		return b
	}
	good := sign(key)
	flipped := bytes.Clone(good)
	// Flip one bit inside the base64 payload text (a letter to its neighbour).
	i := bytes.Index(flipped, []byte(`"payload":"`)) + 20
	flipped[i] ^= 1
	_, otherKey, _ := ed25519.GenerateKey(nil)

	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o600)
		return p
	}
	pub := base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey))
	cases := []struct {
		name    string
		args    []string
		wantOK  bool
		wantOut string
	}{
		{"good file, data folder key", []string{"verify", "--data", data, write("good.lic", good)}, true, "VALID: license document of order JWT100234"},
		{"good file, public key given", []string{"verify", "--public-key", pub, write("good2.lic", good)}, true, "Remote Work Standard, 5 users"},
		{"one bit changed", []string{"verify", "--data", data, write("flipped.lic", flipped)}, false, "INVALID"},
		{"signed by another key", []string{"verify", "--data", data, write("other.lic", sign(otherKey))}, false, "does not match"},
		{"not a license file", []string{"verify", "--data", data, write("notes.txt", []byte("hello"))}, false, "not a license document"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), tc.args, nil, &out, io.Discard)
			if (err == nil) != tc.wantOK || !strings.Contains(out.String(), tc.wantOut) {
				t.Errorf("err %v, output %q; want ok=%v and %q", err, out.String(), tc.wantOK, tc.wantOut)
			}
		})
	}
	if err := run(context.Background(), []string{"verify", "--data", t.TempDir(), write("g.lic", good)}, nil, io.Discard, io.Discard); err == nil {
		t.Error("verify without any key succeeded")
	}
}

func TestDataCommands(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"import", "--data", data, writeImportFile(t, 3)}, nil, &out, &errOut); err != nil {
		t.Fatal(err)
	}

	// user add, with the password on standard input.
	out.Reset()
	err := run(ctx, []string{"user", "add", "--data", data, "--email", "Ada@Vendor.example", "--role", "admin", "--password-stdin"},
		strings.NewReader("correct horse battery\n"), &out, &errOut)
	if err != nil || !strings.Contains(out.String(), "ada@vendor.example saved with role admin") {
		t.Fatalf("user add: %v %s", err, out.String())
	}
	for _, bad := range [][]string{
		{"user", "add", "--data", data, "--email", "x@y.example", "--role", "root", "--password-stdin"},
		{"user", "add", "--data", data, "--email", "not-an-email", "--role", "support", "--password-stdin"},
		{"user", "add", "--data", data, "--email", "x@y.example", "--role", "support", "--password-stdin"},
	} {
		if err := run(ctx, bad, strings.NewReader("short\n"), io.Discard, io.Discard); err == nil {
			t.Errorf("%v succeeded", bad)
		}
	}
	// Without a terminal and without --password-stdin it says what to do.
	if err := run(ctx, []string{"user", "add", "--data", data, "--email", "x@y.example", "--role", "support"}, strings.NewReader(""), io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "--password-stdin") {
		t.Errorf("user add without a terminal: %v", err)
	}

	// export to a file, backup, restore into a new folder.
	dir := t.TempDir()
	exportFile, backupFile := filepath.Join(dir, "export.jsonl"), filepath.Join(dir, "portal.backup")
	if err := run(ctx, []string{"export", "--data", data, exportFile}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(exportFile); strings.Count(string(b), `"kind":"order"`) != 3 {
		t.Errorf("export file:\n%s", b)
	}
	if err := run(ctx, []string{"backup", "--data", data, backupFile}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"backup", "--data", data, backupFile}, nil, io.Discard, io.Discard); err == nil {
		t.Error("backup overwrote an existing file")
	}
	restored := filepath.Join(dir, "restored")
	if err := run(ctx, []string{"restore", "--data", restored, backupFile}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"restore", "--data", restored, backupFile}, nil, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("restore over data: %v", err)
	}
	store := openTestStore(t, restored)
	if n, _ := store.OrderCount(ctx); n != 3 {
		t.Errorf("restored %d orders", n)
	}
	if u, found, _ := store.StaffUser(ctx, "ada@vendor.example"); !found || u.Role != domain.RoleAdmin || !domain.CheckPassword(u.PasswordHash, "correct horse battery") {
		t.Errorf("restored staff account: %+v", u)
	}
	store.Close()

	// While a server holds the folder, backup says how to do it instead.
	held := openTestStore(t, data)
	defer held.Close()
	err = run(ctx, []string{"backup", "--data", data, filepath.Join(dir, "b2")}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "admin pages") {
		t.Errorf("backup of a held folder: %v", err)
	}
}
