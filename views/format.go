package views

import (
	"strconv"
	"strings"

	"github.com/a-h/templ"
)

func itoa(n int) string { return strconv.Itoa(n) }

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// flashRole is how assistive technology treats a flash: an error interrupts, an
// info is news, a warning is a standing notice of the page.
func flashRole(kind string) string {
	switch kind {
	case "error":
		return "alert"
	case "warning":
		return "note"
	default:
		return "status"
	}
}

// htmxConfig keeps htmx within the CSP (no eval, no inline styles or scripts) and
// lets it swap 4xx answers, whose bodies are messages meant for the user.
const htmxConfig = `{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,` +
	`"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},` +
	`{"code":"4..","swap":true,"error":false},{"code":"...","swap":false,"error":true}]}`

func joinChanges(changes []string) string { return strings.Join(changes, "; ") }

// staffRows reports whether rows are staff search results rather than a
// customer's orders.
func staffRows(rows []OrderRowData) bool { return len(rows) > 0 && rows[0].ForStaff }

// currentPage marks the navigation link of the page shown (aria-current="page").
func currentPage(current bool) templ.Attributes {
	if current {
		return templ.Attributes{"aria-current": "page"}
	}
	return nil
}
