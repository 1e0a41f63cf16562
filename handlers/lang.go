package handlers

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/i18n"
	"portal/views"
)

// langCookie holds the language chosen from the menu, for a year. It is the
// browser's choice, not the customer's: staff and customers on one browser
// share it, and nothing is stored on the server.
const (
	langCookie = "lang"
	langTTL    = 365 * 24 * time.Hour
)

// chooseLanguage puts the request's language in its context: the one chosen
// from the menu (?lang=fr sets the cookie, then the same page again without
// it), else the cookie's, else the best of Accept-Language by its quality
// values, else English. A language the portal does not have counts as none.
func (h *Handler) chooseLanguage(c *fiber.Ctx) error {
	if code := c.Query("lang"); code != "" && (c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead) {
		if l, ok := h.langs.Lang(code); ok {
			h.setCookie(c, langCookie, l.Code, langTTL)
		}
		return c.Redirect(withoutLang(c), fiber.StatusSeeOther)
	}
	l, ok := h.langs.Lang(c.Cookies(langCookie))
	if !ok {
		l = h.langs.Match(c.Get(fiber.HeaderAcceptLanguage))
	}
	c.SetUserContext(i18n.WithLang(c.UserContext(), l))
	// The page differs by both: a shared cache must not serve one reader's
	// language to another.
	c.Vary(fiber.HeaderAcceptLanguage, fiber.HeaderCookie)
	return c.Next()
}

// withoutLang is the request's path and query without lang=.
func withoutLang(c *fiber.Ctx) string {
	q, _ := url.ParseQuery(string(c.Request().URI().QueryString()))
	q.Del("lang")
	if len(q) == 0 {
		return localPath(c.Path())
	}
	return localPath(c.Path()) + "?" + q.Encode()
}

// localPath is path as a link that stays on this site: a path that begins
// "//" or "/\" is another site's address to a browser (//evil.example/x),
// which a redirect or a menu link must never become.
func localPath(path string) string {
	return "/" + strings.TrimLeft(path, "/\\")
}

// langMenu is the language menu of this page: each language's link back to
// the page in it. A page that answers a POST links to the home page instead.
// A page without a query links relatively ("?lang=fr" is this page in
// French), so that its menu is the same on every page and rendered once.
func (h *Handler) langMenu(c *fiber.Ctx) []views.LangLinkData {
	current := lang(c).Code
	if c.Method() != fiber.MethodGet {
		return h.menuLinks(current, "/?")
	}
	qs := c.Request().URI().QueryString()
	if len(qs) == 0 {
		return h.relativeMenus[current]
	}
	query, _ := url.ParseQuery(string(qs))
	query.Del("lang")
	page := localPath(c.Path()) + "?"
	if len(query) > 0 {
		page += query.Encode() + "&"
	}
	return h.menuLinks(current, page)
}

// menuLinks is the language menu whose links are page followed by lang=.
func (h *Handler) menuLinks(current, page string) []views.LangLinkData {
	links := make([]views.LangLinkData, 0, len(h.langs.Langs()))
	for _, l := range h.langs.Langs() {
		links = append(links, views.LangLinkData{Code: l.Code, Name: l.Name, Href: page + "lang=" + l.Code, Current: l.Code == current})
	}
	return links
}

// lang is the request's language.
func lang(c *fiber.Ctx) *i18n.Lang { return i18n.FromContext(c.UserContext()) }

// t is the message key in the request's language: a flash note, a page title.
func t(c *fiber.Ctx, key string, args ...any) string { return lang(c).T(key, args...) }

// message is what err says to the user, in the request's language.
func message(c *fiber.Ctx, err error) string { return views.Message(c.UserContext(), err) }

// userError is an error of kind whose message is the key in the message
// files: shown in the reader's language, with its English for logs and the
// licensing API.
func userError(kind domain.Kind, key string, args ...any) *domain.Error {
	return &domain.Error{Kind: kind, Key: key, Args: args, Message: i18n.Builtin().English.T(key, args...)}
}
