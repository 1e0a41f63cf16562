package main

import (
	"fmt"
	"io"
	"os"

	"portal/storage"
)

// restoreCommand loads a backup into an empty data folder.
func restoreCommand(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newCommandFlags("restore", stderr)
	if err := fs.parse(args, 1, 1, "restore needs the backup file"); err != nil {
		return err
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("cannot read the backup: %w", err)
	}
	defer f.Close()
	if err := storage.Restore(*fs.data, f, newLogger(stderr)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s into %s\n", fs.Arg(0), *fs.data)
	return nil
}
