package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"portal/domain"
)

// copyCommand moves everything (orders, licenses, history, purchases, staff,
// audit log, counters, seller details) between the command's own store and another one:
// "--to URL" from the data folder (or --database-url) into URL, "--from URL"
// the other way. URL is a PostgreSQL database (postgres://...) or a data
// folder's path. The target must be empty.
func copyCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCommandFlags("copy", stderr)
	to := fs.String("to", "", "copy into this database (postgres://...) or data folder")
	from := fs.String("from", "", "copy from this database (postgres://...) or data folder")
	if err := fs.parse(args, 0, 0, "usage: portal copy --to URL | --from URL [--data DIR | --database-url URL]"); err != nil {
		return err
	}
	if (*to == "") == (*from == "") {
		return errors.New("copy needs exactly one of --to and --from")
	}
	log := newLogger(stderr)
	other, otherName := openNamed(*to+*from, *fs.data)
	here, hereName := *fs.data, describeStore(*fs.data, *fs.database)
	if *fs.database != "" {
		here = *fs.database
	}
	srcPlace, dstPlace, srcName, dstName := here, other, hereName, otherName
	if *from != "" {
		srcPlace, dstPlace, srcName, dstName = other, here, otherName, hereName
	}
	src, err := openPlace(ctx, srcPlace, log)
	if err != nil {
		return fmt.Errorf("the source, %s: %w", srcName, err)
	}
	defer src.Close()
	dst, err := openPlace(ctx, dstPlace, log)
	if err != nil {
		return fmt.Errorf("the target, %s: %w", dstName, err)
	}
	defer dst.Close()
	counts := map[string]int{}
	records := func(yield func(domain.Record, error) bool) {
		stop := errors.New("stopped")
		err := src.Dump(ctx, func(r domain.Record) error {
			counts[r.Kind()]++
			if !yield(r, nil) {
				return stop
			}
			return nil
		})
		if err != nil && !errors.Is(err, stop) {
			yield(domain.Record{}, err)
		}
	}
	err = dst.Load(ctx, records)
	if errors.Is(err, domain.ErrNotEmpty) {
		return fmt.Errorf("the target, %s, is not empty: copy into a new data folder or an empty database", dstName)
	}
	if err != nil {
		return fmt.Errorf("copy stopped (copy again into a new, empty target): %w", err)
	}
	seller := ""
	if counts["seller"] > 0 {
		seller = ", the seller details"
	}
	fmt.Fprintf(stdout, "copied %s into %s: %d products, %d orders, %d licenses, %d history entries, %d purchases, %d payment events, %d staff accounts, %d audit entries%s\n",
		srcName, dstName, counts["product"], counts["order"], counts["license"], counts["history"], counts["purchase"],
		counts["payment_event"], counts["staff"], counts["audit"], seller)
	return nil
}

// openNamed names a copy's other place.
func openNamed(place, dataDir string) (string, string) {
	if isDatabaseURL(place) {
		return place, describeStore(dataDir, place)
	}
	return place, describeStore(place, "")
}

// openPlace opens a database URL or a data folder.
func openPlace(ctx context.Context, place string, log *slog.Logger) (portalStore, error) {
	if isDatabaseURL(place) {
		return openStore(ctx, "", place, log)
	}
	return openStore(ctx, place, "", log)
}
