package mailtest_test

import (
	"net/smtp"
	"strings"
	"testing"
	"time"

	"portal/mail/mailtest"
)

// A message as another mail library might write it: base64 parts, encoded
// words in B encoding, CRLF line ends.
const rawMessage = "From: =?UTF-8?B?VMOpbMOpc29mdA==?= <noreply@telesoft.example>\r\n" +
	"To: zoe@example.com\r\n" +
	"Subject: =?UTF-8?B?Q29tbWFuZGUgcHLDqnRl?=\r\n" +
	"Date: Fri, 27 Nov 2026 14:30:05 +0100\r\n" +
	"Message-ID: <abc@telesoft.example>\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/alternative; boundary=\"b1\"\r\n" +
	"\r\n" +
	"--b1\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"Q29tbWFuZGUgSldUMTAwMjM0IHByw6p0ZS4K\r\n" +
	"--b1\r\n" +
	"Content-Type: text/html; charset=utf-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"<p>Commande <b>JWT100234</b> pr=C3=AAte, avec une tr=\r\n" +
	"=C3=A8s longue ligne.</p>\r\n" +
	"--b1--\r\n"

// TestReadsWhatAReaderSees: the server decodes headers and parts whatever
// their encoding, and records the envelope.
func TestReadsWhatAReaderSees(t *testing.T) {
	server := mailtest.Start(t)
	if err := smtp.SendMail(server.Addr(), nil, "bounce@telesoft.example", []string{"zoe@example.com"}, []byte(rawMessage)); err != nil {
		t.Fatal(err)
	}
	got := server.WaitFor(t, 1, 5*time.Second)[0]
	for _, f := range []struct{ name, got, want string }{
		{"envelope from", got.EnvelopeFrom, "bounce@telesoft.example"},
		{"envelope to", strings.Join(got.EnvelopeTo, ","), "zoe@example.com"},
		{"Subject", got.Subject, "Commande prête"},
		{"From", got.From, "Télésoft <noreply@telesoft.example>"},
		{"To", got.To, "zoe@example.com"},
		{"Message-ID", got.MessageID, "<abc@telesoft.example>"},
		{"Content-Type", got.ContentType, "multipart/alternative"},
		{"Text", got.Text, "Commande JWT100234 prête.\n"},
		{"HTML", got.HTML, "<p>Commande <b>JWT100234</b> prête, avec une très longue ligne.</p>"},
		{"Date", got.Date.UTC().Format(time.RFC3339), "2026-11-27T13:30:05Z"},
	} {
		if f.got != f.want {
			t.Errorf("%s = %q, want %q", f.name, f.got, f.want)
		}
	}
}

// TestRejectNext: refusals are counted, and the server takes mail again after.
func TestRejectNext(t *testing.T) {
	server := mailtest.Start(t)
	server.RejectNext(2, 451)
	for i, want := range []string{"451", "451", ""} {
		err := smtp.SendMail(server.Addr(), nil, "a@example.com", []string{"zoe@example.com"}, []byte(rawMessage))
		if got := errString(err); !strings.HasPrefix(got, want) || (want == "") != (err == nil) {
			t.Errorf("message %d: err %q, want %q", i, got, want)
		}
	}
	if n := len(server.Messages()); n != 1 {
		t.Errorf("%d messages, want 1", n)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestAuthRequired: WithAuth refuses mail before AUTH, and records logins.
func TestAuthRequired(t *testing.T) {
	server := mailtest.Start(t, mailtest.WithAuth("portal", "pw"))
	err := smtp.SendMail(server.Addr(), nil, "a@example.com", []string{"zoe@example.com"}, []byte(rawMessage))
	if err == nil {
		t.Fatal("mail taken without AUTH")
	}
	// net/smtp sends PLAIN in clear to localhost only: enough here.
	err = smtp.SendMail(server.Addr(), smtp.PlainAuth("", "portal", "wrong", "127.0.0.1"), "a@example.com", []string{"zoe@example.com"}, []byte(rawMessage))
	if err == nil {
		t.Fatal("mail taken with a wrong password")
	}
	err = smtp.SendMail(server.Addr(), smtp.PlainAuth("", "portal", "pw", "127.0.0.1"), "a@example.com", []string{"zoe@example.com"}, []byte(rawMessage))
	if err != nil {
		t.Fatal(err)
	}
	logins := server.Logins()
	if len(logins) != 2 || logins[0].OK || !logins[1].OK || logins[1].TLS {
		t.Errorf("logins %+v", logins)
	}
	if got := server.WaitFor(t, 1, 5*time.Second)[0]; got.User != "portal" {
		t.Errorf("user %q", got.User)
	}
}
