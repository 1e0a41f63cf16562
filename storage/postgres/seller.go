package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"portal/domain"
)

// settingSeller names the settings row of the seller details.
const settingSeller = "seller"

const upsertSettingSQL = `INSERT INTO settings (name, value) VALUES ($1, $2)
	ON CONFLICT (name) DO UPDATE SET value = excluded.value`

// sellerValues are the values of the seller's settings row, for upsertSettingSQL.
func sellerValues(seller domain.Seller) ([]any, error) {
	b, err := json.Marshal(seller)
	if err != nil {
		return nil, err
	}
	return []any{settingSeller, b}, nil
}

// Seller returns the seller details an admin saved; found is false until one
// did (the invoices then use the PORTAL_SELLER_* settings).
func (s *Store) Seller(ctx context.Context) (domain.Seller, bool, error) {
	seller, found, err := querySeller(ctx, s.pool)
	if err != nil {
		return domain.Seller{}, false, fmt.Errorf("storage: seller: %w", err)
	}
	return seller, found, nil
}

func querySeller(ctx context.Context, q querier) (domain.Seller, bool, error) {
	var b []byte
	err := q.QueryRow(ctx, `SELECT value FROM settings WHERE name = $1`, settingSeller).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Seller{}, false, nil
	}
	if err != nil {
		return domain.Seller{}, false, err
	}
	var seller domain.Seller
	if err := json.Unmarshal(b, &seller); err != nil {
		return domain.Seller{}, false, err
	}
	return seller, true, nil
}

// SaveSeller stores the seller details and records who changed them, in one
// transaction.
func (s *Store) SaveSeller(ctx context.Context, seller domain.Seller, audit domain.AuditEntry) error {
	values, err := sellerValues(seller)
	if err != nil {
		return fmt.Errorf("storage: save seller: %w", err)
	}
	err = s.tx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(upsertSettingSQL, values...)
		b.Queue(insertAuditSQL, auditValues(audit)...)
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("storage: save seller: %w", err)
	}
	return nil
}
