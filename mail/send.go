package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"time"

	gomail "github.com/wneessen/go-mail"

	"portal/domain"
)

// Send hands one mail to the SMTP server: From, To, Subject, Date, a
// Message-ID made from m.ID and the From domain, and the text and HTML as
// multipart/alternative. It returns once the server took the mail or refused
// it; Permanent tells whether trying again could help.
func (s *SMTP) Send(ctx context.Context, m domain.Mail) error {
	msg, err := s.message(m)
	if err != nil {
		return &permanentError{fmt.Errorf("mail %s: %w", m.ID, err)}
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	client, err := gomail.NewClient(s.host, s.clientOptions(ctx)...)
	if err != nil {
		return fmt.Errorf("mail %s: %w", m.ID, err)
	}
	err = client.DialAndSendWithContext(ctx, msg)
	if err != nil && msg.IsDelivered() {
		// The server accepted the mail; only the goodbye (RSET, QUIT) failed.
		// Sending it again would deliver it twice.
		return nil
	}
	if err != nil {
		return fmt.Errorf("mail %s via %s:%d: %w", m.ID, s.host, s.port, err)
	}
	return nil
}

// clientOptions configure go-mail for one Send whose deadline ctx carries.
func (s *SMTP) clientOptions(ctx context.Context) []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(s.port),
		gomail.WithTimeout(s.timeout),
		gomail.WithTLSConfig(s.tlsConfig),
		gomail.WithDialContextFunc(s.dialer(ctx)),
	}
	switch {
	case s.implicitTLS:
		// The dialer made the TLS connection; there is nothing to upgrade.
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case s.username != "":
		// A password never crosses the network in clear: without STARTTLS
		// the send fails before AUTH.
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.username != "" {
		// The first of these that the server offers; PLAIN and LOGIN refuse
		// to run on a connection without TLS themselves too.
		opts = append(opts,
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1,
				gomail.SMTPAuthPlain, gomail.SMTPAuthLogin, gomail.SMTPAuthCramMD5),
			gomail.WithUsername(s.username), gomail.WithPassword(s.password))
	}
	return opts
}

// dialer connects for a Send whose deadline sendCtx carries. go-mail uses its
// context for connecting only and then moves the connection's deadline forward
// on every command, so the connection itself keeps to the Send's deadline.
// For smtps:// it makes the TLS connection too (go-mail does not when given a
// dialer).
func (s *SMTP) dialer(sendCtx context.Context) gomail.DialContextFunc {
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		var d net.Dialer
		raw, err := d.DialContext(ctx, network, address)
		if err != nil {
			return nil, err
		}
		conn := newBoundedConn(sendCtx, raw)
		if !s.implicitTLS {
			return conn, nil
		}
		tlsConn := tls.Client(conn, s.tlsConfig)
		if err := tlsConn.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, err
		}
		return tlsConn, nil
	}
}

// message builds m as go-mail sends it.
func (s *SMTP) message(m domain.Mail) (*gomail.Msg, error) {
	if !validMessageIDLeft(m.ID) {
		return nil, fmt.Errorf("the ID %q cannot make a Message-ID (letters, digits, . - _ only)", m.ID)
	}
	to, err := netmail.ParseAddress(m.To)
	if err != nil {
		return nil, fmt.Errorf("recipient %q is not an email address: %v", m.To, err)
	}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(s.from)
	msg.ToMailAddress(to)
	msg.Subject(m.Subject)
	// The mail was written when the change it tells of happened; a retry
	// does not make it newer.
	date := m.Created
	if date.IsZero() {
		date = time.Now()
	}
	msg.SetDateWithValue(date)
	msg.SetMessageIDWithValue(m.ID + "@" + s.fromDomain)
	// RFC 3834: out-of-office replies and the like stay away.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// validMessageIDLeft reports whether id is a dot-atom of the plainest
// characters, which any mail system keeps as it is.
func validMessageIDLeft(id string) bool {
	if id == "" || id[0] == '.' || id[len(id)-1] == '.' {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_':
		case c == '.' && id[i-1] != '.':
		default:
			return false
		}
	}
	return true
}

// permanentError is a mail that no server will ever take as it is.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent reports whether err from Send says that trying the mail again
// would only repeat the refusal: the server answered 5xx to its sender,
// recipient or content (an unknown recipient, say), or the mail itself is
// malformed. Network failures, timeouts and 4xx answers are worth a retry, and
// so are refusals of the connection as a whole (no STARTTLS, a wrong
// password): those are the portal's configuration, which an operator may fix
// while the mail waits in the outbox.
func Permanent(err error) bool {
	var malformed *permanentError
	if errors.As(err, &malformed) {
		return true
	}
	var refused *gomail.SendError
	if errors.As(err, &refused) {
		code := refused.ErrorCode()
		return code >= 500 && code <= 599
	}
	return false
}
