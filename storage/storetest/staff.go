package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"portal/domain"
)

var staffTests = []test{
	{"StaffAccountsAreSavedWithTheirAudit", testStaffAccountsAreSavedWithTheirAudit},
	{"AuditIsNewestFirstAndLimited", testAuditIsNewestFirstAndLimited},
}

func testStaffAccountsAreSavedWithTheirAudit(t *testing.T, h Harness) {
	s := h.open(t)
	ctx := context.Background()
	admin := domain.StaffUser{Email: "zoe@acme.example", Role: domain.RoleAdmin, PasswordHash: []byte("$2a$12$hash"), CreatedAt: BaseDate, SessionsFrom: BaseDate}
	support := domain.StaffUser{Email: "abe@acme.example", Role: domain.RoleSupport, PasswordHash: []byte("$2a$12$other"), CreatedAt: BaseDate.Add(time.Hour), SessionsFrom: BaseDate.Add(time.Hour)}
	added := domain.AuditEntry{At: BaseDate, Staff: "command line", Action: "staff account added", Detail: admin.Email}
	if err := s.SaveStaffUser(ctx, admin, added); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveStaffUser(ctx, support, domain.AuditEntry{At: BaseDate.Add(time.Hour), Staff: admin.Email, Action: "staff account added", Detail: support.Email}); err != nil {
		t.Fatal(err)
	}
	if got, found, err := s.StaffUser(ctx, admin.Email); err != nil || !found || !reflect.DeepEqual(got, admin) {
		t.Errorf("StaffUser = %+v, %v, %v; want %+v", got, found, err, admin)
	}
	if got := must(s.StaffUsers(ctx)); len(got) != 2 || got[0].Email != support.Email || got[1].Email != admin.Email {
		t.Errorf("StaffUsers = %+v, want by email", got)
	}
	// A disable replaces the account whole.
	admin.Disabled, admin.SessionsFrom = true, BaseDate.Add(2*time.Hour)
	if err := s.SaveStaffUser(ctx, admin, domain.AuditEntry{At: BaseDate.Add(2 * time.Hour), Staff: support.Email, Action: "staff account disabled"}); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.StaffUser(ctx, admin.Email); !reflect.DeepEqual(got, admin) {
		t.Errorf("StaffUser after a disable = %+v", got)
	}
	audit := must(s.Audit(ctx, 10))
	if len(audit) != 3 || audit[0].Action != "staff account disabled" || audit[2] != added {
		t.Errorf("Audit = %+v", audit)
	}
	if _, found, _ := s.StaffUser(ctx, "ZOE@acme.example"); found {
		t.Error("an account is found under another case of its email")
	}
}

func testAuditIsNewestFirstAndLimited(t *testing.T, h Harness) {
	s := h.open(t)
	ctx := context.Background()
	var entries []domain.AuditEntry
	for i, at := range []time.Time{BaseDate.Add(time.Hour), BaseDate, BaseDate.Add(2 * time.Hour), BaseDate.Add(2 * time.Hour), BaseDate.Add(2 * time.Hour)} {
		e := domain.AuditEntry{At: at, Staff: "admin@acme.example", Action: "export", Detail: string(rune('a' + i))}
		if err := s.RecordAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
	// Newest first; entries of the same instant, the last written first.
	want := []domain.AuditEntry{entries[4], entries[3], entries[2], entries[0], entries[1]}
	if got := must(s.Audit(ctx, 10)); !reflect.DeepEqual(got, want) {
		t.Errorf("Audit(10) =\n %+v\nwant\n %+v", got, want)
	}
	if got := must(s.Audit(ctx, 2)); !reflect.DeepEqual(got, want[:2]) {
		t.Errorf("Audit(2) = %+v", got)
	}
	for _, limit := range []int{0, -1} {
		if got := must(s.Audit(ctx, limit)); len(got) != 0 {
			t.Errorf("Audit(%d) = %+v", limit, got)
		}
	}
}
