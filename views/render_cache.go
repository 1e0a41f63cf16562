package views

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/a-h/templ"

	"portal/i18n"
)

// RenderCache keeps the HTML of components that are pure functions of their
// data, by a key that names all of that data, so that a page of many rows
// renders each row once rather than at every view (rendering was half the work
// of a licenses page). A key that names everything the HTML is made of can never
// give stale HTML; the cache only has to bound its memory.
type RenderCache struct {
	mu   sync.RWMutex
	html map[string][]byte
	max  int
}

// NewRenderCache keeps the HTML of at most max components.
func NewRenderCache(max int) *RenderCache {
	return &RenderCache{html: make(map[string][]byte), max: max}
}

// Component is build's component, its HTML kept under key and the language
// of the request it renders for (the same row in French is other HTML).
func (c *RenderCache) Component(key string, build func() templ.Component) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		key := i18n.FromContext(ctx).Code + "\x00" + key
		c.mu.RLock()
		html, ok := c.html[key]
		c.mu.RUnlock()
		if !ok {
			var buf bytes.Buffer
			if err := build().Render(ctx, &buf); err != nil {
				return err
			}
			html = buf.Bytes()
			c.mu.Lock()
			if len(c.html) >= c.max {
				// Forget an eighth at random (map order): cheap, and bounded.
				n := c.max / 8
				for k := range c.html {
					if n--; n < 0 {
						break
					}
					delete(c.html, k)
				}
			}
			c.html[key] = html
			c.mu.Unlock()
		}
		_, err := w.Write(html)
		return err
	})
}

// key names everything a license row's HTML is made of.
func (r LicenseRowData) key() string {
	itoa, b := strconv.Itoa, func(v bool) string { return strconv.FormatBool(v) }
	changes := make([]string, len(r.SyncChanges))
	for i, c := range r.SyncChanges {
		changes[i] = c.String()
	}
	return strings.Join([]string{r.ID, r.Software, r.Edition, itoa(r.Users), b(r.Workstations), r.Serial, r.OrderRef,
		strconv.FormatInt(r.PurchasedAt.UnixNano(), 10), itoa(r.SpanCount), string(r.SpanUnit), strconv.FormatInt(r.SupportEnd.UnixNano(), 10),
		string(r.State), itoa(r.DaysLeft), itoa(r.Version), r.CSRF, b(r.Synced), strconv.FormatInt(r.SyncedAt.UnixNano(), 10),
		strings.Join(changes, "\x01"), b(r.OOB), b(r.Upgradable), b(r.Renewable)}, "\x00")
}

// key is everything an order's row shows: the same key, the same HTML.
func (r OrderRowData) key() string {
	return strings.Join([]string{"order", r.Reference, strconv.FormatInt(r.Date.UnixNano(), 10), r.Name, r.Country, r.City,
		r.ContactName, r.Email, strconv.FormatInt(r.Total.Amount, 10), r.Total.Currency, r.InvoicePDF, r.UpgradeLicenseID,
		strconv.FormatBool(r.ForStaff), string(r.Matched)}, "\x00")
}

// cachedOrderRow is an order's row, its HTML kept in cache (nil: none).
func cachedOrderRow(cache *RenderCache, r OrderRowData) templ.Component {
	if cache == nil {
		return OrderRow(r)
	}
	return cache.Component(r.key(), func() templ.Component { return OrderRow(r) })
}

// LicenseListRows are the rows of the licenses page, rendered through cache.
func LicenseListRows(cache *RenderCache, rows []LicenseRowData) []templ.Component {
	out := make([]templ.Component, len(rows))
	for i, r := range rows {
		out[i] = cache.Component(r.key(), func() templ.Component { return LicenseListRow(r) })
	}
	return out
}
