package views

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"

	"github.com/a-h/templ"
)

// sharedLangMenus keeps the HTML of the language menu whose links are
// relative ("?lang=fr"), per current language: every page without a query
// shows that same menu, so it is rendered once, not on each page view.
var sharedLangMenus sync.Map // language code → []byte

// LangMenu offers the portal's languages, each named in itself; a link sets
// the lang cookie and comes back to the same page.
func LangMenu(langs []LangLinkData) templ.Component {
	if len(langs) == 0 || !strings.HasPrefix(langs[0].Href, "?") {
		return langMenu(langs)
	}
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		key := langCode(ctx)
		html, ok := sharedLangMenus.Load(key)
		if !ok {
			var buf bytes.Buffer
			if err := langMenu(langs).Render(ctx, &buf); err != nil {
				return err
			}
			html, _ = sharedLangMenus.LoadOrStore(key, buf.Bytes())
		}
		_, err := w.Write(html.([]byte))
		return err
	})
}
