package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"portal/domain"
)

// userCommand manages staff accounts: "user add".
func userCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New(`usage: portal user add --email E --role support|admin [--password-stdin]`)
	}
	fs := newCommandFlags("user add", stderr)
	emailFlag := fs.String("email", "", "the staff member's email")
	roleFlag := fs.String("role", "", "support (reads everything) or admin (also manages catalog, staff and data)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input instead of asking")
	if err := fs.parse(args[1:], 0, 0, "user add takes only flags"); err != nil {
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
	store, err := fs.openStore(ctx, stderr)
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
