package mail_test

import (
	"strings"
	"testing"

	"portal/mail"
)

// TestNewSMTPErrors: a bad PORTAL_SMTP_URL or PORTAL_MAIL_FROM stops the start
// with an error that says what is wrong, and never shows the password, not
// even a piece of it.
func TestNewSMTPErrors(t *testing.T) {
	const secret = "s3cr3t"
	tests := []struct {
		name, url, from, want string
	}{
		{"empty URL", "", from, "empty"},
		{"no scheme", "mail.example.com:587", from, "not smtp"},
		{"other scheme", "http://mail.example.com:587", from, `scheme "http"`},
		{"no port", "smtp://portal:" + secret + "@mail.example.com", from, "no port; want smtp://mail.example.com:587"},
		{"no port smtps", "smtps://mail.example.com", from, "smtps://mail.example.com:465"},
		{"port zero", "smtp://mail.example.com:0", from, "between 1 and 65535"},
		{"port too big", "smtp://mail.example.com:70000", from, "between 1 and 65535"},
		{"port not a number", "smtp://portal:" + secret + "@mail.example.com:smtp", from, "not a URL"},
		{"no host", "smtp://:587", from, "no host"},
		{"user without password", "smtp://portal@mail.example.com:587", from, "both a user and a password"},
		{"password without user", "smtp://:" + secret + "@mail.example.com:587", from, "both a user and a password"},
		{"slash in password", "smtp://portal:" + secret + "/x@mail.example.com:587", from, "percent-encode"},
		// Parses, as host "portal" and port 1234, with a path: the password
		// still must not show.
		{"digits and slash in password", "smtp://portal:1234/" + secret + "@mail.example.com:587", from, "path"},
		{"hash in password", "smtp://portal:" + secret + "#x@mail.example.com:587", from, "percent-encode"},
		{"bad escape in password", "smtp://portal:" + secret + "%zz@mail.example.com:587", from, "percent-encode"},
		{"path", "smtp://mail.example.com:587/x", from, "path"},
		{"query", "smtp://mail.example.com:587?tls=no", from, "query"},
		{"empty from", "smtp://mail.example.com:587", "", "From address is empty"},
		{"from not an address", "smtp://mail.example.com:587", "Télésoft", "not an email address"},
		{"from without domain", "smtp://mail.example.com:587", "noreply@mail", "full domain"},
		{"from with two addresses", "smtp://mail.example.com:587", "a@example.com, b@example.com", "not an email address"},
		{"from with a newline", "smtp://mail.example.com:587", "a@example.com\r\nBcc: x@example.com", "not an email address"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := mail.NewSMTP(tc.url, tc.from)
			if err == nil {
				t.Fatalf("accepted as %v", s)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			if strings.Contains(err.Error(), secret[:4]) {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}

func TestNewSMTPAccepts(t *testing.T) {
	for _, tc := range []struct{ url, from, logged string }{
		{"smtp://mail.example.com:25", "noreply@example.com", "smtp://mail.example.com:25"},
		{"smtp://portal:p%40ss%2Fw%3Ard@mail.example.com:587/", "Télésoft Support <support@telesoft.example>", "smtp://portal:xxxxx@mail.example.com:587/"},
		{"SMTPS://portal:pw@[::1]:465", `"Télésoft, SA" <noreply@telesoft.example>`, "smtps://portal:xxxxx@[::1]:465"},
		{"smtp://127.0.0.1:2525", "noreply@localhost", "smtp://127.0.0.1:2525"},
	} {
		s, err := mail.NewSMTP(tc.url, tc.from)
		if err != nil {
			t.Errorf("%s, %s: %v", tc.url, tc.from, err)
			continue
		}
		if s.String() != tc.logged {
			t.Errorf("String() = %q, want %q", s, tc.logged)
		}
	}
}
