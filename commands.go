package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"portal/domain"
	"portal/storage"
)

// exportCommand writes the catalog and orders as JSON Lines.
func exportCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := dataFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := storage.Open(*data, newLogger(stderr))
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

// backupCommand writes a backup of the data folder in Badger's format.
func backupCommand(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := dataFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("backup needs the file to write")
	}
	store, err := storage.Open(*data, newLogger(stderr))
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

// restoreCommand loads a backup into an empty data folder.
func restoreCommand(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := dataFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("restore needs the backup file")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("cannot read the backup: %w", err)
	}
	defer f.Close()
	if err := storage.Restore(*data, f, newLogger(stderr)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s into %s\n", fs.Arg(0), *data)
	return nil
}

// userCommand manages staff accounts: "user add".
func userCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New(`usage: portal user add --email E --role support|admin [--password-stdin]`)
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := dataFlag(fs)
	emailFlag := fs.String("email", "", "the staff member's email")
	roleFlag := fs.String("role", "", "support (reads everything) or admin (also manages catalog, staff and data)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input instead of asking")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	email, ok := domain.NormalizeEmail(*emailFlag)
	if !ok {
		return fmt.Errorf("--email %q is not an email address", *emailFlag)
	}
	role, err := domain.ParseRole(*roleFlag)
	if err != nil {
		return err
	}
	password, err := readPassword(stdin, stderr, *fromStdin)
	if err != nil {
		return err
	}
	hash, err := domain.HashPassword(password)
	if err != nil {
		return err
	}
	store, err := storage.Open(*data, newLogger(stderr))
	if err != nil {
		return err
	}
	defer store.Close()
	now := time.Now().UTC()
	user := domain.StaffUser{Email: email, Role: role, PasswordHash: hash, CreatedAt: now, SessionsFrom: now}
	if old, found, err := store.StaffUser(ctx, email); err != nil {
		return err
	} else if found {
		user.CreatedAt, user.Disabled = old.CreatedAt, old.Disabled
		if old.Disabled {
			fmt.Fprintf(stderr, "note: %s stays disabled; an admin can enable it on /admin/staff\n", email)
		}
	}
	audit := domain.AuditEntry{At: now, Staff: "command line", Action: "staff account saved", Detail: email + " as " + string(role)}
	if err := store.SaveStaffUser(ctx, user, audit); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "staff account %s saved with role %s\n", email, role)
	return nil
}

func readPassword(stdin io.Reader, stderr io.Writer, fromStdin bool) (string, error) {
	if f, ok := stdin.(*os.File); ok && !fromStdin && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "Password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		return string(b), err
	}
	if !fromStdin {
		return "", errors.New("no terminal to ask for the password: pass --password-stdin and pipe it in")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}
