package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"portal/domain"
	"portal/mail"
	"portal/mail/mailtest"
	"portal/views"
)

const from = "Télésoft <noreply@telesoft.example>"

var created = time.Date(2026, 11, 27, 14, 30, 5, 0, time.UTC)

func testMail(id string) domain.Mail {
	return domain.Mail{
		ID:      id,
		To:      "zoe@example.com",
		Subject: "Vos numéros de commande — Télésoft",
		Text:    "Bonjour Zoë,\n\nVotre commande JWT100234 est prête. Accès à votre espace : https://portal.example/login/link/abc\n\n-- \nTélésoft\n",
		HTML:    "<p>Bonjour Zoë,</p>\n<p>Votre commande <b>JWT100234</b> est prête.</p>\n",
		Created: created,
	}
}

func newSMTP(t *testing.T, rawURL string, opts ...mail.Option) *mail.SMTP {
	t.Helper()
	s, err := mail.NewSMTP(rawURL, from, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func send(t *testing.T, s *mail.SMTP, m domain.Mail) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.Send(ctx, m)
}

// TestSendReadBack: what the customer's mail program shows is what the portal
// wrote, accents included, with both parts and a Message-ID made from the ID.
func TestSendReadBack(t *testing.T) {
	server := mailtest.Start(t)
	m := testMail("01JD7Q3M4R8T")
	if err := send(t, newSMTP(t, server.URL()), m); err != nil {
		t.Fatal(err)
	}
	got := server.WaitFor(t, 1, 5*time.Second)[0]

	if got.EnvelopeFrom != "noreply@telesoft.example" || strings.Join(got.EnvelopeTo, ",") != "zoe@example.com" {
		t.Errorf("envelope %q → %q", got.EnvelopeFrom, got.EnvelopeTo)
	}
	for _, h := range []struct{ name, got, want string }{
		{"Subject", got.Subject, m.Subject},
		{"From", got.From, "Télésoft <noreply@telesoft.example>"},
		{"To", got.To, "<zoe@example.com>"},
		{"Message-ID", got.MessageID, "<01JD7Q3M4R8T@telesoft.example>"},
		{"Content-Type", got.ContentType, "multipart/alternative"},
		{"Auto-Submitted", got.Header.Get("Auto-Submitted"), "auto-generated"},
		{"Text", got.Text, m.Text},
		{"HTML", got.HTML, m.HTML},
	} {
		if h.got != h.want {
			t.Errorf("%s = %q, want %q", h.name, h.got, h.want)
		}
	}
	if !got.Date.Equal(created) {
		t.Errorf("Date = %v, want the mail's creation %v", got.Date, created)
	}
	if got.TLS {
		t.Error("TLS without a server that offers it")
	}
	// Non-ASCII never goes out raw: mail systems that are not 8-bit clean
	// would garble it.
	for i, c := range got.Raw {
		if c >= 0x80 {
			t.Fatalf("raw byte %#x at %d: %s", c, i, got.Raw)
		}
	}
}

// TestMessageIDPerMail: every mail has its own Message-ID, made from its ID, so
// that a retried mail keeps its identity and two mails never share one.
func TestMessageIDPerMail(t *testing.T) {
	server := mailtest.Start(t)
	s := newSMTP(t, server.URL())
	for _, id := range []string{"m-1", "m-2", "m.3_x"} {
		if err := send(t, s, testMail(id)); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	for i, got := range server.WaitFor(t, 3, 5*time.Second) {
		want := "<" + []string{"m-1", "m-2", "m.3_x"}[i] + "@telesoft.example>"
		if got.MessageID != want || seen[got.MessageID] {
			t.Errorf("message %d: Message-ID %q, want %q once", i, got.MessageID, want)
		}
		seen[got.MessageID] = true
	}
}

// TestTextOnly: a mail without HTML is one text part, not an empty alternative.
func TestTextOnly(t *testing.T) {
	server := mailtest.Start(t)
	m := testMail("text-only")
	m.HTML = ""
	if err := send(t, newSMTP(t, server.URL()), m); err != nil {
		t.Fatal(err)
	}
	got := server.WaitFor(t, 1, 5*time.Second)[0]
	if got.ContentType != "text/plain" || got.Text != m.Text || got.HTML != "" {
		t.Errorf("Content-Type %q, text %q, HTML %q", got.ContentType, got.Text, got.HTML)
	}
}

// TestMalformedMail: a mail no server would take is refused before
// connecting, and for good.
func TestMalformedMail(t *testing.T) {
	server := mailtest.Start(t)
	s := newSMTP(t, server.URL())
	for name, m := range map[string]domain.Mail{
		"ID with a space": func() domain.Mail { m := testMail("a b"); return m }(),
		"empty ID":        func() domain.Mail { m := testMail(""); return m }(),
		"ID with an @":    func() domain.Mail { m := testMail("a@b"); return m }(),
		"bad recipient":   func() domain.Mail { m := testMail("ok"); m.To = "zoe at example.com"; return m }(),
		"two recipients":  func() domain.Mail { m := testMail("ok"); m.To = "a@example.com, b@example.com"; return m }(),
	} {
		t.Run(name, func(t *testing.T) {
			err := send(t, s, m)
			if err == nil || !mail.Permanent(err) {
				t.Fatalf("err %v, want a permanent error", err)
			}
		})
	}
	if n := len(server.Messages()); n != 0 {
		t.Errorf("%d messages sent", n)
	}
}

// TestRefusals: a 451 is worth retrying, a 550 is not; after a 451 the next
// try goes through.
func TestRefusals(t *testing.T) {
	server := mailtest.Start(t)
	s := newSMTP(t, server.URL())

	server.RejectNext(1, 451)
	err := send(t, s, testMail("greylisted"))
	if err == nil || mail.Permanent(err) {
		t.Fatalf("451: err %v, want a temporary error", err)
	}
	if err := send(t, s, testMail("greylisted")); err != nil {
		t.Fatalf("retry after 451: %v", err)
	}

	server.RejectNext(1, 550)
	err = send(t, s, testMail("unknown-user"))
	if err == nil || !mail.Permanent(err) {
		t.Fatalf("550: err %v, want a permanent error", err)
	}
	if got := server.Messages(); len(got) != 1 || got[0].MessageID != "<greylisted@telesoft.example>" {
		t.Errorf("messages %v, want the retried one only", got)
	}
}

// TestReminderThroughSMTP: the reminder as the customer reads it, after the
// trip through SMTP, is word for word what the portal wrote.
func TestReminderThroughSMTP(t *testing.T) {
	server := mailtest.Start(t)
	frame := views.MailFrame{Brand: "Télésoft", SupportEmail: "support@telesoft.example"}
	subject, text, html := views.ReminderMail(frame, []string{"JWT100234", "JWT100300"},
		"https://portal.example/login/link?token=Zq9&lang=fr", 30*time.Minute)
	m := domain.Mail{ID: "reminder-1", To: "zoe@example.com", Subject: subject, Text: text, HTML: html, Created: created}
	if err := send(t, newSMTP(t, server.URL()), m); err != nil {
		t.Fatal(err)
	}
	got := server.WaitFor(t, 1, 5*time.Second)[0]
	if got.Subject != subject || got.Text != text || got.HTML != html {
		t.Errorf("read back:\nsubject %q\ntext %q\nHTML %q\nwant:\nsubject %q\ntext %q\nHTML %q",
			got.Subject, got.Text, got.HTML, subject, text, html)
	}
}
