package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

func staffKey(email string) string { return prefixStaff + email }

// SaveStaffUser creates or replaces a staff account and records the change in the
// audit log, in one transaction.
func (s *Store) SaveStaffUser(ctx context.Context, u domain.StaffUser, audit domain.AuditEntry) error {
	err := s.update(ctx, func(txn *badger.Txn) error {
		if err := setJSON(txn, staffKey(u.Email), u); err != nil {
			return err
		}
		return putAudit(txn, audit)
	})
	if err != nil {
		return fmt.Errorf("storage: save staff user: %w", err)
	}
	return nil
}

// StaffUser returns the account of email.
func (s *Store) StaffUser(ctx context.Context, email string) (domain.StaffUser, bool, error) {
	u, found, err := lookup[domain.StaffUser](s, staffKey(email))
	if err != nil {
		return domain.StaffUser{}, false, fmt.Errorf("storage: staff user: %w", err)
	}
	return u, found, nil
}

// StaffUsers lists every staff account by email.
func (s *Store) StaffUsers(ctx context.Context) ([]domain.StaffUser, error) {
	return read(s, "staff users", func(txn *badger.Txn) ([]domain.StaffUser, error) {
		return scanAll[domain.StaffUser](txn, prefixStaff)
	})
}

// CreateStaffSession stores a staff session under the hash of its token for ttl.
func (s *Store) CreateStaffSession(ctx context.Context, tokenHash string, sess domain.StaffSession, ttl time.Duration) error {
	if err := s.putWithTTL(ctx, prefixStaffSes+tokenHash, sess, ttl); err != nil {
		return fmt.Errorf("storage: create staff session: %w", err)
	}
	return nil
}

// StaffSession returns the live staff session stored under tokenHash.
func (s *Store) StaffSession(ctx context.Context, tokenHash string) (domain.StaffSession, bool, error) {
	return lookup[domain.StaffSession](s, prefixStaffSes+tokenHash)
}

// DeleteStaffSession ends a staff session.
func (s *Store) DeleteStaffSession(ctx context.Context, tokenHash string) error {
	return s.deleteKey(ctx, prefixStaffSes+tokenHash)
}
