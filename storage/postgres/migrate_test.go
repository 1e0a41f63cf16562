package postgres_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"portal/storage/postgres"
	"portal/storage/postgres/pgtest"
)

// TestInstancesStartingTogetherMigrateOnce: several instances opening a new
// database at the same moment all start, and the schema is made once.
func TestInstancesStartingTogetherMigrateOnce(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Fresh(t)
	const instances = 6
	var wg sync.WaitGroup
	stores := make([]*postgres.Store, instances)
	errs := make([]error, instances)
	for i := range instances {
		wg.Go(func() { stores[i], errs[i] = postgres.Open(ctx, url, testLogger(t)) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i, err)
			continue
		}
		defer stores[i].Close()
	}
	migrations, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(migrations) == 0 {
		t.Fatalf("migrations: %v, %v", migrations, err)
	}
	if version := schemaVersion(t, url); version != len(migrations) {
		t.Errorf("schema version %d, want %d (every migration)", version, len(migrations))
	}
	// Opening again, and migrating again, changes nothing.
	s := mustOpen(t, url)
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := s.OrderCount(ctx); err != nil || n != 0 {
		t.Errorf("OrderCount = %d, %v", n, err)
	}
}

func TestOpenRefusesASchemaNewerThanTheBinary(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Fresh(t)
	mustOpen(t, url).Close()
	exec(t, url, `UPDATE schema_migrations SET version = 99`)
	_, err := postgres.Open(ctx, url, testLogger(t))
	if err == nil || !strings.Contains(err.Error(), "newer than this binary") {
		t.Errorf("open of a newer schema: %v", err)
	}
}

func TestOpenDoesNotRepeatThePassword(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://portal:s3cret-pw@127.0.0.1:notaport/db", testLogger(t))
	if err == nil || strings.Contains(err.Error(), "s3cret-pw") {
		t.Errorf("open of a bad URL: %v", err)
	}
}

func schemaVersion(t *testing.T, url string) int {
	t.Helper()
	var version int
	conn := connect(t, url)
	if err := conn.QueryRow(context.Background(), `SELECT version FROM schema_migrations`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	return version
}

func exec(t *testing.T, url, sql string) {
	t.Helper()
	if _, err := connect(t, url).Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}
