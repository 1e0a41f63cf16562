package main

import (
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"
	"strconv"

	"portal/storage"
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

// commandFlags is a command's flags, with the data folder that every command takes.
type commandFlags struct {
	*flag.FlagSet
	data *string
}

func newCommandFlags(name string, stderr io.Writer) commandFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return commandFlags{FlagSet: fs, data: dataFlag(fs)}
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

// openStore opens the data folder for a command.
func (f commandFlags) openStore(stderr io.Writer) (*storage.Store, error) {
	return storage.Open(*f.data, newLogger(stderr))
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
