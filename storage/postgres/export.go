package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/domain"
)

// ordersWithLicensesSQL reads every order, by reference, each followed by its
// licenses in its own list's order (an order without licenses is one row with
// a NULL license).
const ordersWithLicensesSQL = `SELECT ` + orderColumns + `, u.position, ` + licenseColumns + `
	FROM orders o
	LEFT JOIN LATERAL unnest(o.license_ids) WITH ORDINALITY AS u(id, position) ON true
	LEFT JOIN licenses l ON l.id = u.id
	ORDER BY o.reference, u.position`

// eachOrder calls fn with every order and its licenses, by reference, reading
// them as one stream.
func eachOrder(ctx context.Context, tx pgx.Tx, fn func(o domain.Order, licenses []domain.License) error) error {
	rows, err := tx.Query(ctx, ordersWithLicensesSQL)
	if err != nil {
		return err
	}
	defer rows.Close()
	var current *domain.Order
	var licenses []domain.License
	flush := func() error {
		if current == nil {
			return nil
		}
		return fn(*current, licenses)
	}
	for rows.Next() {
		var r orderRow
		var position *int64
		var l nullLicense
		if err := rows.Scan(append(append(r.dest(), &position), l.dest()...)...); err != nil {
			return err
		}
		if current == nil || current.Reference != r.o.Reference {
			if err := flush(); err != nil {
				return err
			}
			o, err := r.order()
			if err != nil {
				return err
			}
			current, licenses = &o, make([]domain.License, 0, len(o.LicenseIDs))
		}
		if l.id != nil {
			licenses = append(licenses, l.license())
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return flush()
}

// Export writes the catalog and every order with its licenses as JSON Lines that
// "portal import" reads back, the same lines as the Badger store's. It reads
// one consistent snapshot, online.
func (s *Store) Export(ctx context.Context, w io.Writer) (orders int, err error) {
	enc := json.NewEncoder(w)
	err = s.snapshot(ctx, func(tx pgx.Tx) error {
		products, err := queryProducts(ctx, tx)
		if err != nil {
			return err
		}
		for _, p := range products {
			if err := enc.Encode(domain.NewProductLine(p)); err != nil {
				return err
			}
		}
		return eachOrder(ctx, tx, func(o domain.Order, licenses []domain.License) error {
			orders++
			return enc.Encode(domain.NewOrderLine(o, licenses))
		})
	})
	if err != nil {
		return orders, fmt.Errorf("storage: export: %w", err)
	}
	return orders, nil
}

// nullLicense is a license's columns from an outer join: all NULL for none.
type nullLicense struct {
	id, orderRef, software, edition, serial *string
	users, version                          *int
	purchasedAt, supportStart, supportEnd   *time.Time
}

func (l *nullLicense) dest() []any {
	return []any{&l.id, &l.orderRef, &l.software, &l.edition, &l.users, &l.serial,
		&l.purchasedAt, &l.supportStart, &l.supportEnd, &l.version}
}

func (l *nullLicense) license() domain.License {
	return domain.License{ID: *l.id, OrderRef: *l.orderRef, Software: *l.software, Edition: *l.edition,
		Users: *l.users, Serial: *l.serial, PurchasedAt: *l.purchasedAt, SupportStart: *l.supportStart,
		SupportEnd: *l.supportEnd, Version: *l.version}
}
