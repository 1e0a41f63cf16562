package main

import (
	"bytes"
	"context"
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

	store := openStore(t, data)
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
