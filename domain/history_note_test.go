package domain

import (
	"reflect"
	"testing"
)

// TestHistoryNotesReadBack: every note the portal writes is read back as its
// message and arguments, so that a page can say it in its reader's language;
// a note of another hand is left alone.
func TestHistoryNotesReadBack(t *testing.T) {
	for _, tc := range []struct {
		key  string
		args []any
	}{
		{"history.note_synced", nil},
		{"history.note_offline", nil},
		{"history.note_refreshed", []any{"Serial", "PC-1 (office)"}},
		{"history.note_key_reissued", []any{"Old", "…PC1B", "New", "…01NX"}},
		{"history.note_order", []any{"Order", "JWT100816"}},
		{"history.note_email", []any{"Old", "a@b.example", "New", "c@d.example"}},
		{"history.note_paired", []any{"Host", "atelier (namur)", "Serial", "PAIR-PC-77"}},
	} {
		stored := historyNote(tc.key, tc.args...)
		got, ok := NoteText(stored)
		if !ok || got.Key != tc.key || !reflect.DeepEqual(got.Args, tc.args) || got.String() != stored {
			t.Errorf("%q read back as %+v, %v; want %s %v", stored, got, ok, tc.key, tc.args)
		}
	}
	if _, ok := NoteText("moved from the old CRM"); ok {
		t.Error("an import's own note was taken for the portal's")
	}
}
