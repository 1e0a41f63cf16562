package storage

import (
	"context"
	"fmt"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

// putAudit appends an audit entry; entries at the same instant get the next counter.
func putAudit(txn *badger.Txn, e domain.AuditEntry) error {
	return putNumbered(txn, prefixAudit, e.At, e)
}

// Audit returns the newest audit entries, newest first, at most limit.
func (s *Store) Audit(ctx context.Context, limit int) ([]domain.AuditEntry, error) {
	if limit <= 0 {
		return nil, nil
	}
	return read(s, "audit", func(txn *badger.Txn) ([]domain.AuditEntry, error) {
		var out []domain.AuditEntry
		err := scan(txn, prefixAudit, true, func(e domain.AuditEntry) (bool, error) {
			out = append(out, e)
			return len(out) < limit, nil
		})
		return out, err
	})
}

// RecordAudit appends an audit entry on its own (for actions that change no data,
// such as an export or a backup download).
func (s *Store) RecordAudit(ctx context.Context, e domain.AuditEntry) error {
	if err := s.update(ctx, func(txn *badger.Txn) error { return putAudit(txn, e) }); err != nil {
		return fmt.Errorf("storage: record audit: %w", err)
	}
	return nil
}
