package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"portal/domain"
	"portal/pairclient"
)

// pairCommand does what the licensed software does to be paired with a portal
// (RFC 8628's device flow): it shows a code and a QR code, waits for a customer
// to approve it in the portal, and checks the signed license it receives. It is
// the reference client the README explains.
func pairCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pair", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("base", "", "the portal's address, such as https://licenses.example.com")
	serial := fs.String("serial", "", "the computer's serial number, which the license will name")
	software := fs.String("software", "", `the software's name, as the portal's products name it (such as "Remote Work")`)
	hostname := fs.String("hostname", "", "the name the customer sees for this computer (default: this computer's host name)")
	pubFlag := fs.String("public-key", "", "the public key as GET /api/v1/public-key gives it (standard base64); default: fetched from --base")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 || *base == "" || *serial == "" || *software == "" {
		return errors.New("usage: portal pair --base URL --serial S --software NAME [--hostname H] [--public-key B64]")
	}
	req := pairclient.Request{Base: *base, Software: *software, Serial: *serial, Hostname: *hostname}
	if req.Hostname == "" {
		req.Hostname, _ = os.Hostname() // only shown to the customer: none is fine
	}
	if *pubFlag != "" {
		pub, err := domain.ParsePublicKey(*pubFlag)
		if err != nil {
			return fmt.Errorf("--public-key: %w", err)
		}
		req.PublicKey = pub
	}
	result, err := pairclient.Pair(ctx, req, stdout)
	if err != nil {
		return err
	}
	return pairclient.WriteResult(stdout, result)
}
