package domain_test

import (
	"strings"
	"testing"

	"portal/domain"
)

func TestParseImportLineRejects(t *testing.T) {
	tests := []struct {
		name    string
		line    func(t *testing.T) string
		wantErr []string // words the reason must hold
	}{
		{name: "total differs from the items", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { m["total"] = 50000 }) }, wantErr: []string{"total", "50000", "45000"}},
		{name: "total of zero with paid items", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { m["total"] = 0 }) }, wantErr: []string{"total"}},
		{name: "unknown field", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { m["colour"] = "red" }) }, wantErr: []string{"unknown field", `"colour"`}},
		{name: "unknown field in a license", line: func(t *testing.T) string {
			return orderLine(t, func(m map[string]any) { firstLicense(m)["seats"] = 5 })
		}, wantErr: []string{`"seats"`}},
		{name: "unknown field in an item", line: func(t *testing.T) string {
			return orderLine(t, func(m map[string]any) { m["items"].([]any)[0].(map[string]any)["vat"] = 20 })
		}, wantErr: []string{`"vat"`}},
		{name: "unknown kind", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { m["kind"] = "invoice" }) }, wantErr: []string{"kind", `"invoice"`}},
		{name: "missing kind", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { delete(m, "kind") }) }, wantErr: []string{"kind"}},
		{name: "empty kind", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { m["kind"] = "" }) }, wantErr: []string{"kind"}},
		{name: "kind is a number", line: func(t *testing.T) string { return `{"kind":1}` }, wantErr: []string{"kind"}},
		{name: "truncated JSON", line: func(t *testing.T) string { return exampleOrder[:60] }, wantErr: []string{"JSON"}},
		{name: "not JSON at all", line: func(t *testing.T) string { return "reference;date;name" }, wantErr: []string{"JSON"}},
		{name: "JSON array", line: func(t *testing.T) string { return "[" + exampleOrder + "]" }, wantErr: []string{"JSON"}},
		{name: "two objects on a line", line: func(t *testing.T) string { return exampleOrder + " " + exampleOrder }, wantErr: []string{"JSON"}},
		{name: "quantity as a string", line: func(t *testing.T) string {
			return orderLine(t, func(m map[string]any) { m["items"].([]any)[0].(map[string]any)["quantity"] = "1" })
		}, wantErr: []string{"quantity"}},
		{name: "date without a time", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { m["date"] = "2026-03-14" }) }, wantErr: []string{"date", "2026-03-14"}},
		{name: "date in another format", line: func(t *testing.T) string {
			return orderLine(t, func(m map[string]any) { m["date"] = "14/03/2026 10:22" })
		}, wantErr: []string{"date"}},
		{name: "missing date", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { delete(m, "date") }) }, wantErr: []string{"date"}},
		{name: "support start not a date", line: func(t *testing.T) string {
			return orderLine(t, func(m map[string]any) { firstLicense(m)["support_start"] = "14.03.2026" })
		}, wantErr: []string{"license 1", "support_start"}},
		{name: "support end on a day that does not exist", line: func(t *testing.T) string {
			return orderLine(t, func(m map[string]any) { firstLicense(m)["support_end"] = "2027-02-30" })
		}, wantErr: []string{"license 1", "support_end"}},
		{name: "support end before its start", line: func(t *testing.T) string {
			return orderLine(t, func(m map[string]any) { firstLicense(m)["support_end"] = "2026-03-13" })
		}, wantErr: []string{"license 1", "support_end"}},
		{name: "zero licenses", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { m["licenses"] = []any{} }) }, wantErr: []string{"license"}},
		{name: "licenses missing", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { delete(m, "licenses") }) }, wantErr: []string{"license"}},
		{name: "license with zero users", line: func(t *testing.T) string {
			return orderLine(t, func(m map[string]any) { firstLicense(m)["users"] = 0 })
		}, wantErr: []string{"license 1", "users"}},
		{name: "bad reference", line: func(t *testing.T) string { return withRef(t, "100234") }, wantErr: []string{"reference", "100234"}},
		{name: "bad email", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { m["email"] = "marie" }) }, wantErr: []string{"email"}},
		{name: "bad country", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { m["country"] = "France" }) }, wantErr: []string{"country"}},
		{name: "no items", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { m["items"] = []any{} }) }, wantErr: []string{"item"}},
		{name: "activation key too short", line: func(t *testing.T) string {
			return orderLine(t, func(m map[string]any) { m["activation_key"] = "K7QX-3MPA" })
		}, wantErr: []string{"activation_key"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			keys := &keySource{}
			line := tc.line(t)
			p, o, err := domain.ParseImportLine([]byte(line), keys.newKey)
			if err == nil {
				t.Fatalf("ParseImportLine(%s) = %v, %v, nil; want an error", line, p, o)
			}
			if p != nil || o != nil {
				t.Errorf("rejected line still gave product %v, order %v", p, o)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("reason %q does not mention %s", err, w)
				}
			}
		})
	}
}

// TestParseImportLineKindGivenTwice: a line told at a glance by its first field
// must not carry another kind further on.
func TestParseImportLineKindGivenTwice(t *testing.T) {
	line := `{"kind":"order","kind":"product","software":"Remote Work","edition":"Standard","currency":"EUR","seat_price":0,"support_price_per_seat_year":0}`
	if p, o, err := domain.ParseImportLine([]byte(line), (&keySource{}).newKey); err == nil {
		t.Fatalf("accepted: %v %v", p, o)
	}
}
