package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/storage"
)

// Tokens is handed to Fiber's csrf middleware as its storage.
var _ fiber.Storage = storage.Tokens{}

func TestTokensGetMissingIsNilNil(t *testing.T) {
	s := mustOpenMem(t)
	v, err := s.Tokens().Get("missing")
	if v != nil || err != nil {
		t.Errorf("Get(missing) = %q, %v; want nil, nil", v, err)
	}
}

func TestTokensSetGetDelete(t *testing.T) {
	s := mustOpen(t)
	tok := s.Tokens()

	val := []byte("value-1")
	if err := tok.Set("a", val, time.Hour); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if err := tok.Set("b", []byte("value-2"), 0); err != nil {
		t.Fatalf("Set without expiry: %v", err)
	}
	val[0] = 'X' // the caller may reuse its buffer after Set
	if v, err := tok.Get("a"); err != nil || string(v) != "value-1" {
		t.Errorf("Get(a) = %q, %v; want value-1", v, err)
	}
	v, err := tok.Get("b")
	if err != nil || string(v) != "value-2" {
		t.Errorf("Get(b) = %q, %v; want value-2", v, err)
	}
	v[0] = 'X' // the caller may change what Get returned
	if v, _ := tok.Get("b"); string(v) != "value-2" {
		t.Errorf("Get(b) after changing a previous result = %q, want value-2", v)
	}

	if err := tok.Set("a", []byte("value-3"), time.Hour); err != nil {
		t.Fatalf("Set over a value: %v", err)
	}
	if v, _ := tok.Get("a"); string(v) != "value-3" {
		t.Errorf("Get(a) after overwrite = %q, want value-3", v)
	}

	if err := tok.Delete("a"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if v, err := tok.Get("a"); v != nil || err != nil {
		t.Errorf("Get(a) after Delete = %q, %v; want nil, nil", v, err)
	}
	if v, _ := tok.Get("b"); string(v) != "value-2" {
		t.Errorf("Get(b) after deleting a = %q, want value-2", v)
	}
	if err := tok.Delete("never-set"); err != nil {
		t.Errorf("Delete of a missing key: %v, want nil", err)
	}
}

func TestTokensExpire(t *testing.T) {
	s := mustOpenMem(t)
	tok := s.Tokens()
	created := time.Now()
	if err := tok.Set("short", []byte("v"), time.Millisecond); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if err := tok.Set("long", []byte("v"), time.Hour); err != nil {
		t.Fatalf("Set: %v", err)
	}
	waitUntil(t, "a token with a 1 ms time to live is gone", func() bool {
		v, err := tok.Get("short")
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		return v == nil
	})
	waitForNextSecond(created)
	if v, err := tok.Get("long"); err != nil || string(v) != "v" {
		t.Errorf("a token with an hour to live is gone after a second: %q, %v", v, err)
	}
}

// Badger keeps expiry times in whole seconds of the wall clock and has no clock
// that a test could move, so an entry's time to live can only be seen to lapse in
// real time. A time to live under a second lapses at once or at the next whole
// second; waitUntil polls for that with a limit that only a broken expiry reaches.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not so after 30 s: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitForNextSecond returns once the wall clock has moved past the whole second of
// t (at most a second), so that whatever expires "in a second" from t has expired.
func waitForNextSecond(t time.Time) {
	time.Sleep(time.Until(time.Unix(t.Unix()+1, 0)) + 10*time.Millisecond)
}

func TestTokensResetRemovesOnlyTokens(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	tok := s.Tokens()
	for _, k := range []string{"a", "b", "c"} {
		if err := tok.Set(k, []byte("v-"+k), time.Hour); err != nil {
			t.Fatalf("Set(%s): %v", k, err)
		}
	}
	o := newOrder(t, "JWT1", "marie@acme.example", baseDate, 2)
	importOK(t, s, o)
	p := domain.Product{Software: "Remote Work", Edition: "Standard", Currency: "EUR", SeatPrice: 100}
	if _, err := s.SaveProduct(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSession(ctx, "h", domain.Session{Email: "marie@acme.example", CreatedAt: baseDate}, time.Hour); err != nil {
		t.Fatal(err)
	}

	if err := tok.Reset(); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	for _, k := range []string{"a", "b", "c"} {
		if v, err := tok.Get(k); v != nil || err != nil {
			t.Errorf("Get(%s) after Reset = %q, %v; want nil, nil", k, v, err)
		}
	}
	assertStored(t, s, o)
	if _, found, err := s.Product(ctx, "Remote Work", "Standard"); err != nil || !found {
		t.Errorf("Product after tokens Reset: found %v, %v", found, err)
	}
	if _, found, err := s.Session(ctx, "h"); err != nil || !found {
		t.Errorf("Session after tokens Reset: found %v, %v", found, err)
	}

	// The store still takes tokens after a reset, and Close of Tokens leaves the store open.
	if err := tok.Set("d", []byte("v-d"), time.Hour); err != nil {
		t.Fatalf("Set after Reset: %v", err)
	}
	if err := tok.Close(); err != nil {
		t.Errorf("Tokens.Close: %v", err)
	}
	if v, err := s.Tokens().Get("d"); err != nil || string(v) != "v-d" {
		t.Errorf("Get(d) after Tokens.Close = %q, %v; want v-d", v, err)
	}
}

func TestTokensDoNotSeeSessions(t *testing.T) {
	s := mustOpenMem(t)
	if err := s.CreateSession(context.Background(), "h", domain.Session{Email: "marie@acme.example"}, time.Hour); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"h", "../session/h", "session/h"} {
		if v, err := s.Tokens().Get(k); v != nil || err != nil {
			t.Errorf("Tokens().Get(%q) = %q, %v; want nil, nil", k, v, err)
		}
	}
}
