package storage_test

import (
	"os"
	"path/filepath"
	"testing"

	"portal/storage"
	"portal/storage/storetest"
)

// TestBadger runs the storage suite against the Badger store, in real folders
// synced to disk.
func TestBadger(t *testing.T) {
	storetest.Run(t, storetest.Harness{
		Fresh: func(t testing.TB) string { return filepath.Join(t.TempDir(), "data") },
		Open: func(t testing.TB, dir string) (storetest.Backend, error) {
			s, err := storage.Open(dir, testLogger(t))
			if err != nil {
				return nil, err
			}
			return s, nil
		},
		CheckSynced: checkSynced,
	})
}

// checkSynced checks that a killed writer's acknowledged writes were on the
// disk, not only in the kernel's page cache (which a process kill keeps, but
// a power cut loses), when the store said they were stored.
func checkSynced(t *testing.T, dir string) {
	unsynced, ok := unsyncedPages(t, dir)
	if !ok {
		// As with Chromium for the browser tests: CI must be able to check this.
		report := t.Log
		if os.Getenv("CI") != "" {
			report = t.Error
		}
		report("cannot see here whether pages reached the disk (cachestat(2) needs Linux 6.5, and TMPDIR a disk, not tmpfs): only the process kill is tested")
		return
	}
	if len(unsynced) > 0 {
		t.Errorf("pages of the data folder were not on the disk when the writes returned: %v", unsynced)
	}
}
