package domain_test

import (
	"strings"
	"testing"
	"time"

	"portal/domain"
)

// update is an order of two licenses, as storage hands it to an operation.
func update(serials ...string) *domain.OrderUpdate {
	u := &domain.OrderUpdate{
		Order:    domain.Order{Reference: "JWT1", ActivationKey: "KEYKEYKEYKEYKEYKEYKEYKEY"},
		Licenses: licensesOn(serials...),
		History:  map[string][]domain.HistoryEntry{},
	}
	for _, l := range u.Licenses {
		u.Order.LicenseIDs = append(u.Order.LicenseIDs, l.ID)
	}
	return u
}

func TestOrderUpdateOperations(t *testing.T) {
	const key = "KEYKEYKEYKEYKEYKEYKEYKEY"
	later := bindNow.Add(time.Hour)
	cases := []struct {
		name     string
		serials  []string
		history  map[string][]domain.HistoryEntry
		op       func(u *domain.OrderUpdate) ([]domain.License, error)
		wantKind domain.Kind // 0: no error
		// What the operation answers and records.
		wantAnswer  []string // license ids
		wantEntries []domain.ChangeKind
		wantActor   domain.Actor
		wantSerials []string // after
		wantVersion []int    // after
	}{
		{name: "activate with the order's key binds the free licenses",
			serials: []string{"", "OTHER"},
			op: func(u *domain.OrderUpdate) ([]domain.License, error) {
				return u.Activate(key, "PC", bindNow)
			},
			wantAnswer: []string{"JWT1-1"}, wantEntries: []domain.ChangeKind{domain.ChangeActivation}, wantActor: domain.ActorSoftware,
			wantSerials: []string{"PC", "OTHER"}, wantVersion: []int{2, 1}},
		{name: "activate with a reissued (other) key changes nothing",
			serials: []string{"", ""},
			op: func(u *domain.OrderUpdate) ([]domain.License, error) {
				return u.Activate("OLDKEYOLDKEYOLDKEYOLDKEY", "PC", bindNow)
			},
			wantKind: domain.KindNotFound, wantSerials: []string{"", ""}, wantVersion: []int{1, 1}},
		{name: "activate where every license is elsewhere is a conflict",
			serials: []string{"A", "B"},
			op: func(u *domain.OrderUpdate) ([]domain.License, error) {
				return u.Activate(key, "PC", bindNow)
			},
			wantKind: domain.KindConflict, wantSerials: []string{"A", "B"}, wantVersion: []int{1, 1}},
		{name: "the software's first refresh of a version is recorded",
			serials: []string{"PC", "PC"},
			op: func(u *domain.OrderUpdate) ([]domain.License, error) {
				return u.RefreshFromSoftware(key, "PC", bindNow)
			},
			wantAnswer: []string{"JWT1-1", "JWT1-2"}, wantEntries: []domain.ChangeKind{domain.ChangeRefresh, domain.ChangeRefresh},
			wantActor: domain.ActorSoftware, wantSerials: []string{"PC", "PC"}, wantVersion: []int{1, 1}},
		{name: "the software's second refresh of the same version is not",
			serials: []string{"PC", ""},
			history: map[string][]domain.HistoryEntry{"JWT1-1": {{Kind: domain.ChangeRefresh, Actor: domain.ActorSoftware,
				After: domain.License{ID: "JWT1-1", Serial: "PC", Version: 1}}}},
			op: func(u *domain.OrderUpdate) ([]domain.License, error) {
				return u.RefreshFromSoftware(key, "PC", later)
			},
			wantAnswer: []string{"JWT1-1"}, wantSerials: []string{"PC", ""}, wantVersion: []int{1, 1}},
		{name: "the software refreshing a serial with no license is not found",
			serials: []string{"PC"},
			op: func(u *domain.OrderUpdate) ([]domain.License, error) {
				return u.RefreshFromSoftware(key, "ELSEWHERE", bindNow)
			},
			wantKind: domain.KindNotFound, wantSerials: []string{"PC"}, wantVersion: []int{1}},
		{name: "the software refreshing with a wrong key is refused",
			serials: []string{"PC"},
			op: func(u *domain.OrderUpdate) ([]domain.License, error) {
				return u.RefreshFromSoftware(strings.Repeat("X", 24), "PC", bindNow)
			},
			wantKind: domain.KindNotFound, wantSerials: []string{"PC"}, wantVersion: []int{1}},
		{name: "a refresh in the portal is recorded once per version",
			serials: []string{"PC", ""},
			op: func(u *domain.OrderUpdate) ([]domain.License, error) {
				l, err := u.RefreshInPortal("JWT1-2", bindNow)
				if err != nil {
					return nil, err
				}
				if _, err := u.RefreshInPortal("JWT1-2", later); err != nil {
					return nil, err
				}
				return []domain.License{l}, nil
			},
			wantAnswer: []string{"JWT1-2"}, wantEntries: []domain.ChangeKind{domain.ChangeRefresh}, wantActor: domain.ActorCustomer,
			wantSerials: []string{"PC", ""}, wantVersion: []int{1, 1}},
		{name: "a refresh in the portal of a license of another order is not found",
			serials: []string{"PC"},
			op: func(u *domain.OrderUpdate) ([]domain.License, error) {
				_, err := u.RefreshInPortal("JWT2-1", bindNow)
				return nil, err
			},
			wantKind: domain.KindNotFound, wantSerials: []string{"PC"}, wantVersion: []int{1}},
		{name: "a rehost frees the serial",
			serials: []string{"PC", "PC"},
			op: func(u *domain.OrderUpdate) ([]domain.License, error) {
				l, err := u.Rehost("JWT1-2", domain.DefaultRehostPolicy, bindNow)
				return []domain.License{l}, err
			},
			wantAnswer: []string{"JWT1-2"}, wantEntries: []domain.ChangeKind{domain.ChangeRehost}, wantActor: domain.ActorCustomer,
			wantSerials: []string{"PC", ""}, wantVersion: []int{1, 2}},
		{name: "a rehost past the limit is a conflict and changes nothing",
			serials: []string{"PC"},
			history: map[string][]domain.HistoryEntry{"JWT1-1": rehostAt(10, 20, 30)},
			op: func(u *domain.OrderUpdate) ([]domain.License, error) {
				_, err := u.Rehost("JWT1-1", domain.DefaultRehostPolicy, bindNow)
				return nil, err
			},
			wantKind: domain.KindConflict, wantSerials: []string{"PC"}, wantVersion: []int{1}},
		{name: "a key reissue is recorded on every license and changes no license",
			serials: []string{"PC", ""},
			op: func(u *domain.OrderUpdate) ([]domain.License, error) {
				u.ReissueKey("NEWKEYNEWKEYNEWKEYNEWKEY", domain.ActorCustomer, bindNow)
				return nil, nil
			},
			wantEntries: []domain.ChangeKind{domain.ChangeKeyReissue, domain.ChangeKeyReissue}, wantActor: domain.ActorCustomer,
			wantSerials: []string{"PC", ""}, wantVersion: []int{1, 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u := update(tc.serials...)
			for id, h := range tc.history {
				u.History[id] = h
			}
			got, err := tc.op(u)
			if domain.KindOf(err) != tc.wantKind || (tc.wantKind != 0 && err == nil) {
				t.Fatalf("error %v (kind %d), want kind %d", err, domain.KindOf(err), tc.wantKind)
			}
			if tc.wantKind != 0 && len(u.Recorded) > 0 {
				t.Errorf("a refused operation recorded %+v", u.Recorded)
			}
			var ids []string
			for _, l := range got {
				ids = append(ids, l.ID)
			}
			if tc.wantKind == 0 && strings.Join(ids, ",") != strings.Join(tc.wantAnswer, ",") {
				t.Errorf("answered %v, want %v", ids, tc.wantAnswer)
			}
			if len(u.Recorded) != len(tc.wantEntries) {
				t.Fatalf("recorded %d entries, want %d: %+v", len(u.Recorded), len(tc.wantEntries), u.Recorded)
			}
			for i, e := range u.Recorded {
				if e.Kind != tc.wantEntries[i] || e.Actor != tc.wantActor || e.LicenseID == "" || e.At.IsZero() {
					t.Errorf("entry %d: %+v, want kind %s by %s", i, e, tc.wantEntries[i], tc.wantActor)
				}
				if n := len(u.History[e.LicenseID]); n == 0 || u.History[e.LicenseID][n-1] != e {
					t.Errorf("entry %d is not in the license's history as the operation sees it", i)
				}
			}
			for i, l := range u.Licenses {
				if l.Serial != tc.wantSerials[i] || l.Version != tc.wantVersion[i] {
					t.Errorf("license %s after: serial %q version %d, want %q %d", l.ID, l.Serial, l.Version, tc.wantSerials[i], tc.wantVersion[i])
				}
			}
		})
	}
}

func TestReissueKeyMasksBothKeys(t *testing.T) {
	u := update("PC")
	u.ReissueKey("NEWKEYNEWKEYNEWKEYNEWABCD", domain.ActorCustomer, bindNow)
	if u.Order.ActivationKey != "NEWKEYNEWKEYNEWKEYNEWABCD" {
		t.Fatalf("key after reissue: %s", u.Order.ActivationKey)
	}
	note := u.Recorded[0].Note
	if !strings.Contains(note, "…YKEY") || !strings.Contains(note, "…ABCD") || strings.Contains(note, "NEWKEY") {
		t.Errorf("history note %q must show only the last characters of both keys", note)
	}
	if err := u.CheckKey("KEYKEYKEYKEYKEYKEYKEYKEY"); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("the old key still checks: %v", err)
	}
	if err := u.CheckKey("NEWKEYNEWKEYNEWKEYNEWABCD"); err != nil {
		t.Errorf("the new key does not check: %v", err)
	}
}

func TestActivateOffline(t *testing.T) {
	cases := []struct {
		name       string
		serials    []string
		serial     string
		wantKind   domain.Kind
		wantSerial string
		wantEntry  bool
	}{
		{"a free license is bound and recorded", []string{"", ""}, "PC-7", 0, "PC-7", true},
		{"a license already on that computer stays, unrecorded", []string{"PC-7"}, "PC-7", 0, "PC-7", false},
		{"a license on another computer needs a rehost", []string{"OTHER"}, "PC-7", domain.KindConflict, "OTHER", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u := update(tc.serials...)
			l, err := u.ActivateOffline("JWT1-1", tc.serial, bindNow)
			if domain.KindOf(err) != tc.wantKind || (tc.wantKind != 0) != (err != nil) {
				t.Fatalf("err %v, want kind %d", err, tc.wantKind)
			}
			if u.Licenses[0].Serial != tc.wantSerial || (err == nil && l.Serial != tc.wantSerial) {
				t.Errorf("serial after: %q (answered %q), want %q", u.Licenses[0].Serial, l.Serial, tc.wantSerial)
			}
			if got := len(u.Recorded) == 1; got != tc.wantEntry {
				t.Fatalf("recorded %+v", u.Recorded)
			}
			if tc.wantEntry {
				e := u.Recorded[0]
				if e.Kind != domain.ChangeActivation || e.Actor != domain.ActorCustomer || e.After.Version != e.Before.Version+1 {
					t.Errorf("entry %+v", e)
				}
			}
			if len(u.Licenses) > 1 && u.Licenses[1].Serial != tc.serials[1] {
				t.Error("another license of the order was bound too")
			}
		})
	}
}
