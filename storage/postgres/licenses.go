package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"portal/domain"
)

// licenseColumns are a license's columns as licenseDest reads them (licenses as l).
const licenseColumns = `l.id, l.order_ref, l.software, l.edition, l.users, l.serial,
	l.purchased_at, l.support_start, l.support_end, l.version`

func licenseDest(l *domain.License) []any {
	return []any{&l.ID, &l.OrderRef, &l.Software, &l.Edition, &l.Users, &l.Serial,
		&l.PurchasedAt, &l.SupportStart, &l.SupportEnd, &l.Version}
}

// upsertLicenseSQL writes a license whole, new or not.
const upsertLicenseSQL = `INSERT INTO licenses (id, order_ref, software, edition, users, serial,
	purchased_at, support_start, support_end, version)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
	ON CONFLICT (id) DO UPDATE SET order_ref = excluded.order_ref, software = excluded.software,
	edition = excluded.edition, users = excluded.users, serial = excluded.serial,
	purchased_at = excluded.purchased_at, support_start = excluded.support_start,
	support_end = excluded.support_end, version = excluded.version`

func licenseValues(l domain.License) []any {
	return []any{l.ID, l.OrderRef, l.Software, l.Edition, l.Users, l.Serial,
		l.PurchasedAt, l.SupportStart, l.SupportEnd, l.Version}
}

// License returns the license with the given id.
func (s *Store) License(ctx context.Context, id string) (domain.License, bool, error) {
	if !storable(id) {
		return domain.License{}, false, nil
	}
	var l domain.License
	err := s.pool.QueryRow(ctx, `SELECT `+licenseColumns+` FROM licenses l WHERE l.id = $1`, id).Scan(licenseDest(&l)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.License{}, false, nil
	}
	if err != nil {
		return domain.License{}, false, fmt.Errorf("storage: license %s: %w", id, err)
	}
	return l, true, nil
}

// orderLicensesSQL reads the licenses named by a list of ids ($1), in the
// list's order; ids without a license are left out.
const orderLicensesSQL = `SELECT ` + licenseColumns + `
	FROM unnest($1::text[]) WITH ORDINALITY AS u(id, position) JOIN licenses l ON l.id = u.id
	ORDER BY u.position`

// Licenses returns the licenses named by ids, in that order, leaving out ids
// that name none: an order's licenses in one round trip. The order is put back
// here: "id = ANY" is a plain index look-up, where joining the list as a table
// (unnest ... WITH ORDINALITY) cost PostgreSQL a quarter more CPU per page.
func (s *Store) Licenses(ctx context.Context, ids []string) ([]domain.License, error) {
	ids = slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return !storable(id) })
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT `+licenseColumns+` FROM licenses l WHERE l.id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("storage: licenses: %w", err)
	}
	found, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.License, error) {
		var l domain.License
		return l, row.Scan(licenseDest(&l)...)
	})
	if err != nil {
		return nil, fmt.Errorf("storage: licenses: %w", err)
	}
	byID := make(map[string]domain.License, len(found))
	for _, l := range found {
		byID[l.ID] = l
	}
	licenses := make([]domain.License, 0, len(found))
	for _, id := range ids {
		if l, ok := byID[id]; ok {
			licenses = append(licenses, l)
			delete(byID, id) // an id asked twice is answered once, as the join did
		}
	}
	return licenses, nil
}

// LicensesByEmail returns the licenses of every order bought with email, in the
// order of OrdersByEmail (newest order first) and then of the order's own list:
// one query over the orders of the email and their licenses.
func (s *Store) LicensesByEmail(ctx context.Context, email string) ([]domain.License, error) {
	if !storable(email) {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT `+licenseColumns+`
		FROM orders o CROSS JOIN LATERAL unnest(o.license_ids) WITH ORDINALITY AS u(id, position)
		JOIN licenses l ON l.id = u.id
		WHERE o.email = $1
		ORDER BY o.ordered_at DESC, o.reference DESC, u.position`, email)
	if err != nil {
		return nil, fmt.Errorf("storage: licenses of an email: %w", err)
	}
	licenses, err := collectLicenses(rows)
	if err != nil {
		return nil, fmt.Errorf("storage: licenses of an email: %w", err)
	}
	return licenses, nil
}

func collectLicenses(rows pgx.Rows) ([]domain.License, error) {
	var licenses []domain.License
	for rows.Next() {
		var l domain.License
		if err := rows.Scan(licenseDest(&l)...); err != nil {
			rows.Close()
			return nil, err
		}
		licenses = append(licenses, l)
	}
	return licenses, rows.Err()
}

// historyColumns are a history entry's columns as scanHistory reads them.
const historyColumns = `license_id, at, kind, actor, note, license_before, license_after`

func scanHistory(row pgx.Row) (domain.HistoryEntry, error) {
	var e domain.HistoryEntry
	var before, after []byte
	if err := row.Scan(&e.LicenseID, &e.At, &e.Kind, &e.Actor, &e.Note, &before, &after); err != nil {
		return e, err
	}
	if err := json.Unmarshal(before, &e.Before); err != nil {
		return e, err
	}
	return e, json.Unmarshal(after, &e.After)
}

const insertHistorySQL = `INSERT INTO history (` + historyColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7)`

func historyValues(e domain.HistoryEntry) ([]any, error) {
	before, err := json.Marshal(e.Before)
	if err != nil {
		return nil, err
	}
	after, err := json.Marshal(e.After)
	if err != nil {
		return nil, err
	}
	return []any{e.LicenseID, e.At, e.Kind, e.Actor, e.Note, before, after}, nil
}

// queueHistory adds the statements that append entries to their licenses' histories.
func queueHistory(b *pgx.Batch, entries []domain.HistoryEntry) error {
	for _, e := range entries {
		values, err := historyValues(e)
		if err != nil {
			return err
		}
		b.Queue(insertHistorySQL, values...)
	}
	return nil
}

// LicenseHistory returns a license's history, oldest first.
func (s *Store) LicenseHistory(ctx context.Context, licenseID string) ([]domain.HistoryEntry, error) {
	if !storable(licenseID) {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT `+historyColumns+` FROM history WHERE license_id = $1 ORDER BY at, seq`, licenseID)
	if err != nil {
		return nil, fmt.Errorf("storage: license history: %w", err)
	}
	var out []domain.HistoryEntry
	for rows.Next() {
		e, err := scanHistory(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("storage: license history: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: license history: %w", err)
	}
	return out, nil
}
