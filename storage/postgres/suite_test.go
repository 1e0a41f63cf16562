package postgres_test

import (
	"context"
	"log/slog"
	"testing"

	"portal/storage/postgres"
	"portal/storage/postgres/pgtest"
	"portal/storage/storetest"
)

// TestPostgres runs the storage suite against the PostgreSQL store, each test
// in a schema of its own on the test server.
func TestPostgres(t *testing.T) {
	storetest.Run(t, harness)
}

var harness = storetest.Harness{
	Fresh: pgtest.Fresh,
	Open: func(t testing.TB, url string) (storetest.Backend, error) {
		s, err := postgres.Open(context.Background(), url, testLogger(t))
		if err != nil {
			return nil, err
		}
		return s, nil
	},
}

// testLogger sends the store's warnings to the test's output.
func testLogger(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}
