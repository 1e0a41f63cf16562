package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportCommandRefusesAWholeLineForItsSecondLicense: "portal import" of a line
// whose first license is good and second is not stores nothing of that line (no
// order, no license, no index entry), and imports the lines around it.
func TestImportCommandRefusesAWholeLineForItsSecondLicense(t *testing.T) {
	ctx := context.Background()
	good := orderLine("JWT300001", "marie@acme.example")
	firstLicense := `{"software":"Remote Work","edition":"Standard","users":5,"serial":"","support_start":"2026-03-14","support_end":"2027-03-14"}`
	badSecond := `{"software":"Remote Work","edition":"Standard","users":0,"serial":"PC-2","support_start":"2026-03-14","support_end":"2027-03-14"}`
	bad := strings.Replace(orderLine("JWT300002", "eve@two.example"), `"licenses":[`+firstLicense, `"licenses":[`+firstLicense+","+badSecond, 1)
	if bad == orderLine("JWT300002", "eve@two.example") {
		t.Fatal("the test line was not changed")
	}
	file := filepath.Join(t.TempDir(), "orders.jsonl")
	os.WriteFile(file, []byte(good+"\n"+bad+"\n"+orderLine("JWT300003", "marie@acme.example")+"\n"), 0o600)

	data := t.TempDir()
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"import", "--data", data, file}, nil, &out, &errOut); err != nil {
		t.Fatalf("import: %v\n%s", err, errOut.String())
	}
	for _, want := range []string{"lines read: 3", "imported: 2", "rejected: 1", "line 2: license 2: users"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}

	store := openTestStore(t, data)
	defer store.Close()
	if n, _ := store.OrderCount(ctx); n != 2 {
		t.Errorf("%d orders stored, want 2", n)
	}
	if _, found, _ := store.Order(ctx, "JWT300002"); found {
		t.Error("the refused line's order was stored")
	}
	for _, id := range []string{"JWT300002-1", "JWT300002-2"} {
		if _, found, _ := store.License(ctx, id); found {
			t.Errorf("license %s of the refused line was stored", id)
		}
	}
	if orders, _ := store.OrdersByEmail(ctx, "eve@two.example"); len(orders) != 0 {
		t.Errorf("the refused line's email finds %d orders", len(orders))
	}
	if licenses, _ := store.LicensesByEmail(ctx, "marie@acme.example"); len(licenses) != 2 {
		t.Errorf("the good lines have %d licenses, want 2", len(licenses))
	}
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
	store := openTestStore(t, data)
	defer store.Close()
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"import", "--data", data, writeImportFile(t, 1)}, nil, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "in use by another portal process") {
		t.Errorf("import into a held folder: %v", err)
	}
}

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
