// Package backups writes the portal's backups (domain.WriteBackup: the format
// "portal restore" reads into any backend) to files: one on demand ("portal
// backup"), or on a schedule while the server runs (Schedule).
package backups

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"portal/domain"
)

// Dumper gives every record of the portal in one consistent snapshot, while
// the portal serves: both stores' Dump.
type Dumper interface {
	Dump(ctx context.Context, emit func(domain.Record) error) error
}

// WriteFile writes a backup of store, made at now, to path: under a temporary
// name in the same folder, synced, then renamed, so that path is never half a
// backup, whatever stops the writing (a full disk, a kill, a power cut). The
// file is readable by its owner only: it holds every customer.
func WriteFile(ctx context.Context, store Dumper, path string, now time.Time) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("cannot write the backup: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename, nothing is there
	err = tmp.Chmod(0o600)
	if err == nil {
		err = domain.WriteBackup(tmp, now, func(emit func(domain.Record) error) error { return store.Dump(ctx, emit) })
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("cannot write the backup: %w", err)
	}
	// The rename is durable only once the folder itself is synced.
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
