package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestOnlyLoopback(t *testing.T) {
	for _, base := range []string{"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:8080", "http://127.0.0.2:9"} {
		if _, err := checkLoopback(base); err != nil {
			t.Errorf("%s refused: %v", base, err)
		}
	}
	for _, base := range []string{"http://10.0.0.1:8080", "http://example.com", "https://127.0.0.1:8443", "http://0.0.0.0:8080", "http://[::]:80"} {
		if _, err := checkLoopback(base); err == nil {
			t.Errorf("%s accepted", base)
		}
	}
}

func TestListeningInodes(t *testing.T) {
	table := `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4444 1 0000000000000000 100 0 0 10 0
`
	got := listeningInodes([]byte(table), 8080)
	if len(got) != 1 || got[0] != "4242" {
		t.Fatalf("listening inodes on 8080: %v, want [4242]", got)
	}
}

// The raw client reads answers with a length, chunked ones and closing ones,
// and keeps one connection for consecutive requests.
func TestRawClient(t *testing.T) {
	var mu sync.Mutex
	conns := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		conns[r.RemoteAddr] = true
		mu.Unlock()
		body, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/chunked":
			w.WriteHeader(http.StatusTeapot)
			for i := range 3 {
				fmt.Fprintf(w, "chunk %d;", i)
				w.(http.Flusher).Flush()
			}
		case "/close":
			w.Header().Set("Connection", "close")
			io.WriteString(w, "bye")
		default:
			if r.Header.Get("HX-Request") != "true" || r.Header.Get("Cookie") != "a=b" {
				w.WriteHeader(http.StatusBadRequest)
			}
			w.Write(body)
		}
	}))
	defer srv.Close()
	k := &rawConn{addr: strings.TrimPrefix(srv.URL, "http://")}
	defer k.close()
	for range 3 {
		status, err := k.send(newRequest("POST", srv.URL, "/echo", []byte(`{"x":1}`), "HX-Request", "true", "Cookie", "a=b"))
		if err != nil || status != 200 {
			t.Fatalf("echo: %d %v", status, err)
		}
	}
	mu.Lock()
	used := len(conns)
	mu.Unlock()
	if used != 1 {
		t.Fatalf("three requests used %d connections, want 1 (keep-alive)", used)
	}
	if status, err := k.send(newRequest("GET", srv.URL, "/chunked", nil)); err != nil || status != http.StatusTeapot {
		t.Fatalf("chunked: %d %v", status, err)
	}
	if status, err := k.send(newRequest("GET", srv.URL, "/close", nil)); err != nil || status != 200 || k.c != nil {
		t.Fatalf("close: %d %v, connection kept: %v", status, err, k.c != nil)
	}
	if status, err := k.send(newRequest("GET", srv.URL, "/echo", nil)); err != nil || status != http.StatusBadRequest {
		t.Fatalf("after a close: %d %v", status, err)
	}
}

func TestMeasureCountsStatuses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/limited" {
			w.WriteHeader(http.StatusTooManyRequests)
		}
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	senders := []sender{&rawConn{addr: addr}, &rawConn{addr: addr}}
	defer senders[0].close()
	defer senders[1].close()
	ok, limited := newRequest("GET", srv.URL, "/ok", nil), newRequest("GET", srv.URL, "/limited", nil)
	res := measure(senders, route{name: "mixed", next: func(w, i int) *request {
		if w == 1 {
			return limited
		}
		return ok
	}}, 200*time.Millisecond)
	if res.requests == 0 || res.statuses[200] == 0 || res.statuses[429] == 0 || res.errors != 0 {
		t.Fatalf("statuses %v, errors %d", res.statuses, res.errors)
	}
	row := res.row(res.rate(), false)
	if !strings.Contains(row, fmt.Sprintf("%d (429: %d)", res.statuses[429], res.statuses[429])) {
		t.Fatalf("the row hides the 429s: %s", row)
	}
}
