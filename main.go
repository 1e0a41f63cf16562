// Command portal is a self-hosted customer license portal: customers sign in with
// their purchase email and an order number to see their orders and licenses, and
// support staff look the same orders up.
//
// Usage:
//
//	portal [serve] [--demo] [flags]   start the web server (the default command)
//	portal import FILE                import products and orders (JSON Lines; - for stdin)
//	portal export|backup|restore|user|verify|pair|version ...
//
// Every command reads the data folder from --data or PORTAL_DATA. This file
// only dispatches; each command lives in its own cmd_*.go file.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		var exit exitError
		if errors.As(err, &exit) {
			os.Exit(int(exit))
		}
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(1)
	}
}

// exitError ends the program with a status after the command has said why itself.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	command := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		command, args = args[0], args[1:]
	}
	switch command {
	case "serve":
		return serveCommand(ctx, args, stdout, stderr)
	case "import":
		return importCommand(ctx, args, stdin, stdout, stderr)
	case "verify":
		return verifyCommand(args, stdout, stderr)
	case "pair":
		return pairCommand(ctx, args, stdout, stderr)
	case "export":
		return exportCommand(ctx, args, stdout, stderr)
	case "backup":
		return backupCommand(ctx, args, stdout, stderr)
	case "restore":
		return restoreCommand(ctx, args, stdout, stderr)
	case "copy":
		return copyCommand(ctx, args, stdout, stderr)
	case "migrate":
		return migrateCommand(ctx, args, stdout, stderr)
	case "keygen":
		return keygenCommand(args, stdout, stderr)
	case "user":
		return userCommand(ctx, args, stdin, stdout, stderr)
	case "version", "--version":
		return versionCommand(args, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", command)
	}
}

const usage = `Usage:
  portal [serve] [--demo] [flags]   start the portal (default command)
  portal import FILE                import products and orders from JSON Lines (- reads stdin)
  portal export [FILE]              write the catalog and orders as JSON Lines (stdout without FILE)
  portal backup FILE                write a backup of everything (restorable into any backend)
  portal restore FILE               restore a backup into an empty data folder or database
  portal copy --to URL | --from URL copy everything between the data folder and a PostgreSQL database
  portal migrate                    bring a PostgreSQL database to this portal's schema
  portal keygen FILE                make a new license-signing key file
  portal user add --email E --role support|admin [--password-stdin]
                                    add a staff account (or reset its password)
  portal verify [--public-key B64] FILE
                                    check a license document or .lic file offline
  portal pair --base URL --serial S --software NAME [--hostname H] [--public-key B64]
                                    pair a computer as the licensed software does (RFC 8628)
  portal version                    print the version, the commit and the Go release of this binary

Every command reads the store from --data DIR (PORTAL_DATA, default ./data) or
--database-url postgres://... (PORTAL_DATABASE_URL).
Run "portal serve -h" for the server's flags and their environment variables.
`
