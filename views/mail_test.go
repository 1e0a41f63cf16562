package views_test

import (
	"strings"
	"testing"
	"time"

	"portal/views"
)

var mailFrame = views.MailFrame{Brand: "Télésoft", SupportEmail: "support@telesoft.example"}

// A link with & shows that URLs are escaped in HTML and left alone in text.
const (
	signInURL  = "https://portal.example/login/link?token=Zq9&lang=fr"
	confirmURL = "https://portal.example/account/email/confirm?token=Cf7&x=1"
	cancelURL  = "https://portal.example/account/email/cancel?token=Cn3&x=1"
)

type builtMail struct{ subject, text, html string }

func built(subject, text, html string) builtMail { return builtMail{subject, text, html} }

// TestMailsSayWhatTheyMust: every mail names what the reader needs (order
// numbers, addresses, the link, how long it works, what to do if it was not
// them), in both parts, and carries the brand and support address.
func TestMailsSayWhatTheyMust(t *testing.T) {
	for _, tc := range []struct {
		name    string
		mail    builtMail
		subject string
		// both parts say these; text holds links as they are, HTML escaped.
		says []string
		link string
	}{
		{
			name:    "reminder",
			mail:    built(views.ReminderMail(mailFrame, []string{"JWT100234", "JWT100300"}, signInURL, 30*time.Minute)),
			subject: "Your order numbers — Télésoft",
			says: []string{"JWT100234", "JWT100300", "signs you in once, within 30 minutes",
				"open the link below and press the button", "Access your personal space",
				"any one of your order numbers", "If you did not ask for this email, you can ignore it"},
			link: signInURL,
		},
		{
			name:    "reminder with one order",
			mail:    built(views.ReminderMail(mailFrame, []string{"JWT100234"}, signInURL, 30*time.Minute)),
			subject: "Your order number — Télésoft",
			says:    []string{"the order number bought with this email address", "JWT100234"},
			link:    signInURL,
		},
		{
			name:    "email change confirmation, to the new address",
			mail:    built(views.EmailChangeConfirmMail(mailFrame, "old@example.com", "new@example.com", confirmURL, 24*time.Hour)),
			subject: "Confirm your new email address — Télésoft",
			says: []string{"old@example.com", "new@example.com", "works once, within 24 hours",
				"open the link below and press the button", "If you did not ask for this, ignore this email"},
			link: confirmURL,
		},
		{
			name:    "email change requested, to the old address",
			mail:    built(views.EmailChangeRequestedMail(mailFrame, "old@example.com", "new@example.com", cancelURL)),
			subject: "Someone asked to move your orders — Télésoft",
			says: []string{"old@example.com", "new@example.com", "Nothing changes until that address confirms it",
				"If it was not you, cancel the change: open the link below and press the button",
				"tell us at support@telesoft.example"},
			link: cancelURL,
		},
		{
			name:    "email changed, to the old address",
			mail:    built(views.EmailChangedMail(mailFrame, "old@example.com", "new@example.com")),
			subject: "Your orders moved to a new email address — Télésoft",
			says: []string{"old@example.com", "now belong to new@example.com",
				"If this was not you, contact us at once at support@telesoft.example"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.mail
			if m.subject != tc.subject {
				t.Errorf("subject %q, want %q", m.subject, tc.subject)
			}
			for _, want := range tc.says {
				if !strings.Contains(m.text, want) {
					t.Errorf("text does not say %q:\n%s", want, m.text)
				}
				if !strings.Contains(m.html, want) {
					t.Errorf("HTML does not say %q:\n%s", want, m.html)
				}
			}
			if tc.link != "" {
				if !strings.Contains(m.text, "\n"+tc.link+"\n") {
					t.Errorf("text does not hold %s on a line of its own:\n%s", tc.link, m.text)
				}
				escaped := strings.ReplaceAll(tc.link, "&", "&amp;")
				if !strings.Contains(m.html, `href="`+escaped+`"`) {
					t.Errorf("HTML does not link to %s:\n%s", escaped, m.html)
				}
			}
			footer := "-- \nTélésoft\n"
			if i := strings.LastIndex(m.text, footer); i < 0 || !strings.Contains(m.text[i:], "support@telesoft.example") {
				t.Errorf("text footer lacks the brand or support address:\n%s", m.text)
			}
			if !strings.Contains(m.html, `<title>`+tc.subject+`</title>`) ||
				!strings.Contains(m.html, `href="mailto:support@telesoft.example"`) {
				t.Errorf("HTML lacks its title or the support link:\n%s", m.html)
			}
		})
	}
}

// TestMailHTMLEscapes: a brand, address or link can hold nothing that runs.
func TestMailHTMLEscapes(t *testing.T) {
	f := views.MailFrame{Brand: "<script>alert(1)</script> & Co", SupportEmail: `help"><b>@example.com`}
	for name, m := range map[string]builtMail{
		"reminder": built(views.ReminderMail(f, []string{"<i>JWT1</i>"}, "javascript:alert(2)", time.Hour)),
		"confirm":  built(views.EmailChangeConfirmMail(f, "<old>@example.com", "new@example.com", "javascript:alert(2)", time.Hour)),
		"request":  built(views.EmailChangeRequestedMail(f, "old@example.com", "<new>@example.com", "javascript:alert(2)")),
		"changed":  built(views.EmailChangedMail(f, "<old>@example.com", "new@example.com")),
	} {
		t.Run(name, func(t *testing.T) {
			for _, bad := range []string{"<script>", "<i>", "<old>", "<new>", `"><b>`, `href="javascript:`} {
				if strings.Contains(m.html, bad) {
					t.Errorf("HTML holds %s:\n%s", bad, m.html)
				}
			}
			if !strings.Contains(m.html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co") {
				t.Errorf("HTML does not show the brand escaped:\n%s", m.html)
			}
			if !strings.Contains(m.text, "<script>alert(1)</script> & Co") {
				t.Errorf("text does not show the brand as it is:\n%s", m.text)
			}
		})
	}
}

// TestMailSubjectOneLine: a brand with a line break cannot add a header.
func TestMailSubjectOneLine(t *testing.T) {
	subject, _, _ := views.EmailChangedMail(views.MailFrame{Brand: "Télésoft\r\nBcc: all@example.com"}, "a@example.com", "b@example.com")
	if strings.ContainsAny(subject, "\r\n") || subject != "Your orders moved to a new email address — Télésoft Bcc: all@example.com" {
		t.Errorf("subject %q", subject)
	}
}

// TestMailLinkLifetime: how long a link works reads as a person says it.
func TestMailLinkLifetime(t *testing.T) {
	for d, want := range map[time.Duration]string{
		30 * time.Minute: "within 30 minutes", 24 * time.Hour: "within 24 hours", time.Hour: "within 1 hour",
		90 * time.Minute: "within 90 minutes", 90 * time.Second: "within 2 minutes", time.Minute: "within 1 minute",
	} {
		if _, text, _ := views.EmailChangeConfirmMail(mailFrame, "a@example.com", "b@example.com", confirmURL, d); !strings.Contains(text, want) {
			t.Errorf("%v: text does not say %q", d, want)
		}
	}
}

// TestMailWithoutSupportAddress: a portal without one still signs its mail.
func TestMailWithoutSupportAddress(t *testing.T) {
	_, text, html := views.EmailChangedMail(views.MailFrame{Brand: "Télésoft"}, "a@example.com", "b@example.com")
	for _, part := range []string{text, html} {
		if strings.Contains(part, "mailto:") || strings.Contains(part, " at ,") || !strings.Contains(part, "contact us at once, with") {
			t.Errorf("part:\n%s", part)
		}
	}
}
