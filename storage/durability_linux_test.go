//go:build linux

package storage_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// unsyncedPages returns, for each file of a Badger folder that holds data (write-
// ahead logs, value logs, tables, the manifest), the number of its pages that sit
// in the kernel's page cache dirty or under writeback: bytes that a process kill
// keeps (the kernel still has them) but a power cut or a kernel crash would lose.
// It reads cachestat(2), Linux 6.5 and later; ok is false where that is missing,
// and on a file system in memory (tmpfs), whose pages are never written back.
func unsyncedPages(t *testing.T, dir string) (unsynced map[string]uint64, ok bool) {
	t.Helper()
	var fs unix.Statfs_t
	if err := unix.Statfs(dir, &fs); err != nil {
		t.Fatal(err)
	}
	if fs.Type == unix.TMPFS_MAGIC || fs.Type == unix.RAMFS_MAGIC {
		return nil, false
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	unsynced = map[string]uint64{}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".mem") && !strings.HasSuffix(name, ".vlog") && !strings.HasSuffix(name, ".sst") && name != "MANIFEST" {
			continue
		}
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		var stat unix.Cachestat_t
		err = unix.Cachestat(uint(f.Fd()), &unix.CachestatRange{}, &stat, 0)
		f.Close()
		if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EPERM) {
			return nil, false
		}
		if err != nil {
			t.Fatalf("cachestat %s: %v", name, err)
		}
		if n := stat.Dirty + stat.Writeback; n > 0 {
			unsynced[name] = n
		}
	}
	return unsynced, true
}
