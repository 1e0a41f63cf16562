package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"portal/domain"
)

// restoreCommand loads a backup into an empty store: a new data folder, or an
// empty PostgreSQL database.
func restoreCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCommandFlags("restore", stderr)
	if err := fs.parse(args, 1, 1, "restore needs the backup file"); err != nil {
		return err
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("cannot read the backup: %w", err)
	}
	defer f.Close()
	store, err := fs.openStore(ctx, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	err = store.Load(ctx, domain.ReadBackup(f))
	if errors.Is(err, domain.ErrNotEmpty) {
		return fmt.Errorf("%s is not empty: restore into a new data folder or an empty database, then point the portal at it", describeStore(*fs.data, *fs.database))
	}
	if err != nil {
		return fmt.Errorf("restore stopped (restore again into a new, empty place): %w", err)
	}
	fmt.Fprintf(stdout, "restored %s into %s\n", fs.Arg(0), describeStore(*fs.data, *fs.database))
	return nil
}
