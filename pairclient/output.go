package pairclient

import (
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"portal/domain"
)

// writePrompt tells the person how to approve the pairing: the link and the
// code, and a QR code of the link that carries the code, for a phone.
func writePrompt(out io.Writer, req Request, serial string, auth *oauth2.DeviceAuthResponse) error {
	code := auth.UserCode
	if normal, ok := domain.NormalizeUserCode(code); ok {
		code = domain.FormatUserCode(normal) // WDJB-MJHT, however the portal sent it
	}
	link := auth.VerificationURIComplete
	if link == "" {
		link = auth.VerificationURI
	}
	fmt.Fprintf(out, "To give this computer its %s license, open\n\n    %s\n\n", req.Software, auth.VerificationURI)
	fmt.Fprintf(out, "sign in, and type the code\n\n    %s\n\n", code)
	fmt.Fprintf(out, "or scan this QR code, which opens %s\n\n", link)
	if err := WriteQR(out, link); err != nil {
		return err
	}
	wait := "Waiting for the approval"
	if !auth.Expiry.IsZero() {
		wait += " (the code expires in " + roughly(time.Until(auth.Expiry)) + ")"
	}
	host := ""
	if req.Hostname != "" {
		host = ", host " + req.Hostname
	}
	_, err := fmt.Fprintf(out, "\nThe portal will show: %s, serial %s%s.\n%s; Ctrl+C stops.\n", req.Software, serial, host, wait)
	return err
}

// roughly says a duration as a person would: "10 minutes", "40 seconds".
func roughly(d time.Duration) string {
	unit, n := "minute", int(d.Round(time.Minute)/time.Minute)
	if d < time.Minute {
		unit, n = "second", int(d.Round(time.Second)/time.Second)
	}
	if n != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s", n, unit)
}

// WriteResult says what the pairing brought: the activation key masked, as
// everywhere the portal shows one, and the licenses the document grants.
func WriteResult(out io.Writer, r Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Paired: serial %s, order %s, license issued %s.\n",
		r.License.Serial, r.License.OrderRef, r.License.IssuedAt.UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "Activation key: %s (masked; the software keeps it)\n", domain.MaskKey(r.ActivationKey))
	source := "the public key given"
	if r.KeyURL != "" {
		source = "the public key from " + r.KeyURL
	}
	fmt.Fprintf(&b, "Signature checked with %s.\n", source)
	fmt.Fprintf(&b, "Licenses:\n")
	for _, l := range r.License.Licenses {
		fmt.Fprintf(&b, "  %s %s, %d users, support until %s\n", l.Software, l.Edition, l.Users, l.SupportEnd)
	}
	_, err := io.WriteString(out, b.String())
	return err
}
