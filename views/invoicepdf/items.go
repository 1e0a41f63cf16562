package invoicepdf

import "portal/views"

// The items table's columns: the description wraps within its width, the
// numbers are right-aligned on their column's right edge.
const (
	descriptionWidth = 245.0
	quantityRight    = marginLeft + 295
	unitPriceRight   = marginLeft + 395
	amountRight      = marginRight
	rowPadding       = 4.0
	headerHeight     = bodyLine + 2*rowPadding
)

// The totals sit under the amounts, their labels left-aligned at totalsLeft.
const (
	totalsLeft  = quantityRight - 15
	totalsWidth = marginRight - totalsLeft
)

// items draws the table, starting a page whenever the next row would pass
// the bottom margin, with the header again at the top of each new page.
func (d *document) items(labels views.InvoiceLabelsData, items []views.InvoiceItemData) {
	d.labels = labels
	d.keep(headerHeight + bodyLine + 2*rowPadding)
	d.itemsHeader()
	for _, item := range items {
		d.font(regular, bodySize, black)
		lines := d.wrap(item.Description, descriptionWidth)
		height := float64(max(len(lines), 1))*bodyLine + 2*rowPadding
		// A row taller than a whole page is split by itemRow instead.
		if !d.fits(height) && height <= marginBottom-marginTop-headerHeight {
			d.tableContinues()
		}
		d.itemRow(item, lines)
	}
	d.y += blockGap
}

func (d *document) itemsHeader() {
	d.font(bold, bodySize, black)
	top := d.y + rowPadding
	d.text(marginLeft, top, d.labels.Description)
	d.textRight(quantityRight, top, d.labels.Quantity)
	d.textRight(unitPriceRight, top, d.labels.UnitPrice)
	d.textRight(amountRight, top, d.labels.Amount)
	d.y += headerHeight
	d.line(marginLeft, d.y, marginRight, d.y, black)
}

func (d *document) tableContinues() {
	d.newPage()
	d.itemsHeader()
}

// itemRow draws one item: the numbers beside the description's first line,
// a thin rule under the row.
func (d *document) itemRow(item views.InvoiceItemData, lines []string) {
	d.font(regular, bodySize, black)
	d.y += rowPadding
	d.textRight(quantityRight, d.y, item.Quantity)
	d.textRight(unitPriceRight, d.y, item.UnitPrice)
	d.textRight(amountRight, d.y, item.Amount)
	if len(lines) == 0 {
		d.y += bodyLine
	}
	for _, line := range lines {
		if !d.fits(bodyLine + rowPadding) {
			d.tableContinues()
			d.font(regular, bodySize, black)
			d.y += rowPadding
		}
		d.text(marginLeft, d.y, line)
		d.y += bodyLine
	}
	d.y += rowPadding
	d.line(marginLeft, d.y, marginRight, d.y, rule)
}

// totals draws Net, the tax row when the order has tax, the Total, and the
// tax note (such as "Reverse charge") under them, all on one page.
func (d *document) totals(inv views.InvoiceData) {
	rows := []fact{{inv.Labels.Net, inv.Net}}
	if inv.TaxLabel != "" {
		rows = append(rows, fact{inv.TaxLabel, inv.Tax})
	}
	d.font(bold, bodySize, black)
	note := d.wrap(inv.TaxNote, totalsWidth)
	d.keep(float64(len(rows)+1+len(note))*bodyLine + 2*rowPadding)

	d.font(regular, bodySize, black)
	for _, row := range rows {
		d.totalRow(row)
	}
	d.line(totalsLeft, d.y, marginRight, d.y, black)
	d.y += rowPadding
	d.font(bold, bodySize, black)
	d.totalRow(fact{inv.Labels.Total, inv.Gross})
	d.y += rowPadding
	for _, line := range note {
		d.text(totalsLeft, d.y, line)
		d.y += bodyLine
	}
}

func (d *document) totalRow(row fact) {
	d.text(totalsLeft, d.y, row.label)
	d.textRight(marginRight, d.y, row.value)
	d.y += bodyLine
}
