package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"portal/domain"
)

const productColumns = `software, edition, upgradable, currency, seat_price, support_price_per_seat_year, retired`

func productDest(p *domain.Product) []any {
	return []any{&p.Software, &p.Edition, &p.Upgradable, &p.Currency, &p.SeatPrice, &p.SupportPricePerSeatYear, &p.Retired}
}

func productValues(p domain.Product) []any {
	return []any{p.Software, p.Edition, p.Upgradable, p.Currency, p.SeatPrice, p.SupportPricePerSeatYear, p.Retired}
}

// upsertProductSQL creates or replaces a catalog entry; it answers a row only
// when something was written, so that an entry saved again unchanged says so.
const upsertProductSQL = `INSERT INTO products (` + productColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7)
	ON CONFLICT (software, edition) DO UPDATE SET upgradable = excluded.upgradable,
	currency = excluded.currency, seat_price = excluded.seat_price,
	support_price_per_seat_year = excluded.support_price_per_seat_year, retired = excluded.retired
	WHERE (products.upgradable, products.currency, products.seat_price, products.support_price_per_seat_year, products.retired)
	IS DISTINCT FROM (excluded.upgradable, excluded.currency, excluded.seat_price, excluded.support_price_per_seat_year, excluded.retired)
	RETURNING true`

// SaveProduct creates or replaces the catalog entry for the product's software and
// edition; changed is false when the stored entry was already the same.
func (s *Store) SaveProduct(ctx context.Context, p domain.Product) (changed bool, err error) {
	err = retry(ctx, func() error {
		err := s.pool.QueryRow(ctx, upsertProductSQL, productValues(p)...).Scan(&changed)
		if errors.Is(err, pgx.ErrNoRows) {
			changed, err = false, nil
		}
		return err
	})
	if err != nil {
		return false, fmt.Errorf("storage: save product: %w", err)
	}
	return changed, nil
}

// SaveProductAudited creates or replaces a catalog entry and records who did it.
func (s *Store) SaveProductAudited(ctx context.Context, p domain.Product, audit domain.AuditEntry) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(upsertProductSQL, productValues(p)...)
		b.Queue(insertAuditSQL, auditValues(audit)...)
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("storage: save product: %w", err)
	}
	return nil
}

// Product returns the catalog entry for software and edition.
func (s *Store) Product(ctx context.Context, software, edition string) (domain.Product, bool, error) {
	if !storable(software, edition) {
		return domain.Product{}, false, nil
	}
	var p domain.Product
	err := s.pool.QueryRow(ctx, `SELECT `+productColumns+` FROM products WHERE software = $1 AND edition = $2`,
		software, edition).Scan(productDest(&p)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Product{}, false, nil
	}
	if err != nil {
		return domain.Product{}, false, fmt.Errorf("storage: product: %w", err)
	}
	return p, true, nil
}

// Products returns the catalog, ordered by software and edition. It is read
// every time: another instance may have changed it.
func (s *Store) Products(ctx context.Context) ([]domain.Product, error) {
	products, err := queryProducts(ctx, s.pool)
	if err != nil {
		return nil, fmt.Errorf("storage: products: %w", err)
	}
	return products, nil
}

func queryProducts(ctx context.Context, q querier) ([]domain.Product, error) {
	rows, err := q.Query(ctx, `SELECT `+productColumns+` FROM products ORDER BY software, edition`)
	if err != nil {
		return nil, err
	}
	var products []domain.Product
	for rows.Next() {
		var p domain.Product
		if err := rows.Scan(productDest(&p)...); err != nil {
			rows.Close()
			return nil, err
		}
		products = append(products, p)
	}
	return products, rows.Err()
}
