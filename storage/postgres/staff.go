package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/domain"
)

const staffColumns = `email, role, password_hash, disabled, created_at, sessions_from`

func staffDest(u *domain.StaffUser) []any {
	return []any{&u.Email, &u.Role, &u.PasswordHash, &u.Disabled, &u.CreatedAt, &u.SessionsFrom}
}

const upsertStaffSQL = `INSERT INTO staff (` + staffColumns + `) VALUES ($1, $2, $3, $4, $5, $6)
	ON CONFLICT (email) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash,
	disabled = excluded.disabled, created_at = excluded.created_at, sessions_from = excluded.sessions_from`

func staffValues(u domain.StaffUser) []any {
	return []any{u.Email, u.Role, u.PasswordHash, u.Disabled, u.CreatedAt, u.SessionsFrom}
}

// SaveStaffUser creates or replaces a staff account and records the change in the
// audit log, in one transaction.
func (s *Store) SaveStaffUser(ctx context.Context, u domain.StaffUser, audit domain.AuditEntry) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(upsertStaffSQL, staffValues(u)...)
		b.Queue(insertAuditSQL, auditValues(audit)...)
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("storage: save staff user: %w", err)
	}
	return nil
}

// StaffUser returns the account of email.
func (s *Store) StaffUser(ctx context.Context, email string) (domain.StaffUser, bool, error) {
	if !storable(email) {
		return domain.StaffUser{}, false, nil
	}
	var u domain.StaffUser
	err := s.pool.QueryRow(ctx, `SELECT `+staffColumns+` FROM staff WHERE email = $1`, email).Scan(staffDest(&u)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.StaffUser{}, false, nil
	}
	if err != nil {
		return domain.StaffUser{}, false, fmt.Errorf("storage: staff user: %w", err)
	}
	return u, true, nil
}

// StaffUsers lists every staff account by email.
func (s *Store) StaffUsers(ctx context.Context) ([]domain.StaffUser, error) {
	out, err := queryStaff(ctx, s.pool)
	if err != nil {
		return nil, fmt.Errorf("storage: staff users: %w", err)
	}
	return out, nil
}

func queryStaff(ctx context.Context, q querier) ([]domain.StaffUser, error) {
	rows, err := q.Query(ctx, `SELECT `+staffColumns+` FROM staff ORDER BY email`)
	if err != nil {
		return nil, err
	}
	var out []domain.StaffUser
	for rows.Next() {
		var u domain.StaffUser
		if err := rows.Scan(staffDest(&u)...); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CreateStaffSession stores a staff session under the hash of its token for ttl.
func (s *Store) CreateStaffSession(ctx context.Context, tokenHash string, sess domain.StaffSession, ttl time.Duration) error {
	if err := s.createSession(ctx, "staff_sessions", tokenHash, sess.Email, sess.CreatedAt, ttl); err != nil {
		return fmt.Errorf("storage: create staff session: %w", err)
	}
	return nil
}

// StaffSession returns the live staff session stored under tokenHash.
func (s *Store) StaffSession(ctx context.Context, tokenHash string) (domain.StaffSession, bool, error) {
	var sess domain.StaffSession
	found, err := s.session(ctx, "staff_sessions", tokenHash, &sess.Email, &sess.CreatedAt)
	if err != nil {
		return domain.StaffSession{}, false, fmt.Errorf("storage: staff session: %w", err)
	}
	return sess, found, nil
}

// DeleteStaffSession ends a staff session.
func (s *Store) DeleteStaffSession(ctx context.Context, tokenHash string) error {
	if err := s.deleteSession(ctx, "staff_sessions", tokenHash); err != nil {
		return fmt.Errorf("storage: delete staff session: %w", err)
	}
	return nil
}
