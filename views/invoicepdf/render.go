// Package invoicepdf lays out an invoice (views.InvoiceData) as an A4 PDF, in
// process: gopdf writes it, with the Go fonts embedded; nothing is fetched and
// no program is run. The texts come formatted in the view model, so this
// package only places them, in the order the HTML invoice shows them.
package invoicepdf

import (
	"fmt"
	"io"

	"github.com/signintech/gopdf"

	"portal/views"
)

// Line heights and gaps, in points.
const (
	bodySize   = 10.0
	bodyLine   = 13.0
	blockGap   = 14.0
	labelWidth = 95.0 // at least; wider when a label is
)

// Render writes d as an A4 PDF to w. Each call builds its own document, so
// calls may run concurrently.
func Render(w io.Writer, d views.InvoiceData) error {
	doc, err := newDocument(gopdf.PdfInfo{
		Title:   d.Title + " " + d.Number,
		Creator: "Customer license portal",
	})
	if err != nil {
		return err
	}
	doc.title(d.Title)
	doc.facts(invoiceFacts(d))
	doc.party(d.Labels.Seller, d.Labels.VATID, d.Seller)
	if d.SellerMissing {
		// Such an invoice lacks what the law asks, and says so.
		doc.warning(d.Labels.SellerMissing)
	}
	doc.party(d.Labels.BillTo, d.Labels.VATID, d.Buyer)
	doc.items(d.Labels, d.Items)
	doc.totals(d)
	doc.numberPages(d.Number)
	if doc.err != nil {
		return doc.err
	}
	if _, err := doc.pdf.WriteTo(w); err != nil {
		return fmt.Errorf("invoicepdf: write: %w", err)
	}
	return nil
}

// fact is one labelled value under the title, such as the date of issue.
type fact struct{ label, value string }

// invoiceFacts are the invoice's identifying facts, those without a value left out.
func invoiceFacts(d views.InvoiceData) []fact {
	all := []fact{
		{d.Labels.Number, d.Number},
		{d.Labels.Issued, d.Issued},
		{d.Labels.Replaces, d.Replaces},
		{d.Labels.Order, d.OrderRef},
		{d.Labels.Supplied, d.OrderDate},
		{d.Labels.PONumber, d.PONumber},
	}
	facts := all[:0]
	for _, f := range all {
		if f.value != "" {
			facts = append(facts, f)
		}
	}
	return facts
}

func (d *document) title(title string) {
	d.font(bold, 20, black)
	d.text(marginLeft, d.y, title)
	d.y += 30
}

func (d *document) facts(facts []fact) {
	// The values line up after the widest label: labels are longer in some
	// languages ("N.º de orden de compra").
	width := labelWidth
	d.font(regular, bodySize, grey)
	for _, f := range facts {
		width = max(width, d.width(f.label)+12)
	}
	for _, f := range facts {
		d.keep(bodyLine)
		d.font(regular, bodySize, grey)
		d.text(marginLeft, d.y, f.label)
		d.font(regular, bodySize, black)
		d.paragraph(marginLeft+width, contentWidth-width, f.value)
	}
	d.y += blockGap
}

// party is a seller or buyer block under its heading: name, address lines
// and VAT number, each wrapped to the page's width.
func (d *document) party(heading, vatLabel string, p views.PartyData) {
	d.keep(2 * bodyLine)
	d.font(bold, 11, black)
	d.text(marginLeft, d.y, heading)
	d.y += bodyLine + 2
	d.font(bold, bodySize, black)
	d.paragraph(marginLeft, contentWidth, p.Name)
	d.font(regular, bodySize, black)
	for _, line := range p.Lines {
		d.paragraph(marginLeft, contentWidth, line)
	}
	if p.VATID != "" {
		d.paragraph(marginLeft, contentWidth, vatLabel+" "+p.VATID)
	}
	d.y += blockGap
}

// warning is a red line drawn close under the block it speaks of.
func (d *document) warning(text string) {
	d.y -= blockGap / 2
	d.font(bold, bodySize, red)
	d.paragraph(marginLeft, contentWidth, text)
	d.y += blockGap
}

// paragraph draws text wrapped to width from (x, y), one body line per line,
// starting a new page whenever a line would pass the bottom margin.
func (d *document) paragraph(x, width float64, text string) {
	for _, line := range d.wrap(text, width) {
		d.keep(bodyLine)
		d.text(x, d.y, line)
		d.y += bodyLine
	}
}
