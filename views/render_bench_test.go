package views

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"portal/domain"
)

// BenchmarkLicensesPage renders the licenses page of a customer with 18
// licenses, the heaviest page a customer reads: go test -bench . ./views
func BenchmarkLicensesPage(b *testing.B) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	var licenses []domain.License
	for i := range 18 {
		licenses = append(licenses, domain.License{ID: fmt.Sprintf("JWT1%05d-%d", i, i%3+1), OrderRef: fmt.Sprintf("JWT1%05d", i),
			Software: "Remote Work", Edition: "Standard", Users: 5, Serial: "PC-" + fmt.Sprint(i),
			PurchasedAt: now.AddDate(0, -i, 0), SupportStart: now.AddDate(0, -i, 0), SupportEnd: now.AddDate(1, -i, 0), Version: 2})
	}
	m := LayoutData{Brand: "Customer Portal", SupportEmail: "support@example.com", Title: "Licenses", CSRF: "_Mx6u9_423kkwwAhxMZP3waXtej_qqESGkI7rH6j7cw", Email: "marie@acme.example", Nav: "licenses"}
	b.Run("rendered", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rows := NewLicenseRowDataList(licenses, now, m.CSRF)
			if err := LicensesPage(m, LicenseListRows(NewRenderCache(0), rows)).Render(context.Background(), io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		cache := NewRenderCache(1024)
		b.ReportAllocs()
		for b.Loop() {
			rows := NewLicenseRowDataList(licenses, now, m.CSRF)
			if err := LicensesPage(m, LicenseListRows(cache, rows)).Render(context.Background(), io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	})
}
