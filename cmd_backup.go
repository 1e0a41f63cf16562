package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"portal/backups"
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
	if err := backups.WriteFile(ctx, store, fs.Arg(0), time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s\n", fs.Arg(0))
	return nil
}
