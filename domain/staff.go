package domain

import (
	"fmt"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Role is what a staff account may do.
type Role string

// Roles. Support reads everything; admin also manages catalog, staff and data.
const (
	RoleSupport Role = "support"
	RoleAdmin   Role = "admin"
)

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	switch Role(s) {
	case RoleSupport, RoleAdmin:
		return Role(s), nil
	}
	return "", Invalid("staff_admin.bad_role", "The role must be support or admin.")
}

// StaffUser is a support or admin account. PasswordHash is a bcrypt hash.
type StaffUser struct {
	Email        string    `json:"email"`
	Role         Role      `json:"role"`
	PasswordHash []byte    `json:"password_hash"`
	Disabled     bool      `json:"disabled"`
	CreatedAt    time.Time `json:"created_at"`
	// SessionsFrom ends every session made before it: set when the password is
	// reset or the account disabled, so that an old cookie never comes back.
	SessionsFrom time.Time `json:"sessions_from"`
}

// SessionValid reports whether a session made at created may act for the account.
func (u StaffUser) SessionValid(created time.Time) bool {
	return !u.Disabled && !created.Before(u.SessionsFrom)
}

// MinPasswordLength is the shortest staff password accepted.
const MinPasswordLength = 12

// ValidatePassword checks a new staff password.
func ValidatePassword(pw string) error {
	switch {
	case len(pw) < MinPasswordLength:
		return Invalid("staff_admin.short_password", "The password must be at least {{.Min}} characters.", "Min", MinPasswordLength)
	case len(pw) > 72:
		// bcrypt reads at most 72 bytes: a longer password would be cut silently.
		return Invalid("staff_admin.long_password", "The password must be at most 72 bytes.")
	}
	return nil
}

// otherActiveAdmin reports whether an account other than email is an active admin.
func otherActiveAdmin(accounts []StaffUser, email string) bool {
	for _, u := range accounts {
		if u.Email != email && u.Role == RoleAdmin && !u.Disabled {
			return true
		}
	}
	return false
}

func findStaff(accounts []StaffUser, email string) (StaffUser, bool) {
	for _, u := range accounts {
		if u.Email == email {
			return u, true
		}
	}
	return StaffUser{}, false
}

// SaveStaffAccount is an admin adding the account email, or giving an existing
// one a new password (hash) and role. A new password ends the sessions made with
// the old one; the last active admin keeps the admin role, so that the portal is
// never left without one. It answers the account and the audit action.
func SaveStaffAccount(accounts []StaffUser, email string, role Role, hash []byte, now time.Time) (StaffUser, string, error) {
	u, found := findStaff(accounts, email)
	action := "staff password reset"
	if !found {
		u, action = StaffUser{Email: email, CreatedAt: now.UTC()}, "staff account added"
	}
	if found && u.Role == RoleAdmin && role != RoleAdmin && !otherActiveAdmin(accounts, email) {
		return StaffUser{}, "", Conflict("staff_admin.keep_admin", "{{.Email}} is the last active administrator: keep the admin role.", "Email", email)
	}
	u.Role, u.PasswordHash, u.SessionsFrom = role, hash, now.UTC()
	return u, action, nil
}

// SetStaffDisabled is admin by disabling or enabling the account email. A
// disabled account's sessions end at once; nobody disables their own account or
// the last active admin. It answers the account and the audit action.
func SetStaffDisabled(accounts []StaffUser, by, email string, disabled bool, now time.Time) (StaffUser, string, error) {
	u, found := findStaff(accounts, email)
	if !found {
		return StaffUser{}, "", ErrNotFound
	}
	if !disabled {
		u.Disabled = false
		return u, "staff account enabled", nil
	}
	switch {
	case by == email:
		return StaffUser{}, "", Conflict("staff_admin.not_yourself", "You cannot disable your own account.")
	case u.Role == RoleAdmin && !otherActiveAdmin(accounts, email):
		return StaffUser{}, "", Conflict("staff_admin.last_admin", "{{.Email}} is the last active administrator.", "Email", email)
	}
	u.Disabled, u.SessionsFrom = true, now.UTC()
	return u, "staff account disabled", nil
}

// StaffSession is a staff member's signed-in session.
type StaffSession struct {
	Email     string    `json:"email"`
	CreatedAt time.Time `json:"created_at"`
}

// AuditEntry records one change made by staff: who, when, what.
type AuditEntry struct {
	At     time.Time `json:"at"`
	Staff  string    `json:"staff"`
	Action string    `json:"action"`
	Detail string    `json:"detail"`
}

// SearchResult is an order that a staff search found, and how.
type SearchResult struct {
	Order   Order
	Matched SearchMatch
}

// SearchMatch is what a staff search matched in an order.
type SearchMatch string

// What a search matches, the same from every store.
const (
	MatchOrderNumber   SearchMatch = "order number"
	MatchEmail         SearchMatch = "email"
	MatchEmailDomain   SearchMatch = "email domain"
	MatchSerial        SearchMatch = "serial"
	MatchActivationKey SearchMatch = "activation key"
)

// MaxSearchResults bounds one search's answer.
const MaxSearchResults = 25

func (a AuditEntry) String() string {
	return fmt.Sprintf("%s %s %s: %s", a.At.UTC().Format(time.RFC3339), a.Staff, a.Action, a.Detail)
}

// passwordCost makes each password check take tens of milliseconds.
const passwordCost = 12

// HashPassword returns a salted bcrypt hash of a staff password.
func HashPassword(pw string) ([]byte, error) {
	if err := ValidatePassword(pw); err != nil {
		return nil, err
	}
	return bcrypt.GenerateFromPassword([]byte(pw), passwordCost)
}

// dummyHash is compared against when no account matches, so that a wrong email
// costs the same time as a wrong password.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("no account has this password"), passwordCost)
	return h
})

// CheckPassword reports whether pw matches hash; with a nil hash it still does the
// same work and answers false.
func CheckPassword(hash []byte, pw string) bool {
	if hash == nil {
		bcrypt.CompareHashAndPassword(dummyHash(), []byte(pw))
		return false
	}
	return bcrypt.CompareHashAndPassword(hash, []byte(pw)) == nil
}
