package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"portal/domain"
	"portal/storage"
)

// TestMain lets the test binary play the portal command in a child process, so
// that a test can kill it with SIGKILL at a moment of its choosing.
func TestMain(m *testing.M) {
	if args := os.Getenv("PORTAL_TEST_RUN"); args != "" {
		// Park the process once the command has answered and before it closes the
		// data folder: the test kills it there.
		afterAnswer = func() {
			fmt.Println(answeredMarker)
			time.Sleep(time.Hour)
		}
		err := run(context.Background(), strings.Fields(args), os.Stdin, os.Stdout, os.Stderr)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println("COMMAND RETURNED")
		// Hold on as a process that has answered but not yet exited cleanly.
		time.Sleep(time.Hour)
		return
	}
	os.Exit(m.Run())
}

func orderLine(ref, email string) string {
	return fmt.Sprintf(`{"kind":"order","reference":%q,"date":"2026-03-14T10:22:00Z","name":"Acme SARL","country":"FR","city":"Lyon","contact_name":"Marie Dupont","email":%q,"currency":"EUR","items":[{"description":"Remote Work Standard, 5 workstations","quantity":1,"unit_amount":45000}],"licenses":[{"software":"Remote Work","edition":"Standard","users":5,"serial":"","support_start":"2026-03-14","support_end":"2027-03-14"}]}`, ref, email)
}

func writeImportFile(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`{"kind":"product","software":"Remote Work","edition":"Standard","upgradable":true,"currency":"EUR","seat_price":0,"support_price_per_seat_year":9000}` + "\n")
	for i := range n {
		b.WriteString(orderLine(fmt.Sprintf("JWT%d", 200000+i), fmt.Sprintf("c%d@example.com", i%50)) + "\n")
	}
	path := filepath.Join(t.TempDir(), "orders.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func openStore(t *testing.T, dir string) *storage.Store {
	t.Helper()
	store, err := storage.Open(dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return store
}

func TestImportCommand(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	good := orderLine("JWT100234", "marie@acme.example")
	file := filepath.Join(t.TempDir(), "in.jsonl")
	content := good + "\n" +
		strings.Replace(orderLine("JWT100235", "marie@acme.example"), `"currency":"EUR"`, `"currency":"EUR","total":1`, 1) + "\n" +
		"not json\n" +
		"\n" +
		orderLine("JWT100236", "not-an-email") + "\n"
	os.WriteFile(file, []byte(content), 0o600)

	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"import", "--data", data, file}, nil, &out, &errOut); err != nil {
		t.Fatalf("import: %v\n%s", err, errOut.String())
	}
	for _, want := range []string{"lines read: 4", "imported: 1", "rejected: 3", "line 2: total 1 does not equal", "line 3: not a JSON object", "line 5: email"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}

	// Again: idempotent, the good line is skipped and nothing changes.
	out.Reset()
	if err := run(ctx, []string{"import", "--data", data, file}, nil, &out, &errOut); err != nil {
		t.Fatalf("second import: %v", err)
	}
	if !strings.Contains(out.String(), "imported: 0") || !strings.Contains(out.String(), "skipped (already there): 1") {
		t.Errorf("second report:\n%s", out.String())
	}

	// Every line bad: a non-zero exit.
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(bad, []byte("{}\n[1]\n"), 0o600)
	if err := run(ctx, []string{"import", "--data", data, bad}, nil, &out, &errOut); err == nil {
		t.Error("an import in which every line failed exits 0")
	}
	// A file that cannot be read: a non-zero exit.
	if err := run(ctx, []string{"import", "--data", data, filepath.Join(t.TempDir(), "missing")}, nil, &out, &errOut); err == nil {
		t.Error("an import of a missing file exits 0")
	}
	// Standard input.
	out.Reset()
	if err := run(ctx, []string{"import", "--data", data, "-"}, strings.NewReader(orderLine("JWT100240", "x@y.example")), &out, &errOut); err != nil {
		t.Fatalf("import from stdin: %v", err)
	}
	if !strings.Contains(out.String(), "imported: 1") {
		t.Errorf("stdin report:\n%s", out.String())
	}
}

func TestImportWhileServerHoldsTheFolder(t *testing.T) {
	data := t.TempDir()
	store := openStore(t, data)
	defer store.Close()
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"import", "--data", data, writeImportFile(t, 1)}, nil, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "in use by another portal process") {
		t.Errorf("import into a held folder: %v", err)
	}
}

// TestServeDemoOnFreshFolder starts the real server with --demo on an empty data
// folder, checks that a demo login works, and stops it as SIGTERM would.
func TestServeDemoOnFreshFolder(t *testing.T) {
	data := filepath.Join(t.TempDir(), "fresh")
	// The demo is dated from one fixed day, and its states are checked at that day.
	demoDay := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	clock = func() time.Time { return demoDay }
	t.Cleanup(func() { clock = time.Now })
	s := startServe(t, "serve", "--demo", "--data", data)

	res, err := http.Get(s.base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("healthz: %d", res.StatusCode)
	}
	for _, want := range []string{"Demo logins", "marie@acme.example", "JWT100234", "admin@demo.example", "demo-password-1234"} {
		if !strings.Contains(s.stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, s.stdout.String())
		}
	}
	if err := s.stop(); err != nil {
		t.Fatalf("serve returned %v", err)
	}

	// The folder was closed cleanly and holds the demo: every support state, several
	// currencies, several licenses in one order.
	store := openStore(t, data)
	defer store.Close()
	states, currencies := map[domain.SupportState]bool{}, map[string]bool{}
	now := demoDay
	for _, email := range []string{"marie@acme.example", "john@northwind.example", "hana@sakura.example", "lukas@bergmann.example"} {
		licenses, err := store.LicensesByEmail(context.Background(), email)
		if err != nil || len(licenses) == 0 {
			t.Fatalf("demo licenses of %s: %v", email, err)
		}
		for _, l := range licenses {
			states[l.Support(now)] = true
		}
		orders, _ := store.OrdersByEmail(context.Background(), email)
		for _, o := range orders {
			currencies[o.Currency] = true
		}
	}
	if len(states) != 3 || len(currencies) < 3 {
		t.Errorf("demo states %v, currencies %v", states, currencies)
	}
}

// safeBuffer is a bytes.Buffer that the server goroutine and the test may share.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *safeBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// BenchmarkImport100kOrders measures "portal import" of a 100,000-order file into an
// empty data folder: go test -run '^$' -bench Import100k -benchtime 1x .
func BenchmarkImport100kOrders(b *testing.B) {
	var file strings.Builder
	for i := range 100_000 {
		file.WriteString(orderLine(fmt.Sprintf("JWT%d", 1_000_000+i), fmt.Sprintf("customer%d@example.com", i%20_000)) + "\n")
	}
	path := filepath.Join(b.TempDir(), "orders.jsonl")
	if err := os.WriteFile(path, []byte(file.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		var out bytes.Buffer
		if err := run(context.Background(), []string{"import", "--data", b.TempDir(), path}, nil, &out, io.Discard); err != nil {
			b.Fatal(err)
		}
		if !strings.Contains(out.String(), "imported: 100000") {
			b.Fatalf("report:\n%s", out.String())
		}
	}
	b.ReportMetric(float64(100_000*b.N)/b.Elapsed().Seconds(), "orders/s")
}

// TestVerifyCommand checks files offline as "portal verify" does: a good file, a
// file changed by one bit, one signed by another key, and no license file at all.
func TestVerifyCommand(t *testing.T) {
	data := t.TempDir()
	key, created, err := storage.SigningKey(data)
	if err != nil || !created {
		t.Fatalf("signing key: %v created=%v", err, created)
	}
	info, _ := os.Stat(filepath.Join(data, storage.SigningKeyFile))
	if info.Mode().Perm() != 0o600 {
		t.Errorf("signing key mode %v, want 0600", info.Mode().Perm())
	}
	again, created, err := storage.SigningKey(data)
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
	store := openStore(t, restored)
	if n, _ := store.OrderCount(ctx); n != 3 {
		t.Errorf("restored %d orders", n)
	}
	if u, found, _ := store.StaffUser(ctx, "ada@vendor.example"); !found || u.Role != domain.RoleAdmin || !domain.CheckPassword(u.PasswordHash, "correct horse battery") {
		t.Errorf("restored staff account: %+v", u)
	}
	store.Close()

	// While a server holds the folder, backup says how to do it instead.
	held := openStore(t, data)
	defer held.Close()
	err = run(ctx, []string{"backup", "--data", data, filepath.Join(dir, "b2")}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "admin pages") {
		t.Errorf("backup of a held folder: %v", err)
	}
}
