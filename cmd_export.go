package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
)

// exportCommand writes the catalog and orders as JSON Lines.
func exportCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCommandFlags("export", stderr)
	if err := fs.parse(args, 0, 1, "export takes at most one file (standard output without)"); err != nil {
		return err
	}
	store, err := fs.openStore(ctx, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	out := stdout
	if fs.NArg() == 1 {
		f, err := os.OpenFile(fs.Arg(0), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		defer f.Close()
		w := bufio.NewWriter(f)
		n, err := store.Export(ctx, w)
		if err == nil {
			err = w.Flush()
		}
		if err == nil {
			err = f.Sync()
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "exported %d orders to %s\n", n, fs.Arg(0))
		return nil
	}
	w := bufio.NewWriter(out)
	if _, err := store.Export(ctx, w); err != nil {
		return err
	}
	return w.Flush()
}
