package mailtest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
)

// Message is one message as the server received it, and as its reader sees it.
type Message struct {
	// EnvelopeFrom and EnvelopeTo are MAIL FROM and RCPT TO.
	EnvelopeFrom string
	EnvelopeTo   []string
	// TLS reports whether the message came over TLS; User who signed in, if
	// anyone did.
	TLS  bool
	User string

	// Header holds every header as sent (encoded words left encoded).
	Header mail.Header
	// Subject, From and To are decoded (RFC 2047), as a mail program shows them.
	Subject   string
	From      string
	To        string
	MessageID string
	Date      time.Time
	// ContentType is the top part's media type, such as multipart/alternative.
	ContentType string
	// Text and HTML are the text/plain and text/html parts, decoded from
	// quoted-printable or base64, lines ending in \n.
	Text string
	HTML string
	Raw  []byte
}

// parseMessage reads raw as a mail program would, and fails on anything it
// would not show as the sender meant it.
func parseMessage(raw []byte) (Message, error) {
	parsed, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, err
	}
	m := Message{Header: parsed.Header, Raw: raw, MessageID: parsed.Header.Get("Message-Id")}
	var words mime.WordDecoder
	for _, h := range []struct {
		name string
		to   *string
	}{{"Subject", &m.Subject}, {"From", &m.From}, {"To", &m.To}} {
		if *h.to, err = words.DecodeHeader(parsed.Header.Get(h.name)); err != nil {
			return Message{}, fmt.Errorf("%s: %w", h.name, err)
		}
	}
	if m.Date, err = parsed.Header.Date(); err != nil {
		return Message{}, err
	}
	contentType := parsed.Header.Get("Content-Type")
	if m.ContentType, _, err = mime.ParseMediaType(contentType); err != nil {
		return Message{}, fmt.Errorf("Content-Type: %w", err)
	}
	if err := m.readPart(contentType, parsed.Header.Get("Content-Transfer-Encoding"), parsed.Body); err != nil {
		return Message{}, err
	}
	return m, nil
}

// readPart keeps a text/plain or text/html part, and reads into multiparts.
func (m *Message) readPart(contentType, encoding string, body io.Reader) error {
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("Content-Type %q: %w", contentType, err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		// NextRawPart, not NextPart: NextPart would decode quoted-printable
		// itself and hide what was sent.
		parts := multipart.NewReader(body, params["boundary"])
		for {
			part, err := parts.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := m.readPart(part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"), part); err != nil {
				return err
			}
		}
	}
	if charset := strings.ToLower(params["charset"]); charset != "" && charset != "utf-8" && charset != "us-ascii" {
		return fmt.Errorf("%s part in charset %q, want UTF-8", mediaType, charset)
	}
	text, err := decodeBody(encoding, body)
	if err != nil {
		return fmt.Errorf("%s part: %w", mediaType, err)
	}
	switch mediaType {
	case "text/plain":
		m.Text = text
	case "text/html":
		m.HTML = text
	}
	return nil
}

func decodeBody(encoding string, body io.Reader) (string, error) {
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body) // skips line breaks
	case "", "7bit", "8bit":
	default:
		return "", fmt.Errorf("unknown Content-Transfer-Encoding %q", encoding)
	}
	b, err := io.ReadAll(body)
	// Lines end in CRLF on the wire; a reader sees lines.
	return strings.ReplaceAll(string(b), "\r\n", "\n"), err
}
