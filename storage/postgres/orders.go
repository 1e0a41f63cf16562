package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"portal/domain"
)

// orderColumns are an order's columns as orderRow reads them (orders as o).
const orderColumns = `o.reference, o.ordered_at, o.name, o.country, o.city, o.contact_name,
	o.email, o.currency, o.items, o.total, o.activation_key, o.source, o.license_ids,
	o.billing, o.tax, o.invoices`

// orderRow is one order as read from its row; order decodes its JSON columns.
type orderRow struct {
	o                             domain.Order
	items, billing, tax, invoices []byte
}

func (r *orderRow) dest() []any {
	o := &r.o
	return []any{&o.Reference, &o.Date, &o.Name, &o.Country, &o.City, &o.ContactName,
		&o.Email, &o.Currency, &r.items, &o.Total, &o.ActivationKey, &o.Source, &o.LicenseIDs,
		&r.billing, &r.tax, &r.invoices}
}

func (r *orderRow) order() (domain.Order, error) {
	for _, c := range []struct {
		name string
		raw  []byte
		into any
	}{{"items", r.items, &r.o.Items}, {"billing", r.billing, &r.o.Billing}, {"tax", r.tax, &r.o.Tax}, {"invoices", r.invoices, &r.o.Invoices}} {
		if c.raw == nil {
			continue // NULL: none
		}
		if err := json.Unmarshal(c.raw, c.into); err != nil {
			return domain.Order{}, fmt.Errorf("order %s: %s: %w", r.o.Reference, c.name, err)
		}
	}
	return r.o, nil
}

// scanOrder reads an order from rows whose first columns are orderColumns,
// after any columns in before.
func scanOrder(rows pgx.Row, before ...any) (domain.Order, error) {
	var r orderRow
	if err := rows.Scan(append(before, r.dest()...)...); err != nil {
		return domain.Order{}, err
	}
	return r.order()
}

// queryOrder reads the one order that sql selects, if any.
func queryOrder(ctx context.Context, q querier, sql string, args ...any) (domain.Order, bool, error) {
	o, err := scanOrder(q.QueryRow(ctx, sql, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Order{}, false, nil
	}
	return o, err == nil, err
}

// querier is a pool or a transaction.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// emailDomain is the part of an email after its @, which staff search by.
func emailDomain(email string) string { return email[strings.LastIndexByte(email, '@')+1:] }

// orderValues are the values of an order's row, in the order of insertOrderSQL.
func orderValues(o domain.Order) ([]any, error) {
	items, err := json.Marshal(o.Items)
	if err != nil {
		return nil, err
	}
	var billing, tax, invoices []byte // NULL when there is none
	if !o.Billing.IsZero() {
		if billing, err = json.Marshal(o.Billing); err != nil {
			return nil, err
		}
	}
	if o.Tax != nil {
		if tax, err = json.Marshal(o.Tax); err != nil {
			return nil, err
		}
	}
	if len(o.Invoices) > 0 {
		if invoices, err = json.Marshal(o.Invoices); err != nil {
			return nil, err
		}
	}
	var invoiceNumber *string
	if n := o.InvoiceNumber(); n != "" {
		invoiceNumber = &n
	}
	return []any{o.Reference, o.Date, o.Name, o.Country, o.City, o.ContactName, o.Email,
		emailDomain(o.Email), o.Currency, items, o.Total, o.ActivationKey, o.Source, o.LicenseIDs,
		billing, tax, invoices, invoiceNumber}, nil
}

const insertOrderSQL = `INSERT INTO orders (reference, ordered_at, name, country, city, contact_name,
	email, email_domain, currency, items, total, activation_key, source, license_ids,
	billing, tax, invoices, invoice_number)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`

// Order returns the order with reference ref.
func (s *Store) Order(ctx context.Context, ref string) (domain.Order, bool, error) {
	if !storable(ref) {
		return domain.Order{}, false, nil
	}
	o, found, err := queryOrder(ctx, s.pool, `SELECT `+orderColumns+` FROM orders o WHERE o.reference = $1`, ref)
	if err != nil {
		return domain.Order{}, false, fmt.Errorf("storage: order %s: %w", ref, err)
	}
	return o, found, nil
}

// OrderByActivationKey returns the order that key (in stored form) belongs to.
// The caller still compares the key in constant time: this is an index look-up.
func (s *Store) OrderByActivationKey(ctx context.Context, key string) (domain.Order, bool, error) {
	if !storable(key) {
		return domain.Order{}, false, nil
	}
	o, found, err := queryOrder(ctx, s.pool, `SELECT `+orderColumns+` FROM orders o WHERE o.activation_key = $1`, key)
	if err != nil {
		return domain.Order{}, false, fmt.Errorf("storage: order by activation key: %w", err)
	}
	return o, found, nil
}

// OrdersByEmail returns every order bought with email, newest first.
func (s *Store) OrdersByEmail(ctx context.Context, email string) ([]domain.Order, error) {
	if !storable(email) {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT `+orderColumns+` FROM orders o WHERE o.email = $1
		ORDER BY o.ordered_at DESC, o.reference DESC`, email)
	if err != nil {
		return nil, fmt.Errorf("storage: orders of an email: %w", err)
	}
	orders := []domain.Order{}
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("storage: orders of an email: %w", err)
		}
		orders = append(orders, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: orders of an email: %w", err)
	}
	return orders, nil
}

// OrderCount returns how many orders are stored.
func (s *Store) OrderCount(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM orders`).Scan(&n); err != nil {
		return 0, fmt.Errorf("storage: order count: %w", err)
	}
	return n, nil
}
