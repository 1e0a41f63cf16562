package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"portal/storage"
)

// keygenCommand makes a new license-signing key in a new PEM file (readable by
// its owner only), to give to every instance of a portal with --signing-key.
// An existing file is never replaced: a new key would make every license
// document signed so far fail to verify.
func keygenCommand(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("keygen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: portal keygen FILE")
	}
	if _, err := storage.NewSigningKeyFile(fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "new signing key written to %s (keep it safe, and back it up apart from the data)\n", fs.Arg(0))
	return nil
}
