package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"time"
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

func envDuration(name string, fallback time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(name)); err == nil {
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
	u := databaseURL(env("PORTAL_DATABASE_URL", ""))
	fs.Var(&u, "database-url",
		"the PostgreSQL database (a postgres://... `URL`) shared by every instance; without it, the Badger data folder (PORTAL_DATABASE_URL)")
	return (*string)(&u)
}

// databaseURL is the --database-url flag's value. Its String, which "-h" shows
// as the default when PORTAL_DATABASE_URL is set, hides the URL's password.
type databaseURL string

func (u *databaseURL) Set(s string) error { *u = databaseURL(s); return nil }

func (u *databaseURL) String() string {
	if u == nil || *u == "" {
		return ""
	}
	parsed, err := url.Parse(string(*u))
	if err != nil || (parsed.Scheme != "postgres" && parsed.Scheme != "postgresql") {
		return "(set)" // a key=value connection string may hold a password anywhere
	}
	if q := parsed.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		parsed.RawQuery = q.Encode()
	}
	return parsed.Redacted()
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
