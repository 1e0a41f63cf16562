package storage_test

import (
	"context"
	"testing"
	"time"

	"portal/domain"
)

func TestSessionCreateReadDelete(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	sess := domain.Session{Email: "marie@acme.example", CreatedAt: baseDate}

	if _, found, err := s.Session(ctx, "h1"); err != nil || found {
		t.Fatalf("Session before creation: found %v, %v", found, err)
	}
	if err := s.CreateSession(ctx, "h1", sess, time.Hour); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	other := domain.Session{Email: "paul@other.example", CreatedAt: baseDate.Add(time.Minute)}
	if err := s.CreateSession(ctx, "h2", other, time.Hour); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}

	got, found, err := s.Session(ctx, "h1")
	if err != nil || !found || got != sess {
		t.Fatalf("Session(h1) = %+v, %v, %v; want %+v", got, found, err, sess)
	}
	if _, found, _ := s.Session(ctx, "h"); found {
		t.Error("Session(h) found: a prefix of a token hash must not open a session")
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
	if err := s.DeleteSession(ctx, "h1"); err != nil {
		t.Errorf("DeleteSession of a deleted session: %v, want nil", err)
	}
	if err := s.DeleteSession(ctx, "never-existed"); err != nil {
		t.Errorf("DeleteSession of an unknown session: %v, want nil", err)
	}
}

func TestSessionExpires(t *testing.T) {
	s := mustOpen(t)
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
}

func TestSessionReplacedByCreateUnderTheSameHash(t *testing.T) {
	s := mustOpenMem(t)
	ctx := context.Background()
	a := domain.Session{Email: "a@acme.example", CreatedAt: baseDate}
	b := domain.Session{Email: "b@acme.example", CreatedAt: baseDate}
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
