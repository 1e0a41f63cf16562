package views

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// MailFrame is what every mail carries besides its own content: the brand that
// signs it and the support address of its footer.
type MailFrame struct {
	Brand        string
	SupportEmail string
}

// mailBlockKind is what a block of a mail is: the text and the HTML part are
// both written from the same blocks, so the two never tell different things.
type mailBlockKind int

const (
	mailParagraph mailBlockKind = iota
	// mailList is a list of codes such as order numbers, one a line.
	mailList
	// mailLink is a link: a button in the HTML part, the bare URL on a line of
	// its own in the text part (where mail programs make it clickable).
	mailLink
)

type mailBlock struct {
	kind  mailBlockKind
	text  string   // a paragraph, or a link's label
	items []string // a list's
	url   string   // a link's
}

// mailBody is a mail's content, block by block.
type mailBody struct {
	subject string
	blocks  []mailBlock
}

func newMailBody(subject string) *mailBody {
	// A subject is one header line, whatever a brand holds.
	return &mailBody{subject: strings.Join(strings.Fields(subject), " ")}
}

func (b *mailBody) para(format string, args ...any) {
	b.blocks = append(b.blocks, mailBlock{kind: mailParagraph, text: fmt.Sprintf(format, args...)})
}

func (b *mailBody) list(items []string) {
	b.blocks = append(b.blocks, mailBlock{kind: mailList, items: items})
}

func (b *mailBody) link(label, url string) {
	b.blocks = append(b.blocks, mailBlock{kind: mailLink, text: label, url: url})
}

// render writes the mail in f's frame: its subject, text and HTML.
func (b *mailBody) render(f MailFrame) (subject, text, html string) {
	var t strings.Builder
	for _, block := range b.blocks {
		switch block.kind {
		case mailParagraph:
			t.WriteString(block.text + "\n\n")
		case mailList:
			for _, item := range block.items {
				t.WriteString("    " + item + "\n")
			}
			t.WriteString("\n")
		case mailLink:
			t.WriteString(block.url + "\n\n")
		}
	}
	// "-- " opens a signature: mail programs dim it, and leave it out of replies.
	t.WriteString("-- \n" + f.Brand + "\n" + f.footerText() + "\n")

	var h strings.Builder
	if err := mailHTML(f, b.subject, b.blocks).Render(context.Background(), &h); err != nil {
		// Rendering into memory fails only on a bug in the components.
		panic(fmt.Sprintf("views: rendering a mail: %v", err))
	}
	return b.subject, t.String(), h.String()
}

// footerText is the footer's support line, in the words of the vendor's guide.
func (f MailFrame) footerText() string {
	if f.SupportEmail == "" {
		return "Questions about your orders and licenses? Contact us with your purchase email address or an order number."
	}
	return "Questions about your orders and licenses? Write to " + f.SupportEmail +
		", with your purchase email address or an order number."
}

// contactSupport is where a worried reader turns: " at <support address>", or
// nothing when the portal has none.
func (f MailFrame) contactSupport() string {
	if f.SupportEmail == "" {
		return ""
	}
	return " at " + f.SupportEmail
}

// mailDuration says how long a link works, in the largest whole unit:
// "30 minutes", "24 hours", "1 hour".
func mailDuration(d time.Duration) string {
	unit, n := "minute", int((d+time.Minute-1)/time.Minute)
	if d >= time.Hour && d%time.Hour == 0 {
		unit, n = "hour", int(d/time.Hour)
	}
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
