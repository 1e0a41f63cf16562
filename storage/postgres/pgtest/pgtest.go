// Package pgtest gives each test a PostgreSQL schema of its own on the server
// that the test command (scripts/test.sh) starts and names in
// PORTAL_TEST_DATABASE_URL. Without that variable a test that needs the server
// is skipped, or fails when CI is set: CI must run it.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// URLVariable names the test server's URL.
const URLVariable = "PORTAL_TEST_DATABASE_URL"

// ServerURL answers the test server's URL, or skips the test (fails it under CI)
// when there is none.
func ServerURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(URLVariable)
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set: CI must run the PostgreSQL tests (scripts/test.sh starts a server)", URLVariable)
		}
		t.Skipf("%s is not set: run scripts/test.sh, which starts a PostgreSQL server", URLVariable)
	}
	return u
}

// Fresh makes an empty schema and answers a database URL whose connections
// work in it (search_path), so that a store opened on it starts from nothing.
// The schema is dropped when the test ends.
func Fresh(t testing.TB) string {
	t.Helper()
	server := ServerURL(t)
	b := make([]byte, 8)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	exec(t, server, "CREATE SCHEMA "+schema)
	t.Cleanup(func() { exec(t, server, "DROP SCHEMA "+schema+" CASCADE") })
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("%s: %v", URLVariable, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func exec(t testing.TB, server, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("connect to the test server: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}
