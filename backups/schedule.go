package backups

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// Schedule writes a backup into Dir every Every while Run runs, and keeps the
// newest Keep of them. Backups are named for the time they were made
// (portal-20261127T095626.123Z.jsonl.gz), so that their names sort as their
// times do; files of other names in Dir are never touched.
type Schedule struct {
	Dir   string
	Every time.Duration
	Keep  int
	Store Dumper
	Log   *slog.Logger
	// Now is the clock; tests set it.
	Now func() time.Time

	failures  atomic.Uint64
	successes atomic.Uint64
}

const (
	namePrefix = "portal-"
	nameSuffix = ".jsonl.gz"
	nameLayout = "20060102T150405.000Z"
	// retryAfter bounds the wait after a failed backup: a daily backup that
	// failed on a full disk is tried again soon after the disk is freed.
	retryAfter = 15 * time.Minute
)

// Failures counts the scheduled backups that failed since the start: the
// hook for the metrics (PRODUCT.md section 16). Successes counts the others.
func (s *Schedule) Failures() uint64  { return s.failures.Load() }
func (s *Schedule) Successes() uint64 { return s.successes.Load() }

// Run writes backups until ctx ends. A failure is logged and counted and the
// backup tried again later; it never stops the server. The first backup is
// made at once unless Dir holds one younger than Every: restarting the server
// does not restart the schedule.
func (s *Schedule) Run(ctx context.Context) {
	wait := time.Duration(0)
	if newest, ok := s.newest(); ok {
		// Clamped to one period: a backup named in the future (a clock set
		// back since) must not hold the schedule up.
		wait = min(max(0, newest.Add(s.Every).Sub(s.now())), s.Every)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = s.Every
		if _, err := s.Once(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			s.failures.Add(1)
			s.Log.Error("scheduled backup failed", "dir", s.Dir, "error", err.Error(), "failures", s.failures.Load())
			wait = min(s.Every, retryAfter)
		}
	}
}

// Once writes one backup and removes the oldest beyond Keep, and answers the
// new backup's path.
func (s *Schedule) Once(ctx context.Context) (string, error) {
	now := s.now().UTC()
	path := filepath.Join(s.Dir, namePrefix+now.Format(nameLayout)+nameSuffix)
	if err := WriteFile(ctx, s.Store, path, now); err != nil {
		return "", err
	}
	s.successes.Add(1)
	removed, err := s.prune()
	s.Log.Info("scheduled backup written", "file", path, "removed", removed)
	if err != nil {
		return path, fmt.Errorf("backup written, but older ones not removed: %w", err)
	}
	return path, nil
}

// prune removes the backups beyond the newest Keep.
func (s *Schedule) prune() (int, error) {
	names, err := s.backups()
	if err != nil || len(names) <= s.Keep {
		return 0, err
	}
	removed := 0
	for _, name := range names[:len(names)-s.Keep] {
		if err := os.Remove(filepath.Join(s.Dir, name)); err != nil {
			return removed, err
		}
		removed++
	}
	return removed, nil
}

// backups answers the names of the backups in Dir, oldest first.
func (s *Schedule) backups() ([]string, error) {
	entries, err := os.ReadDir(s.Dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if _, ok := backupTime(e.Name()); ok && e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}

// newest answers when the newest backup in Dir was made.
func (s *Schedule) newest() (time.Time, bool) {
	names, err := s.backups()
	if err != nil || len(names) == 0 {
		return time.Time{}, false
	}
	return backupTime(names[len(names)-1])
}

// backupTime reads a backup's time from its name; ok is false for any other file.
func backupTime(name string) (time.Time, bool) {
	stamp, found := strings.CutPrefix(name, namePrefix)
	if stamp, found = strings.CutSuffix(stamp, nameSuffix); !found {
		return time.Time{}, false
	}
	t, err := time.Parse(nameLayout, stamp)
	return t, err == nil
}

func (s *Schedule) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}
