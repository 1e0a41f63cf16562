package handlers_test

import (
	"net/http"
	"testing"
)

func TestSessionCookie(t *testing.T) {
	for _, secure := range []bool{false, true} {
		var opts []portalOption
		if secure {
			opts = append(opts, withSecureCookies)
		}
		p := newTestPortal(t, opts...)
		res := p.client(t).login("marie@acme.example", "JWT100234")
		var cookie *http.Cookie
		for _, ck := range res.Cookies() {
			if ck.Name == "portal_session" {
				cookie = ck
			}
		}
		if cookie == nil {
			t.Fatal("no session cookie")
		}
		if !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure != secure {
			t.Errorf("secure=%v: cookie HttpOnly=%v SameSite=%v Secure=%v", secure, cookie.HttpOnly, cookie.SameSite, cookie.Secure)
		}
		if len(cookie.Value) < 40 {
			t.Errorf("session token %q is too short", cookie.Value)
		}
	}
}

func TestSessionIsServerSide(t *testing.T) {
	p := newTestPortal(t)
	c := p.client(t)
	c.cookies["portal_session"] = "made-up-token"
	if res := c.get("/licenses"); res.StatusCode != 303 {
		t.Fatalf("a made-up session cookie opened the licenses page: %d", res.StatusCode)
	}
}

func TestLogout(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	stolen := c.cookies["portal_session"]
	c.get("/licenses")
	res := c.post("/logout", nil)
	if res.StatusCode != 303 || res.Header.Get("Location") != "/login" {
		t.Fatalf("logout: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := c.get("/licenses"); res.StatusCode != 303 {
		t.Errorf("after logout the licenses page answers %d", res.StatusCode)
	}
	// The old token must be dead on the server, not only forgotten by the browser.
	other := p.client(t)
	other.cookies["portal_session"] = stolen
	if res := other.get("/licenses"); res.StatusCode != 303 {
		t.Errorf("the session token still works after logout: %d", res.StatusCode)
	}
}
