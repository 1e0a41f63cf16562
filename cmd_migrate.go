package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"portal/storage/postgres"
)

// migrateCommand brings a PostgreSQL database's schema to this portal's
// version. "portal serve" does so at start too; this is for doing it ahead of
// an upgrade, or checking it. A Badger folder has no schema to migrate.
func migrateCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCommandFlags("migrate", stderr)
	if err := fs.parse(args, 0, 0, "usage: portal migrate --database-url URL"); err != nil {
		return err
	}
	if *fs.database == "" {
		return errors.New("migrate is for a PostgreSQL database: give --database-url or PORTAL_DATABASE_URL (a Badger data folder needs none)")
	}
	store, err := postgres.Open(ctx, *fs.database, newLogger(stderr)) // Open migrates
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s is at this portal's schema\n", describeStore("", *fs.database))
	return nil
}
