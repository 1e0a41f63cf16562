package invoicepdf

import (
	"fmt"
	"strings"

	"github.com/signintech/gopdf"

	"portal/views"
)

// A4 in points (as gopdf.PageSizeA4 has it), and the frame that text stays within.
const (
	pageWidth    = 595.0
	pageHeight   = 842.0
	marginLeft   = 50.0
	marginRight  = pageWidth - 50
	marginTop    = 50.0
	marginBottom = pageHeight - 60 // text ends above the footer
	footerTop    = pageHeight - 40
	contentWidth = marginRight - marginLeft
)

type rgb struct{ r, g, b uint8 }

var (
	black = rgb{0, 0, 0}
	grey  = rgb{90, 90, 90}
	red   = rgb{170, 0, 0}
	rule  = rgb{190, 190, 190}
)

// document is one PDF being laid out from top to bottom: y is where the next
// line starts. The first error sticks and later drawing does nothing, so
// layout code reads as a list of lines and Render reports the error once.
type document struct {
	pdf *gopdf.GoPdf
	y   float64
	err error
	// labels are the items table's column headings, repeated on every page.
	labels views.InvoiceLabelsData
}

func newDocument(info gopdf.PdfInfo) (*document, error) {
	fonts, err := sharedFonts()
	if err != nil {
		return nil, err
	}
	pdf := new(gopdf.GoPdf)
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	pdf.SetInfo(info)
	for _, family := range []string{regular, bold} {
		if err := pdf.AddTTFFontFromFontContainer(family, fonts); err != nil {
			return nil, fmt.Errorf("invoicepdf: add font %s: %w", family, err)
		}
	}
	d := &document{pdf: pdf}
	d.newPage()
	return d, nil
}

func (d *document) fail(err error) {
	if d.err == nil && err != nil {
		d.err = fmt.Errorf("invoicepdf: %w", err)
	}
}

func (d *document) newPage() {
	d.pdf.AddPage()
	d.y = marginTop
}

// fits says whether h more points fit on the page.
func (d *document) fits(h float64) bool { return d.y+h <= marginBottom }

// keep starts a new page unless h more points fit on this one; it says
// whether it did.
func (d *document) keep(h float64) bool {
	if d.fits(h) {
		return false
	}
	d.newPage()
	return true
}

func (d *document) font(family string, size float64, color rgb) {
	if d.err != nil {
		return
	}
	d.fail(d.pdf.SetFont(family, "", size))
	d.pdf.SetTextColor(color.r, color.g, color.b)
}

// text draws s with its top at (x, y).
func (d *document) text(x, y float64, s string) {
	if d.err != nil || s == "" {
		return
	}
	d.pdf.SetXY(x, y)
	d.fail(d.pdf.Cell(nil, s))
}

// textRight draws s with its top right corner at (right, y).
func (d *document) textRight(right, y float64, s string) {
	d.text(right-d.width(s), y, s)
}

func (d *document) width(s string) float64 {
	if d.err != nil || s == "" {
		return 0
	}
	w, err := d.pdf.MeasureTextWidth(s)
	d.fail(err)
	return w
}

func (d *document) line(x1, y1, x2, y2 float64, color rgb) {
	d.pdf.SetStrokeColor(color.r, color.g, color.b)
	d.pdf.SetLineWidth(0.5)
	d.pdf.Line(x1, y1, x2, y2)
}

// wrap breaks s into lines no wider than width in the current font, between
// words, and inside a word only when the word alone is wider.
func (d *document) wrap(s string, width float64) []string {
	var lines []string
	current := ""
	for _, word := range strings.Fields(s) {
		candidate := word
		if current != "" {
			candidate = current + " " + word
		}
		if d.width(candidate) <= width {
			current = candidate
			continue
		}
		if current != "" {
			lines = append(lines, current)
		}
		pieces := d.breakWord(word, width)
		lines = append(lines, pieces[:len(pieces)-1]...)
		current = pieces[len(pieces)-1]
	}
	if current != "" {
		lines = append(lines, current)
	}
	return lines
}

// breakWord cuts a word into pieces no wider than width (a piece holds at
// least one character, so a too narrow width still ends).
func (d *document) breakWord(word string, width float64) []string {
	var pieces []string
	var piece []rune
	for _, r := range word {
		if len(piece) > 0 && d.width(string(append(piece, r))) > width {
			pieces = append(pieces, string(piece))
			piece = piece[:0]
		}
		piece = append(piece, r)
	}
	return append(pieces, string(piece))
}

// numberPages writes "page / pages" at the foot of every page, with the
// invoice number so that each sheet names its invoice; a one-page document
// needs neither.
func (d *document) numberPages(number string) {
	pages := d.pdf.GetNumberOfPages()
	if pages < 2 || d.err != nil {
		return
	}
	for page := 1; page <= pages; page++ {
		d.fail(d.pdf.SetPage(page))
		d.font(regular, 8, grey)
		d.text(marginLeft, footerTop, number)
		d.textRight(marginRight, footerTop, fmt.Sprintf("%d / %d", page, pages))
	}
}
