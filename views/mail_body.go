package views

import (
	"context"
	"fmt"
	"strings"

	"portal/i18n"
)

// MailFrame is what every mail carries besides its own content: the brand that
// signs it, the support address of its footer, and its language (English when
// nil).
type MailFrame struct {
	Brand        string
	SupportEmail string
	Lang         *i18n.Lang
}

func (f MailFrame) lang() *i18n.Lang {
	if f.Lang == nil {
		return i18n.Builtin().English
	}
	return f.Lang
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

// mailBody is a mail's content, block by block, in its frame's language.
type mailBody struct {
	frame   MailFrame
	subject string
	blocks  []mailBlock
}

func newMailBody(f MailFrame, subject string) *mailBody {
	// A subject is one header line, whatever a brand holds.
	return &mailBody{frame: f, subject: strings.Join(strings.Fields(subject), " ")}
}

// para adds the message key as a paragraph.
func (b *mailBody) para(key string, args ...any) {
	b.blocks = append(b.blocks, mailBlock{kind: mailParagraph, text: b.frame.lang().T(key, args...)})
}

func (b *mailBody) list(items []string) {
	b.blocks = append(b.blocks, mailBlock{kind: mailList, items: items})
}

// link adds a link labelled by the message key.
func (b *mailBody) link(key, url string) {
	b.blocks = append(b.blocks, mailBlock{kind: mailLink, text: b.frame.lang().T(key), url: url})
}

// render writes the mail in its frame: its subject, text and HTML.
func (b *mailBody) render() (subject, text, html string) {
	f := b.frame
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
	ctx := i18n.WithLang(context.Background(), f.lang())
	if err := mailHTML(f, b.subject, b.blocks).Render(ctx, &h); err != nil {
		// Rendering into memory fails only on a bug in the components.
		panic(fmt.Sprintf("views: rendering a mail: %v", err))
	}
	return b.subject, t.String(), h.String()
}

// footerText is the footer's support line, in the words of the vendor's guide.
func (f MailFrame) footerText() string {
	if f.SupportEmail == "" {
		return f.lang().T("mail.footer")
	}
	return f.lang().T("mail.footer_support", "Support", f.SupportEmail)
}
