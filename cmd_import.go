package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"portal/domain"
)

// afterAnswer runs once a command has written its answer and before it closes
// the data folder, so that a test can kill the process at that moment. Nothing
// else sets it.
var afterAnswer = func() {}

// importCommand imports a JSON Lines file and prints its report. It fails when the
// file cannot be read or when every line was refused.
func importCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newCommandFlags("import", stderr)
	if err := fs.parse(args, 1, 1, "import needs one file (or - for standard input)"); err != nil {
		return err
	}
	in := stdin
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("cannot read the import file: %w", err)
		}
		defer f.Close()
		in = f
	}
	store, err := fs.openStore(ctx, stderr)
	if err != nil {
		return err
	}
	defer store.Close()

	prefix, err := invoicePrefix(ctx, store)
	if err != nil {
		return err
	}
	report, err := domain.ImportWith(ctx, in, store, domain.ImportOptions{InvoicePrefix: prefix})
	fmt.Fprint(stdout, report.String())
	afterAnswer()
	audit := domain.AuditEntry{At: time.Now().UTC(), Staff: "command line", Action: "import", Detail: report.AuditDetail(fs.Arg(0))}
	if aerr := store.RecordAudit(ctx, audit); aerr != nil && err == nil {
		err = aerr
	}
	if err != nil {
		return fmt.Errorf("import stopped: %w", err)
	}
	if report.Failed() {
		fmt.Fprintln(stderr, "portal: no line could be imported")
		return exitError(1)
	}
	return nil
}
