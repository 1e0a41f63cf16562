package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"
	"strconv"
)

// Flags and environment variables that every command reads the same way.

func env(name, fallback string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return fallback
}

func envInt(name string, fallback int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return fallback
}

func dataFlag(fs *flag.FlagSet) *string {
	return fs.String("data", env("PORTAL_DATA", "./data"), "data folder (PORTAL_DATA)")
}

func signingKeyFlag(fs *flag.FlagSet) *string {
	return fs.String("signing-key", env("PORTAL_SIGNING_KEY", ""),
		"the license-signing key's PEM file, the same for every instance (PORTAL_SIGNING_KEY; default signing-key.pem in the data folder)")
}

func databaseFlag(fs *flag.FlagSet) *string {
	return fs.String("database-url", env("PORTAL_DATABASE_URL", ""),
		"PostgreSQL database (postgres://...) shared by every instance; without it, the Badger data folder (PORTAL_DATABASE_URL)")
}

// commandFlags is a command's flags, with the store that every command takes:
// the data folder, or a PostgreSQL database.
type commandFlags struct {
	*flag.FlagSet
	data     *string
	database *string
}

func newCommandFlags(name string, stderr io.Writer) commandFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return commandFlags{FlagSet: fs, data: dataFlag(fs), database: databaseFlag(fs)}
}

// parse reads args and checks that at most max arguments follow the flags, and
// at least min; otherwise it answers need, which says what the command wants.
func (f commandFlags) parse(args []string, min, max int, need string) error {
	if err := f.Parse(args); err != nil {
		return err
	}
	if f.NArg() < min || f.NArg() > max {
		return errors.New(need)
	}
	return nil
}

// openStore opens the command's store.
func (f commandFlags) openStore(ctx context.Context, stderr io.Writer) (portalStore, error) {
	return openStore(ctx, *f.data, *f.database, newLogger(stderr))
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
