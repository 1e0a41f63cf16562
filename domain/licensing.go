package domain

import (
	"strings"
	"time"
)

// NormalizeSerial trims a computer's serial number; ok is false when it is empty,
// too long or holds control characters.
func NormalizeSerial(input string) (serial string, ok bool) {
	serial = strings.TrimSpace(input)
	return serial, serial != "" && plainText(serial, 128)
}

// Activate binds every unbound license of an order to serial. Licenses already on
// that serial stay; a license on another serial is never taken over (that takes a
// rehost). It answers the licenses now on serial and the history of what changed,
// or a conflict when no license of the order can be on this computer.
func Activate(licenses []License, serial string, now time.Time) (onSerial []License, changes []HistoryEntry, err error) {
	for i := range licenses {
		l := &licenses[i]
		switch l.Serial {
		case serial:
			onSerial = append(onSerial, *l)
		case "":
			before := *l
			l.Serial = serial
			l.Version++
			onSerial = append(onSerial, *l)
			changes = append(changes, HistoryEntry{LicenseID: l.ID, At: now.UTC(), Kind: ChangeActivation,
				Actor: ActorSoftware, Before: before, After: *l})
		}
	}
	if len(onSerial) == 0 {
		return nil, nil, Conflictf("the licenses of this order are activated on another computer: " +
			"rehost them from the customer portal first")
	}
	return onSerial, changes, nil
}

// OnSerial returns the licenses bound to serial, or a not-found error when none is.
func OnSerial(licenses []License, serial string) ([]License, error) {
	var out []License
	for _, l := range licenses {
		if l.Serial == serial {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return nil, NotFoundf("no license of this order is activated on this computer")
	}
	return out, nil
}

// RehostPolicy limits how often a license may move to another computer.
type RehostPolicy struct {
	Limit  int
	Window time.Duration
}

// DefaultRehostPolicy is 3 rehosts in any 365 days.
var DefaultRehostPolicy = RehostPolicy{Limit: 3, Window: 365 * 24 * time.Hour}

// RehostsLeft counts the rehosts still allowed now, and when the oldest rehost
// that counts against the limit leaves the window.
func (p RehostPolicy) RehostsLeft(history []HistoryEntry, now time.Time) (left int, next time.Time) {
	since := now.Add(-p.Window)
	used := 0
	for _, e := range history {
		if e.Kind == ChangeRehost && e.At.After(since) {
			if used == 0 || e.At.Before(next) {
				next = e.At
			}
			used++
		}
	}
	return max(p.Limit-used, 0), next.Add(p.Window)
}

// Rehost frees a license's serial so that it can be activated on another
// computer, within the policy's limit over the license's past rehosts.
func Rehost(l License, history []HistoryEntry, policy RehostPolicy, now time.Time) (License, HistoryEntry, error) {
	if l.Serial == "" {
		return l, HistoryEntry{}, Conflict("rehost.not_activated", "This license is not activated on any computer, so there is nothing to rehost.")
	}
	if left, next := policy.RehostsLeft(history, now); left == 0 {
		return l, HistoryEntry{}, Conflict("rehost.limit", "This license has been rehosted {{.Limit}} times in the last {{.Days}} days, "+
			"the most allowed; the next rehost is possible on {{.Next}}, or contact support.",
			"Limit", policy.Limit, "Days", int(policy.Window.Hours()/24), "Next", Day(next))
	}
	before := l
	l.Serial = ""
	l.Version++
	return l, HistoryEntry{LicenseID: l.ID, At: now.UTC(), Kind: ChangeRehost, Actor: ActorCustomer,
		Before: before, After: l}, nil
}

// RefreshInPortal records that the customer synchronised l in the portal: one
// entry for the first refresh of each version, none otherwise.
func RefreshInPortal(l License, history []HistoryEntry, now time.Time) []HistoryEntry {
	if !RefreshWorthRecording(history, l, ActorCustomer) {
		return nil
	}
	return []HistoryEntry{{LicenseID: l.ID, At: now.UTC(), Kind: ChangeRefresh, Actor: ActorCustomer,
		Note: historyNote("history.note_synced"), Before: l, After: l}}
}

// RefreshFromSoftware answers the licenses bound to serial, as the software
// receives them after an upgrade or a renewal, and records the first refresh of
// each version. histories holds each license's history by id.
func RefreshFromSoftware(licenses []License, histories map[string][]HistoryEntry, serial string, now time.Time) ([]License, []HistoryEntry, error) {
	onSerial, err := OnSerial(licenses, serial)
	if err != nil {
		return nil, nil, err
	}
	var entries []HistoryEntry
	for _, l := range onSerial {
		if RefreshWorthRecording(histories[l.ID], l, ActorSoftware) {
			entries = append(entries, HistoryEntry{LicenseID: l.ID, At: now.UTC(), Kind: ChangeRefresh,
				Actor: ActorSoftware, Note: historyNote("history.note_refreshed", "Serial", serial), Before: l, After: l})
		}
	}
	return onSerial, entries, nil
}

// ReissueKey replaces an order's activation key with newKey (a leaked key stops
// working at once; licenses stay bound) and records it in every license's history,
// showing only the last characters of either key.
func ReissueKey(o Order, licenses []License, newKey string, actor Actor, now time.Time) (Order, []HistoryEntry) {
	note := historyNote("history.note_key_reissued", "Old", MaskKey(o.ActivationKey), "New", MaskKey(newKey))
	o.ActivationKey = newKey
	entries := make([]HistoryEntry, len(licenses))
	for i, l := range licenses {
		entries[i] = HistoryEntry{LicenseID: l.ID, At: now.UTC(), Kind: ChangeKeyReissue, Actor: actor,
			Note: note, Before: l, After: l}
	}
	return o, entries
}

// MaskKey shows only the last four characters of an activation key, for history
// and logs.
func MaskKey(key string) string {
	if len(key) <= 4 {
		return "····"
	}
	return "…" + key[len(key)-4:]
}
