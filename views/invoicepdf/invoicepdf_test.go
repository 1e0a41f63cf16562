package invoicepdf_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"portal/i18n"
	"portal/views"
	"portal/views/invoicepdf"
)

// fullInvoice has every field set, with the accents and euro signs that must
// survive into the PDF.
func fullInvoice() views.InvoiceData {
	return views.InvoiceData{
		Labels:    views.InvoiceLabels(i18n.Builtin().English),
		Title:     "Invoice",
		Number:    "INV-2026-0043",
		Issued:    "2026-11-27",
		OrderRef:  "JWT100234",
		OrderDate: "2026-11-20",
		Seller: views.PartyData{Name: "Logiciels Dupré SARL",
			Lines: []string{"12 rue de l'Église, Boîte 3", "67000 Strasbourg", "France"}, VATID: "FR40303265045"},
		Buyer: views.PartyData{Name: "Acme Österreich GmbH",
			Lines: []string{"Attn. Marie Weiß", "Hauptstraße 5", "1010 Wien", "Austria"}, VATID: "ATU12345678"},
		PONumber: "PO-7781",
		Currency: "EUR",
		Items: []views.InvoiceItemData{
			{Description: "Remote Work Standard – 5 postes à 90,00 €", Quantity: "1", UnitPrice: "EUR 450.00", Amount: "EUR 450.00"},
			{Description: "Support renewal, 12 months", Quantity: "3", UnitPrice: "EUR 1,200.00", Amount: "EUR 3,600.00"},
		},
		Net:      "EUR 4,050.00",
		TaxLabel: "VAT 0%",
		Tax:      "EUR 0.00",
		TaxNote:  "Reverse charge",
		Gross:    "EUR 4,050.00",
	}
}

// tool is the path of a poppler-utils program: the test skips without it,
// and fails when CI is set (the test command installs it).
func tool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s not found (Debian's poppler-utils); CI is set, so this fails", name)
	}
	t.Skipf("%s not found: install Debian's poppler-utils to run this test", name)
	return ""
}

// renderFile writes d's PDF into a temporary file and returns its path.
func renderFile(t *testing.T, d views.InvoiceData) string {
	t.Helper()
	var b bytes.Buffer
	if err := invoicepdf.Render(&b, d); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "invoice.pdf")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// run runs a poppler-utils program on a file and returns what it printed.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(tool(t, name), args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}

// pages is the PDF read back as a user reads it, page by page, each line's
// runs of spaces made one (pdftotext -layout spaces out columns).
func pages(t *testing.T, d views.InvoiceData) []string {
	t.Helper()
	text := run(t, "pdftotext", "-layout", renderFile(t, d), "-")
	pages := strings.Split(strings.TrimSuffix(text, "\f"), "\f")
	for i, page := range pages {
		lines := strings.Split(page, "\n")
		for j, line := range lines {
			lines[j] = strings.Join(strings.Fields(line), " ")
		}
		pages[i] = strings.Join(lines, "\n")
	}
	return pages
}

func assertContains(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF lacks %q; it reads:\n%s", w, text)
		}
	}
}

func TestRenderFullInvoice(t *testing.T) {
	got := pages(t, fullInvoice())
	if len(got) != 1 {
		t.Fatalf("%d pages, want 1", len(got))
	}
	assertContains(t, got[0],
		"Invoice\n", "Invoice number INV-2026-0043", "Date of issue 2026-11-27", "Order JWT100234",
		"Date of supply 2026-11-20", "PO number PO-7781",
		"Seller\nLogiciels Dupré SARL\n12 rue de l'Église, Boîte 3\n67000 Strasbourg\nFrance\nVAT ID: FR40303265045",
		"Bill to\nAcme Österreich GmbH\nAttn. Marie Weiß\nHauptstraße 5\n1010 Wien\nAustria\nVAT ID: ATU12345678",
		"Description Qty Unit price Amount",
		"Remote Work Standard – 5 postes à 90,00 € 1 EUR 450.00 EUR 450.00",
		"Support renewal, 12 months 3 EUR 1,200.00 EUR 3,600.00",
		"Net EUR 4,050.00\nVAT 0% EUR 0.00\nTotal EUR 4,050.00\nReverse charge")
	for _, absent := range []string{"Replaces", "Corrected", "Seller details are not set", "1 / 1"} {
		if strings.Contains(got[0], absent) {
			t.Errorf("a complete one-page invoice shows %q", absent)
		}
	}
}

func TestRenderVariants(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*views.InvoiceData)
		want   []string
		absent []string
	}{
		{"Corrected", func(d *views.InvoiceData) { d.Title, d.Replaces = "Corrected invoice", "INV-2026-0042" },
			[]string{"Corrected invoice\n", "Replaces INV-2026-0042"}, nil},
		{"SellerMissing", func(d *views.InvoiceData) { d.Seller, d.SellerMissing = views.PartyData{}, true },
			[]string{"Seller\nSeller details are not set: ask the vendor for a complete invoice.\n"}, []string{"FR40303265045"}},
		{"WithoutTax", func(d *views.InvoiceData) { d.TaxLabel, d.Tax, d.TaxNote = "", "", "" },
			[]string{"Net EUR 4,050.00\nTotal EUR 4,050.00"}, []string{"VAT 0%", "Reverse charge"}},
		{"Tax", func(d *views.InvoiceData) {
			d.TaxLabel, d.Tax, d.TaxNote, d.Gross = "VAT 20%", "EUR 810.00", "", "EUR 4,860.00"
		}, []string{"Net EUR 4,050.00\nVAT 20% EUR 810.00\nTotal EUR 4,860.00"}, []string{"Reverse charge"}},
		{"NoBuyerVATOrPONumber", func(d *views.InvoiceData) { d.Buyer.VATID, d.PONumber, d.OrderDate = "", "", "" },
			[]string{"Austria\n"}, []string{"ATU12345678", "PO number", "Date of supply"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := fullInvoice()
			tc.change(&d)
			got := strings.Join(pages(t, d), "\f")
			assertContains(t, got, tc.want...)
			for _, a := range tc.absent {
				if strings.Contains(got, a) {
					t.Errorf("the PDF shows %q; it reads:\n%s", a, got)
				}
			}
		})
	}
}

// longText is n characters of distinct words (prefix, "w", a number), so
// that each word's place in the text can be checked.
func longText(prefix string, n int) string {
	var b strings.Builder
	for w := 0; b.Len() < n-10; w++ {
		fmt.Fprintf(&b, "%sw%02d ", prefix, w)
	}
	return b.String() + strings.Repeat("x", n-b.Len())
}

// longDescription is the 200-character description of item i.
func longDescription(i int) string { return longText(fmt.Sprintf("i%03d", i), 200) }

// wordsInOrder reports the first word of s that text lacks, or that comes
// before the word preceding it.
func wordsInOrder(text, s string) (missing string, ok bool) {
	at := 0
	for _, word := range strings.Fields(s) {
		i := strings.Index(text[at:], word)
		if i < 0 {
			return word, false
		}
		at += i + len(word)
	}
	return "", true
}

// TestRenderWrapsLongTexts: a description and an address line of 200
// characters each wrap onto several lines, every word kept in order.
func TestRenderWrapsLongTexts(t *testing.T) {
	d := fullInvoice()
	desc, address := longDescription(7), longText("addr", 200)
	d.Items = append(d.Items, views.InvoiceItemData{Description: desc, Quantity: "2", UnitPrice: "EUR 10.00", Amount: "EUR 20.00"})
	d.Buyer.Lines = append([]string{address}, d.Buyer.Lines...)
	got := pages(t, d)[0]
	for _, text := range []string{desc, address} {
		if len(text) != 200 {
			t.Fatalf("%q has %d characters, want 200", text, len(text))
		}
		if word, ok := wordsInOrder(got, text); !ok {
			t.Fatalf("%q missing or out of order in:\n%s", word, got)
		}
		prefix := text[:5]
		if lines := strings.Count(got, "\n"+prefix); lines < 2 {
			t.Errorf("the 200 characters starting %q take %d line, want them wrapped:\n%s", prefix, lines, got)
		}
	}
	assertContains(t, got, "\ni007w00 ", " 2 EUR 10.00 EUR 20.00\n", "Bill to\nAcme Österreich GmbH\naddrw00 ")
}

func hundredItems() views.InvoiceData {
	d := fullInvoice()
	d.Items = nil
	for i := range 100 {
		d.Items = append(d.Items, views.InvoiceItemData{Description: longDescription(i),
			Quantity: "1", UnitPrice: "EUR 9.00", Amount: "EUR 9.00"})
	}
	return d
}

func TestRenderPaginates(t *testing.T) {
	got := pages(t, hundredItems())
	if len(got) < 2 {
		t.Fatalf("100 items with long descriptions fit on %d page", len(got))
	}
	all := strings.Join(got, "\f")
	for i := range 100 {
		if word, ok := wordsInOrder(all, longDescription(i)); !ok {
			t.Errorf("item %d: %q missing or out of order", i, word)
		}
	}
	for n, page := range got {
		assertContains(t, page, "Description Qty Unit price Amount", fmt.Sprintf("INV-2026-0043 %d / %d", n+1, len(got)))
		last := n == len(got)-1
		totals, note := strings.Contains(page, "Total EUR"), strings.Contains(page, "Reverse charge")
		if totals != last || note != last {
			t.Errorf("page %d of %d: totals shown %v, tax note shown %v, want %v", n+1, len(got), totals, note, last)
		}
	}
	if c := strings.Count(all, "Total EUR 4,050.00"); c != 1 {
		t.Errorf("the total appears %d times, want once", c)
	}
}
