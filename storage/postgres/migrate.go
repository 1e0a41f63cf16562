package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The schema is made and changed only by the migrations below, numbered
// NNNN_what.sql and applied in order; the binary carries them.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		number, _, _ := strings.Cut(base, "_")
		version, err := strconv.Atoi(number)
		if err != nil || version < 1 {
			return nil, fmt.Errorf("migration %s is not named NNNN_what.sql", base)
		}
		sql, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version, base, string(sql)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: versions must count up from 1 without gaps", m.name)
		}
	}
	return out, nil
}

// createMigrationsTable makes the one-row table that holds the schema's
// version. Two instances starting at once may both create it: PostgreSQL's
// CREATE TABLE IF NOT EXISTS can still fail on its catalog then, so the
// statement is tried again; the row itself is what guards the migrations.
const createMigrationsTable = `
CREATE TABLE IF NOT EXISTS schema_migrations (
    id      integer PRIMARY KEY CHECK (id = 1),
    version integer NOT NULL
);
INSERT INTO schema_migrations (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;`

// Migrate brings the schema to the newest version this binary knows. The
// version row is locked (SELECT ... FOR UPDATE) for the whole transaction that
// applies the missing migrations, so that instances starting together apply
// each migration once: the others wait, then find nothing left to do. A
// database newer than the binary is refused rather than written to.
func (s *Store) Migrate(ctx context.Context) error {
	all, err := loadMigrations()
	if err != nil {
		return fmt.Errorf("storage: migrations: %w", err)
	}
	for attempt := 0; ; attempt++ {
		_, err = s.pool.Exec(ctx, createMigrationsTable)
		if err == nil || attempt == 10 || !catalogRace(err) {
			break
		}
		time.Sleep(time.Duration(attempt+1) * 20 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("storage: migrations table: %w", err)
	}
	byteOrder, err := s.byteOrderColumns(ctx)
	if err != nil {
		return fmt.Errorf("storage: migrate: %w", err)
	}
	var applied []string
	err = s.tx(ctx, func(tx pgx.Tx) error {
		applied = nil
		var version int
		if err := tx.QueryRow(ctx, `SELECT version FROM schema_migrations WHERE id = 1 FOR UPDATE`).Scan(&version); err != nil {
			return err
		}
		if version > len(all) {
			return fmt.Errorf("the database's schema is version %d, newer than this binary's %d: upgrade the binary", version, len(all))
		}
		for _, m := range all[version:] {
			if _, err := tx.Exec(ctx, byteOrder(m.sql)); err != nil {
				return fmt.Errorf("%s: %w", m.name, err)
			}
			if _, err := tx.Exec(ctx, `UPDATE schema_migrations SET version = $1 WHERE id = 1`, m.version); err != nil {
				return err
			}
			applied = append(applied, m.name)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("storage: migrate: %w", err)
	}
	if len(applied) > 0 {
		s.log.Info("database schema migrated", "applied", strings.Join(applied, ", "), "version", len(all))
	}
	return nil
}

// byteOrderColumns answers how the migrations' key columns are made to
// compare as bytes (COLLATE "C"), as the stores' orders and prefix ranges
// need: as written on PostgreSQL and YugabyteDB, whose databases often compare
// text by a language's rules; without the clause on CockroachDB, which
// compares text as bytes already and refuses columns with a collation.
func (s *Store) byteOrderColumns(ctx context.Context) (func(sql string) string, error) {
	var version string
	if err := s.pool.QueryRow(ctx, `SELECT version()`).Scan(&version); err != nil {
		return nil, err
	}
	if strings.Contains(version, "CockroachDB") {
		return func(sql string) string { return strings.ReplaceAll(sql, ` COLLATE "C"`, "") }, nil
	}
	return func(sql string) string { return sql }, nil
}

// catalogRace reports the errors of two sessions creating the same table at
// once: a unique violation in PostgreSQL's catalog, or the table or its row
// type already there.
func catalogRace(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "23505" || pgErr.Code == "42P07" || pgErr.Code == "42710")
}
