package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"portal/domain"
	"portal/storage"
)

// backupCommand writes a backup of the portal (every record, in the format
// "portal restore" reads into any backend) to a new file.
func backupCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCommandFlags("backup", stderr)
	if err := fs.parse(args, 1, 1, "backup needs the file to write"); err != nil {
		return err
	}
	store, err := fs.openStore(ctx, stderr)
	if errors.Is(err, storage.ErrLocked) {
		return errors.New("the data folder is in use by a running portal: download the backup from the admin pages (/admin/data), or stop the server first")
	}
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := os.Stat(fs.Arg(0)); err == nil {
		return fmt.Errorf("%s exists already: a backup never replaces a file", fs.Arg(0))
	}
	if err := writeBackupFile(ctx, store, fs.Arg(0), time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s\n", fs.Arg(0))
	return nil
}

// writeBackupFile writes a backup of store to path: under a temporary name in
// the same folder, synced, then renamed, so that path is never half a backup.
func writeBackupFile(ctx context.Context, store portalStore, path string, now time.Time) error {
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
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
