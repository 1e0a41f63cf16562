package postgres_test

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"portal/storage"
	"portal/storage/postgres/pgtest"
	"portal/storage/storetest"
)

func openBadger(t *testing.T) *storage.Store {
	t.Helper()
	s, err := storage.Open(filepath.Join(t.TempDir(), "data"), testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestCopyBadgerToPostgresAndBack: a Badger portal dumped and loaded into
// PostgreSQL is the same portal, record for record and through every index,
// and so is the way back.
func TestCopyBadgerToPostgresAndBack(t *testing.T) {
	ctx := context.Background()
	badger := openBadger(t)
	filled := storetest.Fill(t, badger)
	records := storetest.DumpAll(t, badger)

	pg := mustOpen(t, pgtest.Fresh(t))
	if err := pg.Load(ctx, storetest.Records(records)); err != nil {
		t.Fatal(err)
	}
	inPG := storetest.DumpAll(t, pg)
	storetest.SameRecords(t, inPG, records)

	back := openBadger(t)
	if err := back.Load(ctx, storetest.Records(inPG)); err != nil {
		t.Fatal(err)
	}
	storetest.SameRecords(t, storetest.DumpAll(t, back), records)
	// Both export the same JSON Lines, byte for byte.
	if a, b := exportOf(t, badger), exportOf(t, pg); a != b {
		t.Errorf("the exports differ:\nBadger:\n%s\nPostgreSQL:\n%s", a, b)
	}
	storetest.CheckFilled(t, pg, filled)
	storetest.CheckFilled(t, back, filled)
}

// TestCopyPostgresToBadger: the other way, from a portal made in PostgreSQL.
func TestCopyPostgresToBadger(t *testing.T) {
	ctx := context.Background()
	pg := mustOpen(t, pgtest.Fresh(t))
	filled := storetest.Fill(t, pg)
	records := storetest.DumpAll(t, pg)
	badger := openBadger(t)
	if err := badger.Load(ctx, storetest.Records(records)); err != nil {
		t.Fatal(err)
	}
	storetest.SameRecords(t, storetest.DumpAll(t, badger), records)
	storetest.CheckFilled(t, badger, filled)
}

func exportOf(t *testing.T, s interface {
	Export(ctx context.Context, w io.Writer) (int, error)
}) string {
	t.Helper()
	var b strings.Builder
	if _, err := s.Export(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
