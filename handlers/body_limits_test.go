package handlers_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"portal/domain"
)

func TestBodiesAreBoundedPerKindOfRoute(t *testing.T) {
	p := newTestPortal(t)
	p.addStaff(t, "ada@vendor.example", domain.RoleAdmin)
	p.addStaff(t, "sam@vendor.example", domain.RoleSupport)
	customer := p.signedIn(t)

	// A page's form: 64 KiB.
	big := url.Values{"email": {"marie@acme.example"}, "order": {"JWT100234"}, "pad": {strings.Repeat("x", 65<<10)}}
	if res := customer.post("/licenses/JWT100234-1/refresh", big); res.StatusCode != 413 {
		t.Errorf("a 65 KiB form: %d, want 413", res.StatusCode)
	}
	// The licensing API: 8 KiB, answered in JSON.
	body := keyBody(p.activationKey(t, "JWT100234"), strings.Repeat("S", 9<<10))
	if status, out, _ := p.api(t, "POST", "/api/v1/activate", body); status != 413 || out["error"] == nil {
		t.Errorf("a 9 KiB API request: %d %v", status, out)
	}
	// The webhook: 1 MiB.
	event := []byte(`{"pad":"` + strings.Repeat("x", 1<<20) + `"}`)
	if status, _ := p.deliver(t, event, sign(event, webhookSecret)); status != 413 {
		t.Errorf("a webhook over 1 MiB: %d, want 413", status)
	}
	// The import upload: 8 MiB, only for an admin.
	file := []byte(strings.Repeat(" ", 2<<20) + "\n")
	support := p.staff(t, "sam@vendor.example")
	support.get("/staff/orders")
	if res := support.upload("/admin/import", "file", "big.jsonl", file); res.StatusCode != 403 {
		t.Errorf("a 2 MiB upload by support: %d, want 403", res.StatusCode)
	}
	customer.get("/licenses")
	if res := customer.upload("/admin/import", "file", "big.jsonl", file); res.StatusCode != 303 {
		t.Errorf("a 2 MiB upload by a customer: %d, want 303 to the staff login", res.StatusCode)
	}
	admin := p.staff(t, "ada@vendor.example")
	admin.get("/admin/data")
	if res := admin.upload("/admin/import", "file", "big.jsonl", file); res.StatusCode == 413 {
		t.Errorf("a 2 MiB upload by an admin: %d", res.StatusCode)
	}
	if res := admin.upload("/admin/import", "file", "huge.jsonl", []byte(strings.Repeat(" ", 9<<20))); res.StatusCode != 413 {
		t.Errorf("a 9 MiB upload by an admin: %d, want 413", res.StatusCode)
	}
}

// TestTooLargeIsAnsweredBeforeTheBodyIsRead: a client that announces 100 MiB
// and sends a few bytes gets its 413 at once, without the server waiting for
// (or holding) the rest.
func TestTooLargeIsAnsweredBeforeTheBodyIsRead(t *testing.T) {
	p := newTestPortal(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go p.app.Listener(ln)
	t.Cleanup(func() { p.app.ShutdownWithTimeout(time.Second) })
	for _, path := range []string{"/api/v1/activate", "/webhooks/stripe", "/login", "/admin/import"} {
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		// The server reads ahead what a form may hold (64 KiB), no more.
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: portal.test\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{\"a\":\"%s", path, 100<<20, strings.Repeat("x", 64<<10))
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		conn.Close()
		if err != nil {
			t.Errorf("%s: no answer before the body was sent: %v", path, err)
			continue
		}
		want := 413
		if path == "/admin/import" {
			want = 303 // no admin session: sent to the staff login, body unread
		}
		if res.StatusCode != want {
			t.Errorf("%s with 100 MiB announced: %d, want %d", path, res.StatusCode, want)
		}
	}
}
