package domain

import (
	"strconv"
	"strings"
	"time"
)

// ChangeKind names what happened to a license.
type ChangeKind string

// Kinds of license history entries.
const (
	ChangeImport     ChangeKind = "import"
	ChangeActivation ChangeKind = "activation"
	ChangeRefresh    ChangeKind = "refresh"
	ChangeRehost     ChangeKind = "rehost"
	ChangeKeyReissue ChangeKind = "key_reissue"
	ChangeUpgrade    ChangeKind = "upgrade"
	ChangeRenewal    ChangeKind = "renewal"
)

// Actor says who made a change.
type Actor string

// Actors.
const (
	ActorCustomer Actor = "customer"
	ActorSoftware Actor = "software"
	ActorStaff    Actor = "staff"
	ActorPayment  Actor = "payment"
	ActorImport   Actor = "import"
)

// HistoryEntry is one event in a license's life, with the license as it was
// before and after. It is written in the same transaction as the change.
type HistoryEntry struct {
	LicenseID string     `json:"license_id"`
	At        time.Time  `json:"at"`
	Kind      ChangeKind `json:"kind"`
	Actor     Actor      `json:"actor"`
	// Note adds what the license fields do not show (a masked key, a serial).
	Note   string  `json:"note,omitempty"`
	Before License `json:"before"`
	After  License `json:"after"`
}

// Change is one customer-visible difference between two states of a
// license: which field, and its value before and after (dates as 2026-03-14,
// an empty serial as "").
type Change struct {
	Field         ChangeField
	Before, After string
}

// ChangeField names a field a Change is about.
type ChangeField string

// The fields a customer sees change.
const (
	FieldUsers      ChangeField = "users"
	FieldSerial     ChangeField = "serial"
	FieldSupportEnd ChangeField = "support end"
	FieldEdition    ChangeField = "edition"
)

// String is the change in English: "users 5 → 8", "serial (none) → PC-1".
func (c Change) String() string {
	before, after := c.Before, c.After
	if c.Field == FieldSerial {
		before, after = orNone(before), orNone(after)
	}
	return string(c.Field) + " " + before + " → " + after
}

// ChangeList lists the customer-visible differences from before to after.
func ChangeList(before, after License) []Change {
	var out []Change
	if before.Users != after.Users {
		out = append(out, Change{FieldUsers, strconv.Itoa(before.Users), strconv.Itoa(after.Users)})
	}
	if before.Serial != after.Serial {
		out = append(out, Change{FieldSerial, before.Serial, after.Serial})
	}
	if !before.SupportEnd.Equal(after.SupportEnd) {
		out = append(out, Change{FieldSupportEnd, before.SupportEnd.Format(DateLayout), after.SupportEnd.Format(DateLayout)})
	}
	if before.Edition != after.Edition {
		out = append(out, Change{FieldEdition, before.Edition, after.Edition})
	}
	return out
}

// Changes lists the customer-visible differences from before to after, such as
// "users 5 → 8" or "serial (none) → PC-1".
func Changes(before, after License) []string {
	var out []string
	for _, c := range ChangeList(before, after) {
		out = append(out, c.String())
	}
	return out
}

// Summary is the entry's changes in one line, or its note when nothing changed.
func (e HistoryEntry) Summary() string {
	parts := Changes(e.Before, e.After)
	if e.Note != "" {
		parts = append(parts, e.Note)
	}
	if len(parts) == 0 {
		return "no change"
	}
	return strings.Join(parts, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// ChangesSince lists what changed in a license since the customer last saw it at
// version seen: the license before the first change past that version, against
// the license now.
func ChangesSince(history []HistoryEntry, seen int, now License) []Change {
	for _, e := range history {
		if e.After.Version > seen && e.Before.Version <= seen && e.Before.ID != "" {
			return ChangeList(e.Before, now)
		}
	}
	return nil
}

// RefreshWorthRecording reports whether a refresh of l by actor adds to the
// history: only the first refresh of each version does, so software that
// refreshes at every start does not grow the history without bound.
func RefreshWorthRecording(history []HistoryEntry, l License, actor Actor) bool {
	for i := len(history) - 1; i >= 0; i-- {
		e := history[i]
		if e.Kind == ChangeRefresh && e.Actor == actor {
			return e.After.Version != l.Version || e.After.Serial != l.Serial
		}
	}
	return true
}
