package storage_test

import (
	"log/slog"
	"sync"
	"testing"

	"portal/storage"
)

// testLogger sends Badger's warnings and errors to the test's output, so that they
// show up when a test fails or runs with -v.
func testLogger(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// mustOpen opens a durable store in a fresh temporary folder, closed when the test ends.
func mustOpen(tb testing.TB) *storage.Store {
	tb.Helper()
	s, _ := mustOpenAt(tb, tb.TempDir())
	return s
}

// mustOpenAt opens the store in dir. The returned close function may be called by
// the test (to reopen the folder); it is also run when the test ends, at most once.
func mustOpenAt(tb testing.TB, dir string) (*storage.Store, func()) {
	tb.Helper()
	s, err := storage.Open(dir, testLogger(tb))
	if err != nil {
		tb.Fatalf("storage.Open(%q): %v", dir, err)
	}
	var once sync.Once
	closeFn := func() {
		once.Do(func() {
			if err := s.Close(); err != nil {
				tb.Errorf("Close: %v", err)
			}
		})
	}
	tb.Cleanup(closeFn)
	return s, closeFn
}

// mustOpenMem opens an in-memory store, for tests where durability is not the point.
func mustOpenMem(tb testing.TB) *storage.Store {
	tb.Helper()
	s, err := storage.OpenInMemory(testLogger(tb))
	if err != nil {
		tb.Fatalf("storage.OpenInMemory: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return s
}

// nilLogger discards everything, for examples and benchmarks.
func nilLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
