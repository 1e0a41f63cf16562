package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/domain"
)

const purchaseColumns = `id, kind, email, license_id, order_ref, description, add_users, amount, currency,
	status, created_at, expires_at, license_version, users_at_quote, support_end_at_quote, new_support_end,
	checkout_id, checkout_url, event_id, paid_amount, paid_at, new_order_ref, flag_reason`

func scanPurchase(row pgx.Row) (domain.Purchase, error) {
	var p domain.Purchase
	var newSupportEnd, paidAt *time.Time
	err := row.Scan(&p.ID, &p.Kind, &p.Email, &p.LicenseID, &p.OrderRef, &p.Description, &p.Add, &p.Amount,
		&p.Currency, &p.Status, &p.CreatedAt, &p.ExpiresAt, &p.LicenseVersion, &p.UsersAtQuote, &p.SupportEndAt,
		&newSupportEnd, &p.CheckoutID, &p.CheckoutURL, &p.EventID, &p.PaidAmount, &paidAt, &p.NewOrderRef, &p.FlagReason)
	p.NewSupportEnd, p.PaidAt = timeOrZero(newSupportEnd), timeOrZero(paidAt)
	return p, err
}

// upsertPurchaseSQL writes a purchase whole, new or not, with when it may be
// forgotten while it stays pending.
const upsertPurchaseSQL = `INSERT INTO purchases (` + purchaseColumns + `, keep_until)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
	ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, email = excluded.email, license_id = excluded.license_id,
	order_ref = excluded.order_ref, description = excluded.description, add_users = excluded.add_users,
	amount = excluded.amount, currency = excluded.currency, status = excluded.status,
	created_at = excluded.created_at, expires_at = excluded.expires_at, license_version = excluded.license_version,
	users_at_quote = excluded.users_at_quote, support_end_at_quote = excluded.support_end_at_quote,
	new_support_end = excluded.new_support_end, checkout_id = excluded.checkout_id,
	checkout_url = excluded.checkout_url, event_id = excluded.event_id, paid_amount = excluded.paid_amount,
	paid_at = excluded.paid_at, new_order_ref = excluded.new_order_ref, flag_reason = excluded.flag_reason,
	keep_until = excluded.keep_until`

func purchaseValues(p domain.Purchase) []any {
	return []any{p.ID, p.Kind, p.Email, p.LicenseID, p.OrderRef, p.Description, p.Add, p.Amount,
		p.Currency, p.Status, p.CreatedAt, p.ExpiresAt, p.LicenseVersion, p.UsersAtQuote, p.SupportEndAt,
		optionalTime(p.NewSupportEnd), p.CheckoutID, p.CheckoutURL, p.EventID, p.PaidAmount,
		optionalTime(p.PaidAt), p.NewOrderRef, p.FlagReason, p.KeepUntil()}
}

// CreatePurchase stores a locked quote.
func (s *Store) CreatePurchase(ctx context.Context, p domain.Purchase) error {
	if _, err := s.exec(ctx, upsertPurchaseSQL, purchaseValues(p)...); err != nil {
		return fmt.Errorf("storage: create purchase: %w", err)
	}
	return nil
}

// SetPurchaseCheckout records the payment provider's page of a purchase: its
// session id, which alone may pay for it, and its address, for Buy clicked again.
func (s *Store) SetPurchaseCheckout(ctx context.Context, id string, checkout domain.CheckoutSession) error {
	tag, err := s.exec(ctx, `UPDATE purchases SET checkout_id = $2, checkout_url = $3 WHERE id = $1`,
		id, checkout.ID, checkout.URL)
	if err == nil && tag.RowsAffected() == 0 {
		err = domain.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("storage: purchase checkout: %w", err)
	}
	return nil
}

// Purchase returns the purchase with id.
func (s *Store) Purchase(ctx context.Context, id string) (domain.Purchase, bool, error) {
	if !storable(id) {
		return domain.Purchase{}, false, nil
	}
	p, err := scanPurchase(s.pool.QueryRow(ctx, `SELECT `+purchaseColumns+` FROM purchases WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Purchase{}, false, nil
	}
	if err != nil {
		return domain.Purchase{}, false, fmt.Errorf("storage: purchase: %w", err)
	}
	return p, true, nil
}

// PurchasesByEmail returns the purchases of a customer, newest first.
func (s *Store) PurchasesByEmail(ctx context.Context, email string) ([]domain.Purchase, error) {
	if !storable(email) {
		return nil, nil
	}
	out, err := s.queryPurchases(ctx, `SELECT `+purchaseColumns+` FROM purchases WHERE email = $1 ORDER BY created_at DESC, id`, email)
	if err != nil {
		return nil, fmt.Errorf("storage: purchases of an email: %w", err)
	}
	return out, nil
}

// FlaggedPurchases returns the paid purchases that were not applied.
func (s *Store) FlaggedPurchases(ctx context.Context) ([]domain.Purchase, error) {
	out, err := s.queryPurchases(ctx, `SELECT `+purchaseColumns+` FROM purchases WHERE status = $1 ORDER BY id`, domain.PurchaseFlagged)
	if err != nil {
		return nil, fmt.Errorf("storage: flagged purchases: %w", err)
	}
	return out, nil
}

func (s *Store) queryPurchases(ctx context.Context, sql string, args ...any) ([]domain.Purchase, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return collectPurchases(rows)
}

func collectPurchases(rows pgx.Rows) ([]domain.Purchase, error) {
	var out []domain.Purchase
	for rows.Next() {
		p, err := scanPurchase(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ForgetUnpaidPurchases deletes the purchases still pending whose time to be
// kept (domain.Purchase.KeepUntil) has passed at now, and answers how many it
// deleted. Settled purchases are kept. As in Badger, time is counted in whole
// seconds: a purchase goes once the second of its KeepUntil is over.
func (s *Store) ForgetUnpaidPurchases(ctx context.Context, now time.Time) (int, error) {
	tag, err := s.exec(ctx, `DELETE FROM purchases WHERE status = $1 AND keep_until < $2`,
		domain.PurchasePending, time.Unix(now.Unix(), 0))
	if err != nil {
		return 0, fmt.Errorf("storage: forget unpaid purchases: %w", err)
	}
	return int(tag.RowsAffected()), nil
}
