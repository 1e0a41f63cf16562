package invoicepdf

import (
	"fmt"
	"sync"

	"github.com/signintech/gopdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// Font families as the documents name them. The Go fonts (BSD licence) carry
// the accents, the euro sign and the dashes that invoices print.
const (
	regular = "goregular"
	bold    = "gobold"
)

// sharedFonts parses the fonts once. Each document copies a font from the
// container with a glyph map of its own and only reads the parsed tables, so
// concurrent Renders share them safely.
var sharedFonts = sync.OnceValues(func() (*gopdf.FontContainer, error) {
	fonts := new(gopdf.FontContainer)
	if err := fonts.AddTTFFontData(regular, goregular.TTF); err != nil {
		return nil, fmt.Errorf("invoicepdf: parse %s: %w", regular, err)
	}
	if err := fonts.AddTTFFontData(bold, gobold.TTF); err != nil {
		return nil, fmt.Errorf("invoicepdf: parse %s: %w", bold, err)
	}
	return fonts, nil
})
