package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"portal/domain"
	"portal/storage/postgres"
	"portal/storage/postgres/pgtest"
)

// fraction is the fractional seconds of a time in JSON.
var fraction = regexp.MustCompile(`\.(\d+)Z"`)

// toMicroseconds writes the times of a JSON line to the microsecond, without
// trailing zeros: PostgreSQL keeps times to the microsecond, so a copy through
// it drops what is finer (documented in the README).
func toMicroseconds(line string) string {
	return fraction.ReplaceAllStringFunc(line, func(m string) string {
		digits := fraction.FindStringSubmatch(m)[1]
		digits = strings.TrimRight((digits + "000000")[:6], "0")
		if digits == "" {
			return `Z"`
		}
		return "." + digits + `Z"`
	})
}

// dumpLines is every record of a store, one JSON line each, in dump order, its
// times to the microsecond.
func dumpLines(t *testing.T, s interface {
	Dump(context.Context, func(domain.Record) error) error
}) []string {
	t.Helper()
	var lines []string
	err := s.Dump(context.Background(), func(r domain.Record) error {
		b, err := json.Marshal(r)
		lines = append(lines, toMicroseconds(string(b)))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// TestCopyBetweenDataFolderAndPostgreSQL: "portal copy --to URL" moves
// everything of a data folder into an empty database and "--from URL" back into
// a new folder; both sides then hold the same records, entity by entity.
func TestCopyBetweenDataFolderAndPostgreSQL(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Fresh(t)
	data := t.TempDir()
	// A portal with history, a purchase, staff and audit: the demo, used a little.
	if err := run(ctx, []string{"import", "--data", data, writeImportFile(t, 40)}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"user", "add", "--data", data, "--email", "ada@vendor.example", "--role", "admin", "--password-stdin"},
		strings.NewReader("correct horse battery\n"), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	src := openTestStore(t, data)
	if err := src.UpdateOrder(ctx, "JWT200000", func(u *domain.OrderUpdate) error {
		_, err := u.Activate(u.Order.ActivationKey, "PC-COPY", domain.Today(clock()))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	seller := domain.Seller{Name: "Logiciels Étoile SAS", Address: []string{"Boîte 3", "69002 Lyon"}, VATID: "FR40123456789", InvoicePrefix: "FAC-"}
	if err := src.SaveSeller(ctx, seller, domain.AuditEntry{At: clock(), Staff: "ada@vendor.example", Action: "seller details"}); err != nil {
		t.Fatal(err)
	}
	want := dumpLines(t, src)
	src.Close()
	if !slices.ContainsFunc(want, func(l string) bool { return strings.Contains(l, `"seller":{"name":"Logiciels Étoile SAS"`) }) {
		t.Fatal("the folder's dump has no seller details: the copy would not be checked for them")
	}

	var out bytes.Buffer
	if err := run(ctx, []string{"copy", "--data", data, "--to", db}, nil, &out, io.Discard); err != nil {
		t.Fatalf("copy --to: %v", err)
	}
	if !strings.Contains(out.String(), "40 orders") || !strings.Contains(out.String(), "1 staff accounts") || !strings.Contains(out.String(), "the seller details") {
		t.Errorf("copy said: %s", out.String())
	}
	pg, err := postgres.Open(ctx, db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if got := dumpLines(t, pg); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the database holds other records than the folder:\n%s", lineDiffOf(want, got))
	}
	pg.Close()

	// A non-empty target is refused, and left as it was.
	if err := run(ctx, []string{"copy", "--data", data, "--to", db}, nil, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a second copy into the database: %v", err)
	}
	// And back, into a new folder.
	back := filepath.Join(t.TempDir(), "back")
	if err := run(ctx, []string{"copy", "--data", back, "--from", db}, nil, io.Discard, io.Discard); err != nil {
		t.Fatalf("copy --from: %v", err)
	}
	again := openTestStore(t, back)
	defer again.Close()
	if got := dumpLines(t, again); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the folder copied back holds other records:\n%s", lineDiffOf(want, got))
	}
}

// TestBackupRestoresIntoPostgreSQL: a backup of a data folder restores into an
// empty database, not into a full one; migrate and keygen do their part.
func TestBackupRestoresIntoPostgreSQL(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Fresh(t)
	data, dir := t.TempDir(), t.TempDir()
	if err := run(ctx, []string{"import", "--data", data, writeImportFile(t, 5)}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "portal.backup.gz")
	if err := run(ctx, []string{"backup", "--data", data, backup}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"migrate", "--database-url", db}, nil, io.Discard, io.Discard); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if err := run(ctx, []string{"restore", "--database-url", db, backup}, nil, io.Discard, io.Discard); err != nil {
		t.Fatalf("restore into the database: %v", err)
	}
	if err := run(ctx, []string{"restore", "--database-url", db, backup}, nil, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("restore into a full database: %v", err)
	}
	pg, err := postgres.Open(ctx, db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if n, _ := pg.OrderCount(ctx); n != 5 {
		t.Errorf("%d orders restored, want 5", n)
	}
	// The signing key is a file of its own: keygen makes one, never over another.
	key := filepath.Join(dir, "signing-key.pem")
	if err := run(ctx, []string{"keygen", key}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(key); info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v", info.Mode().Perm())
	}
	if err := run(ctx, []string{"keygen", key}, nil, io.Discard, io.Discard); err == nil {
		t.Error("keygen replaced an existing key")
	}
	// Instances sharing a database are never given a key they did not agree on.
	err = run(ctx, []string{"serve", "--database-url", db, "--signing-key", filepath.Join(dir, "missing.pem"), "--addr", "127.0.0.1:0"}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "portal keygen") {
		t.Errorf("serve on a database without its key file: %v", err)
	}
}

func lineDiffOf(want, got []string) string {
	in := func(lines []string) map[string]bool {
		m := map[string]bool{}
		for _, l := range lines {
			m[l] = true
		}
		return m
	}
	w, g := in(want), in(got)
	var b strings.Builder
	for _, l := range want {
		if !g[l] {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range got {
		if !w[l] {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
