package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"

	"portal/storage"
)

// backupCommand writes a backup of the data folder in Badger's format.
func backupCommand(args []string, stdout, stderr io.Writer) error {
	fs := newCommandFlags("backup", stderr)
	if err := fs.parse(args, 1, 1, "backup needs the file to write"); err != nil {
		return err
	}
	store, err := fs.openStore(stderr)
	if err != nil {
		if errors.Is(err, storage.ErrLocked) {
			return errors.New("the data folder is in use by a running portal: download the backup from the admin pages (/admin), or stop the server first")
		}
		return err
	}
	defer store.Close()
	f, err := os.OpenFile(fs.Arg(0), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("cannot create the backup file (it must not exist yet): %w", err)
	}
	w := bufio.NewWriter(f)
	err = store.Backup(w)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(fs.Arg(0))
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s\n", fs.Arg(0))
	return nil
}
