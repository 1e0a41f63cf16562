package storage

import (
	"context"
	"encoding/json"
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
	var users []domain.StaffUser
	err := s.db.View(func(txn *badger.Txn) error {
		return eachJSON(txn, prefixStaff, func() any { return &domain.StaffUser{} }, func(v any) {
			users = append(users, *v.(*domain.StaffUser))
		})
	})
	if err != nil {
		return nil, fmt.Errorf("storage: staff users: %w", err)
	}
	return users, nil
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

// putAudit appends an audit entry; entries at the same instant get the next counter.
func putAudit(txn *badger.Txn, e domain.AuditEntry) error {
	for n := 0; ; n++ {
		key := fmt.Sprintf("%s%020d-%04d", prefixAudit, e.At.UnixNano(), n)
		taken, err := exists(txn, key)
		if err != nil {
			return err
		}
		if !taken {
			return setJSON(txn, key, e)
		}
	}
}

// Audit returns the newest audit entries, newest first, at most limit.
func (s *Store) Audit(ctx context.Context, limit int) ([]domain.AuditEntry, error) {
	var out []domain.AuditEntry
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefixAudit), Reverse: true, PrefetchValues: true})
		defer it.Close()
		// Reverse iteration starts at the largest key with the prefix.
		for it.Seek([]byte(prefixAudit + "\xff")); it.ValidForPrefix([]byte(prefixAudit)) && len(out) < limit; it.Next() {
			var e domain.AuditEntry
			if err := it.Item().Value(func(b []byte) error { return json.Unmarshal(b, &e) }); err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("storage: audit: %w", err)
	}
	return out, nil
}

// SaveProductAudited creates or replaces a catalog entry and records who did it.
func (s *Store) SaveProductAudited(ctx context.Context, p domain.Product, audit domain.AuditEntry) error {
	err := s.update(ctx, func(txn *badger.Txn) error {
		if err := setJSON(txn, productKey(p.Software, p.Edition), p); err != nil {
			return err
		}
		return putAudit(txn, audit)
	})
	if err != nil {
		return fmt.Errorf("storage: save product: %w", err)
	}
	return nil
}

// RecordAudit appends an audit entry on its own (for actions that change no data,
// such as an export or a backup download).
func (s *Store) RecordAudit(ctx context.Context, e domain.AuditEntry) error {
	return s.update(ctx, func(txn *badger.Txn) error { return putAudit(txn, e) })
}

// eachJSON decodes every value under prefix.
func eachJSON(txn *badger.Txn, prefix string, alloc func() any, each func(any)) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix), PrefetchValues: true})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		v := alloc()
		if err := it.Item().Value(func(b []byte) error { return json.Unmarshal(b, v) }); err != nil {
			return err
		}
		each(v)
	}
	return nil
}
