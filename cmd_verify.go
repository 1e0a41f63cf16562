package main

import (
	"crypto/ed25519"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"portal/domain"
	"portal/storage"
)

// verifyCommand checks a license document offline, with the public key given or
// the one of the data folder's signing key.
func verifyCommand(args []string, stdout, stderr io.Writer) error {
	fs := newCommandFlags("verify", stderr)
	pubFlag := fs.String("public-key", "", "the public key as GET /api/v1/public-key gives it (standard base64); default: the signing key file's")
	keyFile := signingKeyFlag(fs.FlagSet)
	if err := fs.parse(args, 1, 1, "verify needs one file"); err != nil {
		return err
	}
	var pub ed25519.PublicKey
	if *pubFlag != "" {
		var err error
		if pub, err = domain.ParsePublicKey(*pubFlag); err != nil {
			return fmt.Errorf("--public-key: %w", err)
		}
	} else {
		path := *keyFile
		if path == "" {
			path = filepath.Join(*fs.data, storage.SigningKeyFile)
		}
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("no signing key at %s: give --signing-key, --data or --public-key", path)
		}
		key, _, err := storage.LoadSigningKey(path, false)
		if err != nil {
			return err
		}
		pub = key.Public().(ed25519.PublicKey)
	}
	raw, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", fs.Arg(0), err)
	}
	p, err := domain.Verify(pub, raw)
	if err != nil {
		fmt.Fprintf(stdout, "INVALID: %s\n", err)
		return exitError(1)
	}
	fmt.Fprintf(stdout, "VALID: %s document of order %s for serial %q, issued %s\n",
		p.Kind, p.OrderRef, p.Serial, p.IssuedAt.UTC().Format(time.RFC3339))
	for _, l := range p.Licenses {
		fmt.Fprintf(stdout, "  %s: %s %s, %d users, support until %s, version %d\n",
			l.ID, l.Software, l.Edition, l.Users, l.SupportEnd, l.Version)
	}
	return nil
}
