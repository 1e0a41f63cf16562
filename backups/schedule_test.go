package backups_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"portal/backups"
	"portal/domain"
)

// products is a store whose dump is a few products; check, when set, runs in
// the middle of the dump, while the backup is being written.
type products struct {
	n     int
	check func()
	err   error
}

func (p products) Dump(ctx context.Context, emit func(domain.Record) error) error {
	for i := range p.n {
		if i == p.n/2 && p.check != nil {
			p.check()
		}
		if err := emit(domain.Record{Product: &domain.Product{Software: "Remote Work", Edition: strings.Repeat("E", i+1), Currency: "EUR"}}); err != nil {
			return err
		}
	}
	return p.err
}

// steppingClock answers a time one hour later at each call.
func steppingClock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Hour)
		return t
	}
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// Rotation keeps the newest Keep backups, each one readable, and leaves
// every other file of the folder alone.
func TestScheduleKeepsTheNewest(t *testing.T) {
	dir := t.TempDir()
	for _, other := range []string{"notes.txt", "portal-manual.jsonl.gz"} {
		os.WriteFile(filepath.Join(dir, other), []byte("mine"), 0o600)
	}
	s := &backups.Schedule{Dir: dir, Every: time.Hour, Keep: 3, Store: products{n: 4}, Log: quiet(), Now: steppingClock()}
	var written []string
	for range 5 {
		path, err := s.Once(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		written = append(written, filepath.Base(path))
	}
	want := append([]string{"notes.txt", "portal-manual.jsonl.gz"}, written[2:]...)
	slices.Sort(want)
	if got := names(t, dir); !slices.Equal(got, want) {
		t.Fatalf("folder holds %v, want %v", got, want)
	}
	if written[4] != "portal-20261127T140000.000Z.jsonl.gz" {
		t.Errorf("newest backup named %s", written[4])
	}
	f, err := os.Open(filepath.Join(dir, written[4]))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	for _, err := range domain.ReadBackup(f) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 4 {
		t.Errorf("the newest backup holds %d records, want 4", n)
	}
	if s.Successes() != 5 || s.Failures() != 0 {
		t.Errorf("successes %d, failures %d", s.Successes(), s.Failures())
	}
}

// A backup never shows under its name before it is whole, and one that fails
// leaves nothing behind, neither a file of that name nor its temporary file.
func TestBackupIsWrittenAsideThenRenamed(t *testing.T) {
	dir := t.TempDir()
	final := filepath.Join(dir, "portal.jsonl.gz")
	sawTemporary := false
	check := func() {
		if _, err := os.Stat(final); err == nil {
			t.Error("the backup's own name exists while it is being written")
		}
		for _, n := range names(t, dir) {
			sawTemporary = sawTemporary || strings.HasSuffix(n, ".tmp")
		}
	}
	if err := backups.WriteFile(context.Background(), products{n: 10, check: check}, final, time.Now()); err != nil {
		t.Fatal(err)
	}
	if !sawTemporary {
		t.Error("no temporary file was seen during the writing")
	}
	if got := names(t, dir); !slices.Equal(got, []string{"portal.jsonl.gz"}) {
		t.Errorf("after a backup the folder holds %v", got)
	}
	if info, _ := os.Stat(final); info.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", info.Mode().Perm())
	}

	failed := filepath.Join(dir, "failed.jsonl.gz")
	broken := errors.New("disk on fire")
	if err := backups.WriteFile(context.Background(), products{n: 10, err: broken}, failed, time.Now()); !errors.Is(err, broken) {
		t.Fatalf("a failing dump answered %v", err)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"portal.jsonl.gz"}) {
		t.Errorf("after a failed backup the folder holds %v", got)
	}
}

// A schedule that cannot write logs and counts each failure, and keeps
// trying until the server stops; the first backup comes at start.
func TestScheduleFailuresAreCountedAndNeverStopIt(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing")
	var logs strings.Builder
	var mu sync.Mutex
	s := &backups.Schedule{Dir: dir, Every: 20 * time.Millisecond, Keep: 2, Store: products{n: 2},
		Log: slog.New(slog.NewJSONHandler(writerFunc(func(p []byte) (int, error) {
			mu.Lock()
			defer mu.Unlock()
			return logs.Write(p)
		}), nil))}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for s.Failures() < 3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if s.Failures() < 3 {
		t.Fatalf("failures counted: %d", s.Failures())
	}
	// The folder appears (an operator fixed it): backups follow, without a restart.
	os.MkdirAll(dir, 0o700)
	for s.Successes() < 3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	if s.Successes() < 3 || len(names(t, dir)) != 2 {
		t.Errorf("after the folder came: %d successes, folder %v", s.Successes(), names(t, dir))
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(logs.String(), `"msg":"scheduled backup failed"`) {
		t.Errorf("no failure logged:\n%s", logs.String())
	}
}

// A restarted server does not back up at once when the newest backup is
// younger than the period.
func TestScheduleResumesFromTheNewestBackup(t *testing.T) {
	dir := t.TempDir()
	recent := "portal-" + time.Now().UTC().Add(-time.Minute).Format("20060102T150405.000Z") + ".jsonl.gz"
	os.WriteFile(filepath.Join(dir, recent), nil, 0o600)
	s := &backups.Schedule{Dir: dir, Every: time.Hour, Keep: 2, Store: products{n: 1}, Log: quiet()}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	s.Run(ctx)
	if s.Successes() != 0 || len(names(t, dir)) != 1 {
		t.Errorf("a backup was made %d times though the newest is a minute old", s.Successes())
	}
}

type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
