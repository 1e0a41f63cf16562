package domain_test

import (
	"strings"
	"testing"
	"time"

	"portal/domain"
)

var bindNow = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func licensesOn(serials ...string) []domain.License {
	out := make([]domain.License, len(serials))
	for i, s := range serials {
		out[i] = domain.License{ID: domain.LicenseID("JWT1", i+1), Users: 5, Serial: s, Version: 1}
	}
	return out
}

func TestActivate(t *testing.T) {
	cases := []struct {
		name        string
		serials     []string
		serial      string
		wantOn      []string // license ids answered
		wantChanged int
		wantErr     domain.Kind
		wantAfter   []string
	}{
		{"all unbound", []string{"", ""}, "PC", []string{"JWT1-1", "JWT1-2"}, 2, 0, []string{"PC", "PC"}},
		{"already on this computer", []string{"PC"}, "PC", []string{"JWT1-1"}, 0, 0, []string{"PC"}},
		{"one here, one free", []string{"PC", ""}, "PC", []string{"JWT1-1", "JWT1-2"}, 1, 0, []string{"PC", "PC"}},
		{"one elsewhere, one free", []string{"OTHER", ""}, "PC", []string{"JWT1-2"}, 1, 0, []string{"OTHER", "PC"}},
		{"all elsewhere", []string{"OTHER", "THIRD"}, "PC", nil, 0, domain.KindConflict, []string{"OTHER", "THIRD"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ls := licensesOn(tc.serials...)
			on, changes, err := domain.Activate(ls, tc.serial, bindNow)
			if tc.wantErr != 0 {
				if domain.KindOf(err) != tc.wantErr || !strings.Contains(domain.MessageOf(err), "rehost") {
					t.Fatalf("err %v, want kind %v mentioning rehost", err, tc.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, l := range on {
				ids = append(ids, l.ID)
			}
			if strings.Join(ids, ",") != strings.Join(tc.wantOn, ",") {
				t.Errorf("licenses on serial %v, want %v", ids, tc.wantOn)
			}
			if len(changes) != tc.wantChanged {
				t.Errorf("%d history entries, want %d", len(changes), tc.wantChanged)
			}
			for _, e := range changes {
				if e.Kind != domain.ChangeActivation || e.Before.Serial != "" || e.After.Serial != tc.serial || e.After.Version != e.Before.Version+1 {
					t.Errorf("history entry %+v", e)
				}
			}
			if tc.wantErr == 0 {
				for i, l := range ls {
					if l.Serial != tc.wantAfter[i] {
						t.Errorf("license %d on %q, want %q", i+1, l.Serial, tc.wantAfter[i])
					}
				}
			}
		})
	}
}

func TestOnSerial(t *testing.T) {
	ls := licensesOn("PC", "", "OTHER", "PC")
	on, err := domain.OnSerial(ls, "PC")
	if err != nil || len(on) != 2 || on[0].ID != "JWT1-1" || on[1].ID != "JWT1-4" {
		t.Errorf("OnSerial: %v %v", on, err)
	}
	if _, err := domain.OnSerial(ls, "NOPE"); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("unknown serial: %v", err)
	}
}

func rehostAt(days ...int) []domain.HistoryEntry {
	var h []domain.HistoryEntry
	for _, d := range days {
		h = append(h, domain.HistoryEntry{Kind: domain.ChangeRehost, At: bindNow.AddDate(0, 0, -d)})
	}
	// Other kinds never count.
	h = append(h, domain.HistoryEntry{Kind: domain.ChangeActivation, At: bindNow})
	return h
}

func TestRehost(t *testing.T) {
	policy := domain.DefaultRehostPolicy
	cases := []struct {
		name     string
		serial   string
		history  []domain.HistoryEntry
		wantErr  string
		wantLeft int
	}{
		{"first rehost", "PC", nil, "", 3},
		{"two in the window", "PC", rehostAt(10, 200), "", 1},
		{"three in the window", "PC", rehostAt(1, 100, 364), "rehosted 3 times in the last 365 days", 0},
		{"oldest just out of the window", "PC", rehostAt(1, 100, 366), "", 1},
		{"not activated", "", nil, "not activated on any computer", 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			left, _ := policy.RehostsLeft(tc.history, bindNow)
			if left != tc.wantLeft {
				t.Errorf("rehosts left %d, want %d", left, tc.wantLeft)
			}
			l := domain.License{ID: "JWT1-1", Serial: tc.serial, Version: 4}
			got, entry, err := domain.Rehost(l, tc.history, policy, bindNow)
			if tc.wantErr != "" {
				if domain.KindOf(err) != domain.KindConflict || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				if got.Serial != tc.serial {
					t.Error("a refused rehost changed the license")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Serial != "" || got.Version != 5 || entry.Kind != domain.ChangeRehost || entry.Before.Serial != "PC" {
				t.Errorf("rehost gave %+v, entry %+v", got, entry)
			}
		})
	}
	// The message names the day the next rehost becomes possible.
	_, _, err := domain.Rehost(domain.License{Serial: "PC"}, rehostAt(1, 100, 300), policy, bindNow)
	if want := bindNow.AddDate(0, 0, -300).Add(policy.Window).Format(domain.DateLayout); !strings.Contains(err.Error(), want) {
		t.Errorf("message %q lacks the next date %s", err, want)
	}
}

func TestChangesSince(t *testing.T) {
	v1 := domain.License{ID: "JWT1-1", Users: 5, Version: 1}
	v2 := v1
	v2.Serial, v2.Version = "PC", 2
	v3 := v2
	v3.Users, v3.Version = 8, 3
	history := []domain.HistoryEntry{
		{Kind: domain.ChangeActivation, Before: v1, After: v2},
		{Kind: domain.ChangeRefresh, Before: v2, After: v2},
		{Kind: domain.ChangeUpgrade, Before: v2, After: v3},
	}
	cases := []struct {
		seen int
		want string
	}{
		{1, "users 5 → 8; serial (none) → PC"},
		{2, "users 5 → 8"},
		{3, ""},
	}
	for _, tc := range cases {
		var got []string
		for _, c := range domain.ChangesSince(history, tc.seen, v3) {
			got = append(got, c.String())
		}
		if got := strings.Join(got, "; "); got != tc.want {
			t.Errorf("seen %d: %q, want %q", tc.seen, got, tc.want)
		}
	}
}

func TestRefreshWorthRecording(t *testing.T) {
	l := domain.License{ID: "JWT1-1", Serial: "PC", Version: 3}
	refresh := func(actor domain.Actor, version int, serial string) domain.HistoryEntry {
		return domain.HistoryEntry{Kind: domain.ChangeRefresh, Actor: actor, After: domain.License{Version: version, Serial: serial}}
	}
	cases := []struct {
		name    string
		history []domain.HistoryEntry
		want    bool
	}{
		{"no history", nil, true},
		{"refreshed at this version already", []domain.HistoryEntry{refresh(domain.ActorSoftware, 3, "PC")}, false},
		{"refreshed at an older version", []domain.HistoryEntry{refresh(domain.ActorSoftware, 2, "PC")}, true},
		{"refreshed on another serial", []domain.HistoryEntry{refresh(domain.ActorSoftware, 3, "OLD")}, true},
		{"only the customer refreshed", []domain.HistoryEntry{refresh(domain.ActorCustomer, 3, "PC")}, true},
		{"an upgrade since the last refresh", []domain.HistoryEntry{refresh(domain.ActorSoftware, 2, "PC"), {Kind: domain.ChangeUpgrade}}, true},
	}
	for _, tc := range cases {
		if got := domain.RefreshWorthRecording(tc.history, l, domain.ActorSoftware); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
