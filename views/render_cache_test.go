package views

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"

	"portal/domain"
	"portal/i18n"
)

// TestLicenseRowKeyNamesEveryField: the render cache gives a row's HTML back by
// its key, so the key must change with every field the row is made of; a field
// added later and forgotten in the key fails here.
func TestLicenseRowKeyNamesEveryField(t *testing.T) {
	base := LicenseRowData{ID: "JWT1-1", SyncChanges: []domain.Change{{Field: domain.FieldUsers, Before: "5", After: "8"}}}
	v := reflect.ValueOf(&base).Elem()
	for i := range v.NumField() {
		changed := base
		f := reflect.ValueOf(&changed).Elem().Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString(f.String() + "x")
		case reflect.Int:
			f.SetInt(f.Int() + 1)
		case reflect.Bool:
			f.SetBool(!f.Bool())
		case reflect.Slice:
			f.Set(reflect.ValueOf([]domain.Change{{Field: domain.FieldSerial, After: "PC-1"}}))
		case reflect.Struct: // time.Time
			f.Set(reflect.ValueOf(time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC)))
		default:
			t.Fatalf("field %s of kind %s: teach this test", v.Type().Field(i).Name, f.Kind())
		}
		if changed.key() == base.key() {
			t.Errorf("the row key does not change with %s", v.Type().Field(i).Name)
		}
	}
}

// TestCachedRowIsTheRenderedRow: a row from the cache is byte for byte the row
// rendered afresh, and another row's data gives other HTML.
func TestCachedRowIsTheRenderedRow(t *testing.T) {
	cache := NewRenderCache(8)
	row := LicenseRowData{ID: "JWT1-1", Software: "Remote Work", Users: 5, CSRF: "tok"}
	render := func(c templ.Component) string {
		var b strings.Builder
		if err := c.Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	fresh := render(LicenseListRow(row))
	for range 3 {
		if got := render(LicenseListRows(cache, []LicenseRowData{row})[0]); got != fresh {
			t.Fatalf("cached row differs:\n%s\n%s", got, fresh)
		}
	}
	row.Users = 8
	if got := render(LicenseListRows(cache, []LicenseRowData{row})[0]); got == fresh || !strings.Contains(got, ">8 <") {
		t.Errorf("a changed row came back as the old one: %s", got)
	}
}

// TestCachedRowsAreKeptPerLanguage: the same row's HTML in French is not the
// English one, so the cache must not give one for the other.
func TestCachedRowsAreKeptPerLanguage(t *testing.T) {
	cache := NewRenderCache(8)
	row := LicenseRowData{ID: "JWT1-1", Software: "Remote Work", Users: 5, Workstations: true, CSRF: "tok"}
	render := func(code string) string {
		l, _ := i18n.Builtin().Lang(code)
		var b strings.Builder
		if err := LicenseListRows(cache, []LicenseRowData{row})[0].Render(i18n.WithLang(context.Background(), l), &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	for range 2 {
		if fr := render("fr"); !strings.Contains(fr, "Actualiser votre licence") || !strings.Contains(fr, "postes") {
			t.Errorf("the French row is not French: %s", fr)
		}
		if en := render("en"); !strings.Contains(en, "Refresh your License") || !strings.Contains(en, "workstations") {
			t.Errorf("the English row is not English: %s", en)
		}
	}
}

// TestOrderRowKeyNamesEveryField: as for license rows, an order row's key
// changes with every field of the row, down to the parts of its total.
func TestOrderRowKeyNamesEveryField(t *testing.T) {
	base := OrderRowData{Reference: "JWT100234", Total: domain.Money{Amount: 1000, Currency: "EUR"}}
	v := reflect.ValueOf(&base).Elem()
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		var variants []OrderRowData
		changed := base
		f := reflect.ValueOf(&changed).Elem().Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString(f.String() + "x")
			variants = append(variants, changed)
		case reflect.Bool:
			f.SetBool(!f.Bool())
			variants = append(variants, changed)
		case reflect.Struct:
			switch f.Interface().(type) {
			case time.Time:
				f.Set(reflect.ValueOf(time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC)))
				variants = append(variants, changed)
			case domain.Money:
				amount, currency := base, base
				amount.Total.Amount++
				currency.Total.Currency = "USD"
				variants = append(variants, amount, currency)
			default:
				t.Fatalf("field %s of type %s: teach this test", name, f.Type())
			}
		default:
			t.Fatalf("field %s of kind %s: teach this test", name, f.Kind())
		}
		for _, c := range variants {
			if c.key() == base.key() {
				t.Errorf("the order row key does not change with %s", name)
			}
		}
	}
}
