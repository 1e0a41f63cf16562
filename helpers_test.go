package main

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"portal/storage"
)

func orderLine(ref, email string) string {
	return fmt.Sprintf(`{"kind":"order","reference":%q,"date":"2026-03-14T10:22:00Z","name":"Acme SARL","country":"FR","city":"Lyon","contact_name":"Marie Dupont","email":%q,"currency":"EUR","items":[{"description":"Remote Work Standard, 5 workstations","quantity":1,"unit_amount":45000}],"licenses":[{"software":"Remote Work","edition":"Standard","users":5,"serial":"","support_start":"2026-03-14","support_end":"2027-03-14"}]}`, ref, email)
}

func writeImportFile(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`{"kind":"product","software":"Remote Work","edition":"Standard","upgradable":true,"currency":"EUR","seat_price":0,"support_price_per_seat_year":9000}` + "\n")
	for i := range n {
		b.WriteString(orderLine(fmt.Sprintf("JWT%d", 200000+i), fmt.Sprintf("c%d@example.com", i%50)) + "\n")
	}
	path := filepath.Join(t.TempDir(), "orders.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func openTestStore(t *testing.T, dir string) *storage.Store {
	t.Helper()
	store, err := storage.Open(dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return store
}

// safeBuffer is a bytes.Buffer that the server goroutine and the test may share.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
