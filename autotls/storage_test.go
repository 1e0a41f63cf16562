package autotls_test

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"slices"
	"testing"
	"time"

	"portal/autotls"
	"portal/storage"
	"portal/storage/postgres"
	"portal/storage/postgres/pgtest"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// backends opens the files of each store: Badger (in memory) and
// PostgreSQL (a schema of its own; skipped without the test server), and
// for PostgreSQL a second store on the same database, as another instance.
var backends = []struct {
	name string
	open func(t *testing.T) (autotls.Files, func() autotls.Files)
}{
	{"badger", func(t *testing.T) (autotls.Files, func() autotls.Files) {
		s, err := storage.OpenInMemory(quiet())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s, func() autotls.Files { return s }
	}},
	{"postgres", func(t *testing.T) (autotls.Files, func() autotls.Files) {
		url := pgtest.Fresh(t)
		open := func() autotls.Files {
			s, err := postgres.Open(context.Background(), url, quiet())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
		return open(), open
	}},
}

// The certmagic.Storage contract, as certmagic's own file storage keeps it:
// a value comes back as stored, missing keys answer fs.ErrNotExist, folders
// exist through the keys under them, List walks one level or all, Delete
// removes a folder whole.
func TestStorageContract(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			files, _ := b.open(t)
			s := autotls.NewStorage(files, quiet())
			for _, k := range []string{"certificates/ca/a.example/a.example.crt", "certificates/ca/a.example/a.example.key", "certificates/ca/b.example/b.example.crt", "acme/ca/users/x/x.json"} {
				if err := s.Store(ctx, k, []byte("v:"+k)); err != nil {
					t.Fatal(err)
				}
			}
			if v, err := s.Load(ctx, "certificates/ca/a.example/a.example.key"); err != nil || string(v) != "v:certificates/ca/a.example/a.example.key" {
				t.Errorf("Load = %q, %v", v, err)
			}
			if _, err := s.Load(ctx, "certificates/ca/c.example/c.example.crt"); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("Load of a missing key = %v, want fs.ErrNotExist", err)
			}
			if !s.Exists(ctx, "certificates/ca") || !s.Exists(ctx, "certificates/ca/a.example/a.example.crt") || s.Exists(ctx, "certificates/c") {
				t.Error("Exists is wrong about a folder, a file or a missing key")
			}
			info, err := s.Stat(ctx, "certificates/ca/a.example/a.example.crt")
			if err != nil || !info.IsTerminal || info.Size != int64(len("v:certificates/ca/a.example/a.example.crt")) || time.Since(info.Modified) > time.Minute {
				t.Errorf("Stat of a file = %+v, %v", info, err)
			}
			if info, err := s.Stat(ctx, "certificates/ca"); err != nil || info.IsTerminal {
				t.Errorf("Stat of a folder = %+v, %v", info, err)
			}
			if _, err := s.Stat(ctx, "nothing"); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("Stat of a missing key = %v", err)
			}
			list := func(path string, recursive bool, want ...string) {
				t.Helper()
				got, err := s.List(ctx, path, recursive)
				if err != nil || !slices.Equal(got, want) {
					t.Errorf("List(%q, %v) = %v, %v; want %v", path, recursive, got, err, want)
				}
			}
			list("certificates/ca", false, "certificates/ca/a.example", "certificates/ca/b.example")
			list("certificates/ca/a.example", false, "certificates/ca/a.example/a.example.crt", "certificates/ca/a.example/a.example.key")
			list("certificates", true, "certificates/ca", "certificates/ca/a.example", "certificates/ca/a.example/a.example.crt",
				"certificates/ca/a.example/a.example.key", "certificates/ca/b.example", "certificates/ca/b.example/b.example.crt")
			if _, err := s.List(ctx, "nothing", false); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("List of a missing folder = %v", err)
			}
			if err := s.Delete(ctx, "certificates/ca/a.example"); err != nil {
				t.Fatal(err)
			}
			list("certificates/ca", false, "certificates/ca/b.example")
			if err := s.Delete(ctx, "certificates/ca/a.example"); err != nil {
				t.Errorf("deleting what is gone: %v", err)
			}
		})
	}
}

// Two instances (two Storage values on the same store): one holds a lock at
// a time, a waiting Lock gets it once the other unlocks, and a Lock whose
// context ends gives up.
func TestStorageLocksAcrossInstances(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			filesA, another := b.open(t)
			a, bb := autotls.NewStorage(filesA, quiet()), autotls.NewStorage(another(), quiet())
			if err := a.Lock(ctx, "issue_cert_a.example"); err != nil {
				t.Fatal(err)
			}
			if ok, err := bb.TryLock(ctx, "issue_cert_a.example"); ok || err != nil {
				t.Fatalf("TryLock of a held lock = %v, %v", ok, err)
			}
			// Two goroutines of one instance exclude each other too.
			if ok, _ := a.TryLock(ctx, "issue_cert_a.example"); ok {
				t.Fatal("the holder's own process took the lock twice")
			}
			short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
			defer cancel()
			if err := bb.Lock(short, "issue_cert_a.example"); !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Lock of a held lock with a deadline = %v", err)
			}
			got := make(chan error, 1)
			go func() { got <- bb.Lock(ctx, "issue_cert_a.example") }()
			time.Sleep(100 * time.Millisecond)
			select {
			case err := <-got:
				t.Fatalf("Lock returned %v while the other instance held the lock", err)
			default:
			}
			if err := a.Unlock(ctx, "issue_cert_a.example"); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-got:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Lock did not return after the other instance unlocked")
			}
			if err := bb.RenewLockLease(ctx, "issue_cert_a.example", 5*time.Minute); err != nil {
				t.Errorf("RenewLockLease by the holder: %v", err)
			}
			if err := bb.Unlock(ctx, "issue_cert_a.example"); err != nil {
				t.Fatal(err)
			}
			if err := bb.Unlock(ctx, "issue_cert_a.example"); err == nil {
				t.Error("Unlock of a lock not held answered no error")
			}
		})
	}
}
