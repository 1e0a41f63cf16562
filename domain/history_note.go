package domain

import (
	"regexp"
	"strings"
)

// historyNotes are the notes the portal writes in a license's history, by
// their message key. They are stored in English, which exports, imports, the
// licensing API and logs read as they are; NoteText reads them back so that a
// page says them in its reader's language.
var historyNotes = []struct{ key, english string }{
	{"history.note_synced", "synchronised in the portal"},
	{"history.note_offline", "activated offline in the portal"},
	{"history.note_refreshed", "refreshed by the software on {{.Serial}}"},
	{"history.note_key_reissued", "activation key reissued ({{.Old}} replaced by {{.New}})"},
	{"history.note_order", "order {{.Order}}"},
	{"history.note_email", "purchase email {{.Old}} → {{.New}}"},
	{"history.note_paired", "paired with {{.Host}} ({{.Serial}})"},
}

// noteShapes are the notes as patterns, each placeholder a group named after it.
var noteShapes = func() []*regexp.Regexp {
	placeholder := regexp.MustCompile(`\{\{\.(\w+)\}\}`)
	out := make([]*regexp.Regexp, len(historyNotes))
	for i, n := range historyNotes {
		var b strings.Builder
		last := 0
		for _, m := range placeholder.FindAllStringSubmatchIndex(n.english, -1) {
			b.WriteString(regexp.QuoteMeta(n.english[last:m[0]]))
			b.WriteString("(?P<" + n.english[m[2]:m[3]] + ">.+)")
			last = m[1]
		}
		b.WriteString(regexp.QuoteMeta(n.english[last:]))
		out[i] = regexp.MustCompile("^" + b.String() + "$")
	}
	return out
}()

// historyNote is the note key says, in English, its placeholders filled from
// args (name, value pairs).
func historyNote(key string, args ...any) string {
	for _, n := range historyNotes {
		if n.key == key {
			return fill(n.english, args)
		}
	}
	panic("domain: no history note " + key)
}

// NoteText is a stored history note as a message of the message files, when
// it is one the portal writes; ok is false for any other (an import's own).
func NoteText(stored string) (t Text, ok bool) {
	for i, shape := range noteShapes {
		m := shape.FindStringSubmatch(stored)
		if m == nil {
			continue
		}
		var args []any
		for j, name := range shape.SubexpNames()[1:] {
			args = append(args, name, m[j+1])
		}
		return Text{Key: historyNotes[i].key, English: historyNotes[i].english, Args: args}, true
	}
	return Text{}, false
}
