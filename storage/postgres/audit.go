package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"portal/domain"
)

const insertAuditSQL = `INSERT INTO audit (at, staff, action, detail) VALUES ($1, $2, $3, $4)`

func auditValues(e domain.AuditEntry) []any { return []any{e.At, e.Staff, e.Action, e.Detail} }

// Audit returns the newest audit entries, newest first, at most limit.
func (s *Store) Audit(ctx context.Context, limit int) ([]domain.AuditEntry, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT at, staff, action, detail FROM audit ORDER BY at DESC, seq DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("storage: audit: %w", err)
	}
	out, err := collectAudit(rows)
	if err != nil {
		return nil, fmt.Errorf("storage: audit: %w", err)
	}
	return out, nil
}

func collectAudit(rows pgx.Rows) ([]domain.AuditEntry, error) {
	var out []domain.AuditEntry
	for rows.Next() {
		var e domain.AuditEntry
		if err := rows.Scan(&e.At, &e.Staff, &e.Action, &e.Detail); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// RecordAudit appends an audit entry on its own (for actions that change no data,
// such as an export or a backup download).
func (s *Store) RecordAudit(ctx context.Context, e domain.AuditEntry) error {
	if _, err := s.exec(ctx, insertAuditSQL, auditValues(e)...); err != nil {
		return fmt.Errorf("storage: record audit: %w", err)
	}
	return nil
}
