// Package mail sends the portal's mail: through an SMTP server (SMTP), or, for
// the demo only, into memory (Outbox). It knows domain.Mail and nothing of
// storage: the durable outbox hands it one mail at a time and decides, with
// Permanent, whether a failed one is tried again.
package mail

import (
	"crypto/tls"
	"errors"
	"fmt"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultTimeout bounds one Send, from connecting to the server's last answer:
// a server that stops answering holds the outbox up for no longer than this.
const DefaultTimeout = 20 * time.Second

// SMTP sends mail through one SMTP server, as PORTAL_SMTP_URL and
// PORTAL_MAIL_FROM describe it. It is safe for concurrent use: every Send
// opens its own connection.
type SMTP struct {
	host string
	port int
	// implicitTLS is smtps://: TLS from the first byte, no STARTTLS.
	implicitTLS bool
	// username and password are empty when the server takes mail without
	// AUTH; when set, STARTTLS is required before either is sent.
	username string
	password string
	from     *netmail.Address
	// fromDomain is the domain of the From address, the right side of every
	// Message-ID: the portal speaks for that domain.
	fromDomain string
	tlsConfig  *tls.Config
	timeout    time.Duration
	// redacted is the URL with the password hidden, for logs.
	redacted string
}

// Option changes how NewSMTP's SMTP connects.
type Option func(*SMTP)

// WithTLSConfig sets the TLS configuration for STARTTLS and smtps://. Tests
// use it to trust their server's self-signed certificate (RootCAs); the serve
// command passes none, so certificates are verified against the system's
// roots. An empty ServerName becomes the URL's host, and TLS 1.2 is the least
// version accepted whatever config says.
func WithTLSConfig(config *tls.Config) Option {
	return func(s *SMTP) { s.tlsConfig = config.Clone() }
}

// WithTimeout bounds one Send instead of DefaultTimeout.
func WithTimeout(d time.Duration) Option {
	return func(s *SMTP) { s.timeout = d }
}

// NewSMTP checks rawURL (smtp://[user:pass@]host:port, or smtps:// for
// implicit TLS) and from (an address, optionally with a display name:
// `Télésoft <noreply@telesoft.example>`). No connection is made: a server
// that is down at start only delays mail, which waits in the outbox. Errors
// name what is wrong and never contain the password.
func NewSMTP(rawURL, from string, opts ...Option) (*SMTP, error) {
	s := &SMTP{timeout: DefaultTimeout}
	if err := s.parseURL(rawURL); err != nil {
		return nil, err
	}
	if err := s.parseFrom(from); err != nil {
		return nil, err
	}
	for _, opt := range opts {
		opt(s)
	}
	if s.timeout <= 0 {
		return nil, errors.New("mail: the send timeout must be positive")
	}
	if s.tlsConfig == nil {
		s.tlsConfig = &tls.Config{}
	}
	if s.tlsConfig.ServerName == "" {
		s.tlsConfig.ServerName = s.host
	}
	s.tlsConfig.MinVersion = max(s.tlsConfig.MinVersion, tls.VersionTLS12)
	return s, nil
}

// String is the server's URL with the password hidden, for the start log.
func (s *SMTP) String() string { return s.redacted }

func (s *SMTP) parseURL(rawURL string) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("mail: SMTP URL %q: %s", redactURL(rawURL), fmt.Sprintf(format, args...))
	}
	if strings.TrimSpace(rawURL) == "" {
		return errors.New("mail: the SMTP URL is empty; want smtp://[user:password@]host:port or smtps://...")
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		if strings.Contains(rawURL, "@") {
			// url.Parse's own message may quote a piece of the password.
			return bad("not a URL; percent-encode the characters @ : / ? # %% in the user and password")
		}
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err
		}
		return bad("not a URL: %v", err)
	}
	switch u.Scheme {
	case "smtp":
	case "smtps":
		s.implicitTLS = true
	case "":
		return bad("no scheme; want smtp://host:port (STARTTLS) or smtps://host:port (implicit TLS)")
	default:
		return bad("scheme %q is not smtp (STARTTLS) or smtps (implicit TLS)", u.Scheme)
	}
	if u.Opaque != "" || u.Host == "" {
		return bad("no host; want %s://host:port", u.Scheme)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return bad("has a path, query or fragment; want %s://host:port only (percent-encode / ? # in the password)", u.Scheme)
	}
	s.host = u.Hostname()
	if s.host == "" {
		return bad("no host; want %s://host:port", u.Scheme)
	}
	if u.Port() == "" {
		usual := 587 // submission with STARTTLS
		if s.implicitTLS {
			usual = 465
		}
		return bad("no port; want %s://%s:%d, for example", u.Scheme, s.host, usual)
	}
	s.port, err = strconv.Atoi(u.Port())
	if err != nil || s.port < 1 || s.port > 65535 {
		return bad("port %q is not between 1 and 65535", u.Port())
	}
	if u.User != nil {
		s.username = u.User.Username()
		s.password, _ = u.User.Password()
		if s.username == "" || s.password == "" {
			return bad("credentials need both a user and a password (user:password@host)")
		}
	}
	s.redacted = u.Redacted()
	return nil
}

func (s *SMTP) parseFrom(from string) error {
	if strings.TrimSpace(from) == "" {
		return errors.New("mail: the From address is empty; want noreply@example.com or Name <noreply@example.com>")
	}
	addr, err := netmail.ParseAddress(from)
	if err != nil {
		return fmt.Errorf("mail: From %q is not an email address (noreply@example.com or Name <noreply@example.com>): %v", from, err)
	}
	at := strings.LastIndexByte(addr.Address, '@')
	domain := strings.ToLower(addr.Address[at+1:])
	if at < 1 || !strings.Contains(domain, ".") && domain != "localhost" {
		return fmt.Errorf("mail: From %q needs a full domain, such as noreply@example.com", from)
	}
	if strings.HasPrefix(domain, "[") {
		return fmt.Errorf("mail: From %q needs a domain name, not an address literal", from)
	}
	s.from, s.fromDomain = addr, domain
	return nil
}

// redactURL hides everything between the scheme and the last @ of a URL that
// may not parse, so that no error quotes a user's password, whole or in part.
func redactURL(raw string) string {
	at := strings.LastIndexByte(raw, '@')
	if at < 0 {
		return raw
	}
	start := 0
	if i := strings.Index(raw, "://"); i >= 0 && i < at {
		start = i + len("://")
	}
	return raw[:start] + "xxxxx" + raw[at:]
}
