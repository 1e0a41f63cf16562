package domain_test

import (
	"testing"

	"portal/domain"
)

func staffAccounts() []domain.StaffUser {
	return []domain.StaffUser{
		{Email: "boss@x.example", Role: domain.RoleAdmin},
		{Email: "help@x.example", Role: domain.RoleSupport},
		{Email: "old@x.example", Role: domain.RoleAdmin, Disabled: true},
	}
}

func TestSaveStaffAccount(t *testing.T) {
	cases := []struct {
		name       string
		accounts   []domain.StaffUser
		email      string
		role       domain.Role
		wantAction string
		wantKind   domain.Kind
	}{
		{"a new account", staffAccounts(), "new@x.example", domain.RoleSupport, "staff account added", 0},
		{"a new password for support", staffAccounts(), "help@x.example", domain.RoleAdmin, "staff password reset", 0},
		{"the last active admin keeps the role", staffAccounts(), "boss@x.example", domain.RoleSupport, "", domain.KindConflict},
		{"an admin with another active admin may step down",
			append(staffAccounts(), domain.StaffUser{Email: "two@x.example", Role: domain.RoleAdmin}), "boss@x.example", domain.RoleSupport, "staff password reset", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u, action, err := domain.SaveStaffAccount(tc.accounts, tc.email, tc.role, []byte("hash"), bindNow)
			if domain.KindOf(err) != tc.wantKind || (tc.wantKind != 0) != (err != nil) {
				t.Fatalf("err %v, want kind %d", err, tc.wantKind)
			}
			if err != nil {
				return
			}
			if action != tc.wantAction || u.Email != tc.email || u.Role != tc.role || string(u.PasswordHash) != "hash" || !u.SessionsFrom.Equal(bindNow) {
				t.Errorf("got %+v, %q", u, action)
			}
		})
	}
}

func TestSetStaffDisabled(t *testing.T) {
	cases := []struct {
		name       string
		accounts   []domain.StaffUser
		by, email  string
		disable    bool
		wantAction string
		wantKind   domain.Kind
	}{
		{"support disabled", staffAccounts(), "boss@x.example", "help@x.example", true, "staff account disabled", 0},
		{"an old admin enabled", staffAccounts(), "boss@x.example", "old@x.example", false, "staff account enabled", 0},
		{"nobody disables themself", append(staffAccounts(), domain.StaffUser{Email: "two@x.example", Role: domain.RoleAdmin}),
			"boss@x.example", "boss@x.example", true, "", domain.KindConflict},
		{"the last active admin stays", staffAccounts(), "help@x.example", "boss@x.example", true, "", domain.KindConflict},
		{"an unknown account", staffAccounts(), "boss@x.example", "nobody@x.example", true, "", domain.KindNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u, action, err := domain.SetStaffDisabled(tc.accounts, tc.by, tc.email, tc.disable, bindNow)
			if domain.KindOf(err) != tc.wantKind || (tc.wantKind != 0) != (err != nil) {
				t.Fatalf("err %v, want kind %d", err, tc.wantKind)
			}
			if err != nil {
				return
			}
			if action != tc.wantAction || u.Disabled != tc.disable || (tc.disable && !u.SessionsFrom.Equal(bindNow)) {
				t.Errorf("got %+v, %q", u, action)
			}
		})
	}
}
