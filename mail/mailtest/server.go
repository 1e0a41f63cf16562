// Package mailtest runs an SMTP server inside a test, on 127.0.0.1 and a free
// port, that keeps every message it receives parsed into what its reader sees:
// the envelope, the headers, and the text and HTML decoded. It can require
// AUTH, offer STARTTLS or speak implicit TLS with a certificate made at start,
// and refuse messages, so that tests can send real mail and read it back.
package mailtest

import (
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Option changes what a Server asks of its clients.
type Option func(*Server)

// WithAuth requires AUTH PLAIN with this user and password before MAIL FROM.
// The server accepts it on a connection without TLS too, as a careless server
// would: that lets a test see whether a client sends its password in clear
// (Logins records every attempt).
func WithAuth(username, password string) Option {
	return func(s *Server) { s.username, s.password = username, password }
}

// WithSTARTTLS offers STARTTLS with a self-signed certificate for 127.0.0.1;
// ClientTLSConfig trusts it.
func WithSTARTTLS() Option {
	return func(s *Server) { s.startTLS = true }
}

// WithImplicitTLS speaks TLS from the first byte (smtps://), with the same
// certificate as WithSTARTTLS.
func WithImplicitTLS() Option {
	return func(s *Server) { s.implicitTLS = true }
}

// Server is an SMTP server for one test.
type Server struct {
	t           testing.TB
	username    string
	password    string
	startTLS    bool
	implicitTLS bool
	certificate tls.Certificate
	clientTLS   *tls.Config
	addr        string

	mu       sync.Mutex
	messages []Message
	logins   []Login
	// rejectLeft messages are refused at RCPT TO with rejectWith.
	rejectLeft int
	rejectWith *smtp.SMTPError
	// arrived is closed, and replaced, whenever a message arrives.
	arrived chan struct{}
}

// Login is one AUTH attempt the server received.
type Login struct {
	Username string
	// TLS reports whether the password came over TLS.
	TLS bool
	OK  bool
}

// Start runs a server until the test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{t: t, arrived: make(chan struct{})}
	for _, opt := range opts {
		opt(s)
	}
	var tlsConfig *tls.Config
	if s.startTLS || s.implicitTLS {
		var err error
		s.certificate, s.clientTLS, err = selfSignedCertificate()
		if err != nil {
			t.Fatalf("mailtest: certificate: %v", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{s.certificate}, MinVersion: tls.VersionTLS12}
	}

	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{server: s, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxMessageBytes = 1 << 20
	// Its log would outlive the test (connections end after Cleanup).
	srv.ErrorLog = log.New(io.Discard, "", 0)
	if s.startTLS {
		srv.TLSConfig = tlsConfig
	}

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	s.addr = listener.Addr().String()
	if s.implicitTLS {
		listener = tls.NewListener(listener, tlsConfig)
	}
	go srv.Serve(listener)
	t.Cleanup(func() { srv.Close() })
	return s
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.addr }

// URL is the server as PORTAL_SMTP_URL names it: smtps:// with
// WithImplicitTLS, else smtp://, with the user and password of WithAuth.
func (s *Server) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.addr}
	if s.implicitTLS {
		u.Scheme = "smtps"
	}
	if s.username != "" {
		u.User = url.UserPassword(s.username, s.password)
	}
	return u.String()
}

// ClientTLSConfig trusts the server's certificate, and nothing else; nil when
// the server speaks no TLS.
func (s *Server) ClientTLSConfig() *tls.Config {
	if s.clientTLS == nil {
		return nil
	}
	return s.clientTLS.Clone()
}

// RejectNext refuses the next n messages at RCPT TO with code: 451 (try again
// later) or 550 (no such user), or any other 4xx or 5xx.
func (s *Server) RejectNext(n, code int) {
	if code < 400 || code > 599 {
		s.t.Fatalf("mailtest: RejectNext(%d, %d): want a 4xx or 5xx code", n, code)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejectLeft = n
	s.rejectWith = &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 1, 1},
		Message: "No such user here"}
	if code < 500 {
		s.rejectWith.EnhancedCode = smtp.EnhancedCode{4, 3, 0}
		s.rejectWith.Message = "Try again later"
	}
}

// Messages returns the messages received so far, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.messages)
}

// Logins returns every AUTH attempt so far.
func (s *Server) Logins() []Login {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.logins)
}

// WaitFor waits until at least n messages arrived, and returns them; the test
// fails if they do not within timeout.
func (s *Server) WaitFor(t testing.TB, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		got, arrived := len(s.messages), s.arrived
		s.mu.Unlock()
		if got >= n {
			return s.Messages()
		}
		select {
		case <-arrived:
		case <-deadline.C:
			t.Fatalf("mailtest: %d messages after %v, want %d", got, timeout, n)
		}
	}
}

func (s *Server) record(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, m)
	close(s.arrived)
	s.arrived = make(chan struct{})
}

// session is one client connection's conversation.
type session struct {
	server *Server
	conn   *smtp.Conn
	user   string
	from   string
	to     []string
}

func (ss *session) tls() bool {
	_, ok := ss.conn.TLSConnectionState()
	return ok
}

func (ss *session) AuthMechanisms() []string {
	if ss.server.username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if ss.server.username == "" || mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		ok := username == ss.server.username && password == ss.server.password
		ss.server.mu.Lock()
		ss.server.logins = append(ss.server.logins, Login{Username: username, TLS: ss.tls(), OK: ok})
		ss.server.mu.Unlock()
		if !ok {
			return smtp.ErrAuthFailed
		}
		ss.user = username
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.server.username != "" && ss.user == "" {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.server.mu.Lock()
	defer ss.server.mu.Unlock()
	if ss.server.rejectLeft > 0 {
		ss.server.rejectLeft--
		return ss.server.rejectWith
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := parseMessage(raw)
	if err != nil {
		// The test fails; the client hears a refusal it would retry.
		ss.server.t.Errorf("mailtest: cannot read a message: %v\n%s", err, raw)
		return errors.New("mailtest: unreadable message")
	}
	m.EnvelopeFrom, m.EnvelopeTo = ss.from, slices.Clone(ss.to)
	m.TLS, m.User = ss.tls(), ss.user
	ss.server.record(m)
	return nil
}

func (ss *session) Reset() {
	ss.from, ss.to = "", nil
}

func (ss *session) Logout() error { return nil }
