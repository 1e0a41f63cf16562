package storetest

import (
	"context"
	"testing"
	"time"

	"portal/domain"
)

var sessionTests = []test{
	{"SessionCreateReadDelete", testSessionCreateReadDelete},
	{"SessionExpires", testSessionExpires},
	{"SessionReplacedByCreateUnderTheSameHash", testSessionReplacedByCreateUnderTheSameHash},
	{"StaffSessionCreateReadExpireDelete", testStaffSessionCreateReadExpireDelete},
}

func testSessionCreateReadDelete(t *testing.T, h Harness) {
	s := h.open(t)
	ctx := context.Background()
	sess := domain.Session{Email: "marie@acme.example", CreatedAt: BaseDate}
	if _, found, err := s.Session(ctx, "h1"); err != nil || found {
		t.Fatalf("Session before creation: found %v, %v", found, err)
	}
	if err := s.CreateSession(ctx, "h1", sess, time.Hour); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	other := domain.Session{Email: "paul@other.example", CreatedAt: BaseDate.Add(time.Minute)}
	if err := s.CreateSession(ctx, "h2", other, time.Hour); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	if got, found, err := s.Session(ctx, "h1"); err != nil || !found || got != sess {
		t.Fatalf("Session(h1) = %+v, %v, %v; want %+v", got, found, err, sess)
	}
	if _, found, _ := s.Session(ctx, "h"); found {
		t.Error("Session(h) found: a prefix of a token hash must not open a session")
	}
	if _, found, _ := s.StaffSession(ctx, "h1"); found {
		t.Error("a customer's session opens a staff session")
	}
	if err := s.DeleteSession(ctx, "h1"); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	if _, found, err := s.Session(ctx, "h1"); err != nil || found {
		t.Errorf("Session(h1) after delete: found %v, %v; want gone", found, err)
	}
	if got, found, err := s.Session(ctx, "h2"); err != nil || !found || got != other {
		t.Errorf("Session(h2) after deleting h1 = %+v, %v, %v; want %+v", got, found, err, other)
	}
	for _, hash := range []string{"h1", "never-existed", "\x00"} {
		if err := s.DeleteSession(ctx, hash); err != nil {
			t.Errorf("DeleteSession(%q) of no session: %v, want nil", hash, err)
		}
	}
}

func testSessionExpires(t *testing.T, h Harness) {
	s := h.open(t)
	ctx := context.Background()
	created := time.Now()
	if err := s.CreateSession(ctx, "short", domain.Session{Email: "marie@acme.example", CreatedAt: created.UTC()}, time.Millisecond); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	if err := s.CreateSession(ctx, "long", domain.Session{Email: "paul@other.example", CreatedAt: created.UTC()}, time.Hour); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	if _, found, err := s.Session(ctx, "long"); err != nil || !found {
		t.Fatalf("Session(long) right after creation: found %v, %v", found, err)
	}
	waitUntil(t, "a session with a 1 ms time to live is gone", func() bool {
		_, found, err := s.Session(ctx, "short")
		if err != nil {
			t.Fatalf("Session(short): %v", err)
		}
		return !found
	})
	waitForNextSecond(created)
	if _, found, err := s.Session(ctx, "long"); err != nil || !found {
		t.Errorf("Session(long) a second later: found %v, %v; want found", found, err)
	}
	// A new session under an expired one's hash lives again.
	if err := s.CreateSession(ctx, "short", domain.Session{Email: "marie@acme.example", CreatedAt: BaseDate}, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := s.Session(ctx, "short"); !found {
		t.Error("a session made again under an expired hash is not found")
	}
}

func testSessionReplacedByCreateUnderTheSameHash(t *testing.T, h Harness) {
	s := h.open(t)
	ctx := context.Background()
	a := domain.Session{Email: "a@acme.example", CreatedAt: BaseDate}
	b := domain.Session{Email: "b@acme.example", CreatedAt: BaseDate}
	if err := s.CreateSession(ctx, "h", a, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSession(ctx, "h", b, time.Hour); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.Session(ctx, "h"); got != b {
		t.Errorf("Session(h) = %+v, want %+v", got, b)
	}
}

func testStaffSessionCreateReadExpireDelete(t *testing.T, h Harness) {
	s := h.open(t)
	ctx := context.Background()
	sess := domain.StaffSession{Email: "admin@acme.example", CreatedAt: BaseDate}
	if err := s.CreateStaffSession(ctx, "s1", sess, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateStaffSession(ctx, "s2", sess, time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if got, found, err := s.StaffSession(ctx, "s1"); err != nil || !found || got != sess {
		t.Errorf("StaffSession(s1) = %+v, %v, %v; want %+v", got, found, err, sess)
	}
	if _, found, _ := s.Session(ctx, "s1"); found {
		t.Error("a staff session opens a customer's session")
	}
	waitUntil(t, "a staff session with a 1 ms time to live is gone", func() bool {
		_, found, err := s.StaffSession(ctx, "s2")
		if err != nil {
			t.Fatalf("StaffSession(s2): %v", err)
		}
		return !found
	})
	if err := s.DeleteStaffSession(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := s.StaffSession(ctx, "s1"); found {
		t.Error("a deleted staff session is still there")
	}
	if err := s.DeleteStaffSession(ctx, "s1"); err != nil {
		t.Errorf("deleting a deleted staff session: %v", err)
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
