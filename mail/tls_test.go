package mail_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"portal/mail"
	"portal/mail/mailtest"
)

const password = "s3cr3t-Pa55"

// TestSTARTTLSWithAuth: with credentials, the client upgrades to TLS, then
// signs in, then sends.
func TestSTARTTLSWithAuth(t *testing.T) {
	server := mailtest.Start(t, mailtest.WithSTARTTLS(), mailtest.WithAuth("portal", password))
	s := newSMTP(t, server.URL(), mail.WithTLSConfig(server.ClientTLSConfig()))
	if strings.Contains(s.String(), password) || !strings.Contains(s.String(), server.Addr()) {
		t.Errorf("String() = %q, want the address without the password", s.String())
	}
	if err := send(t, s, testMail("starttls")); err != nil {
		t.Fatal(err)
	}
	got := server.WaitFor(t, 1, 5*time.Second)[0]
	if !got.TLS || got.User != "portal" {
		t.Errorf("TLS %v, user %q: want TLS and portal", got.TLS, got.User)
	}
	for _, l := range server.Logins() {
		if !l.TLS {
			t.Errorf("login %+v without TLS", l)
		}
	}
}

// TestCredentialsNeedSTARTTLS: a server that offers no STARTTLS never gets
// the password, even one that would take it in clear; the mail waits
// (temporary error) until the operator fixes the server or the URL.
func TestCredentialsNeedSTARTTLS(t *testing.T) {
	server := mailtest.Start(t, mailtest.WithAuth("portal", password))
	err := send(t, newSMTP(t, server.URL()), testMail("cleartext"))
	if err == nil {
		t.Fatal("sent with credentials over a connection without TLS")
	}
	if mail.Permanent(err) {
		t.Errorf("err %v is permanent; the server's configuration may change", err)
	}
	if strings.Contains(err.Error(), password) {
		t.Errorf("error shows the password: %v", err)
	}
	if logins := server.Logins(); len(logins) != 0 {
		t.Errorf("logins %+v: the password crossed the network in clear", logins)
	}
	if n := len(server.Messages()); n != 0 {
		t.Errorf("%d messages received", n)
	}
}

// TestCertificateVerified: a server whose certificate the client does not
// trust gets neither the password nor the mail.
func TestCertificateVerified(t *testing.T) {
	for name, opt := range map[string]mailtest.Option{
		"STARTTLS":     mailtest.WithSTARTTLS(),
		"implicit TLS": mailtest.WithImplicitTLS(),
	} {
		t.Run(name, func(t *testing.T) {
			server := mailtest.Start(t, opt, mailtest.WithAuth("portal", password))
			err := send(t, newSMTP(t, server.URL()), testMail("untrusted"))
			if err == nil || !strings.Contains(err.Error(), "certificate") {
				t.Fatalf("err %v, want a certificate error", err)
			}
			if len(server.Logins()) != 0 || len(server.Messages()) != 0 {
				t.Errorf("logins %v, messages %d", server.Logins(), len(server.Messages()))
			}
		})
	}
}

// TestOpportunisticSTARTTLS: without credentials, TLS is used when offered.
func TestOpportunisticSTARTTLS(t *testing.T) {
	server := mailtest.Start(t, mailtest.WithSTARTTLS())
	if err := send(t, newSMTP(t, server.URL(), mail.WithTLSConfig(server.ClientTLSConfig())), testMail("opportunistic")); err != nil {
		t.Fatal(err)
	}
	if got := server.WaitFor(t, 1, 5*time.Second)[0]; !got.TLS {
		t.Error("sent in clear to a server that offers STARTTLS")
	}
}

// TestImplicitTLS: smtps:// speaks TLS from the first byte.
func TestImplicitTLS(t *testing.T) {
	server := mailtest.Start(t, mailtest.WithImplicitTLS(), mailtest.WithAuth("portal", password))
	if !strings.HasPrefix(server.URL(), "smtps://") {
		t.Fatalf("URL %q", server.URL())
	}
	s := newSMTP(t, server.URL(), mail.WithTLSConfig(server.ClientTLSConfig()))
	if err := send(t, s, testMail("implicit")); err != nil {
		t.Fatal(err)
	}
	got := server.WaitFor(t, 1, 5*time.Second)[0]
	if !got.TLS || got.User != "portal" || got.MessageID != "<implicit@telesoft.example>" {
		t.Errorf("TLS %v, user %q, Message-ID %q", got.TLS, got.User, got.MessageID)
	}
}

// silentServer accepts connections and never says a word, as a hung server
// or a firewall that swallows packets would.
func silentServer(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { conn.Close() })
		}
	}()
	return "smtp://" + l.Addr().String()
}

// TestTimeout: a server that does not answer holds a Send for the timeout,
// not longer, and the caller may give up sooner; both are worth a retry.
func TestTimeout(t *testing.T) {
	rawURL := silentServer(t)
	t.Run("timeout", func(t *testing.T) {
		s := newSMTP(t, rawURL, mail.WithTimeout(300*time.Millisecond))
		start := time.Now()
		err := s.Send(context.Background(), testMail("timeout"))
		if err == nil || mail.Permanent(err) {
			t.Fatalf("err %v, want a temporary error", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("took %v", d)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		s := newSMTP(t, rawURL) // the default timeout, 20 s
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := s.Send(ctx, testMail("cancelled"))
		if err == nil || mail.Permanent(err) {
			t.Fatalf("err %v, want a temporary error", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("took %v after the caller gave up", d)
		}
	})
}

// TestWrongPassword: a refused login does not show the password, and the mail
// waits for the operator to fix it rather than being dropped.
func TestWrongPassword(t *testing.T) {
	server := mailtest.Start(t, mailtest.WithSTARTTLS(), mailtest.WithAuth("portal", "the-right-one"))
	rawURL := strings.Replace(server.URL(), "the-right-one", password, 1)
	err := send(t, newSMTP(t, rawURL, mail.WithTLSConfig(server.ClientTLSConfig())), testMail("wrong-password"))
	if err == nil || mail.Permanent(err) {
		t.Fatalf("err %v, want a temporary error", err)
	}
	if strings.Contains(err.Error(), password) {
		t.Errorf("error shows the password: %v", err)
	}
	if logins := server.Logins(); len(logins) != 1 || logins[0].OK || !logins[0].TLS {
		t.Errorf("logins %+v, want one refused over TLS", logins)
	}
}
