package storage_test

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portal/storage"
)

// TestOpenMakesTheDataFolderPrivate: Badger's files hold every customer and a
// copy of the signing key; other local users must not read them.
func TestOpenMakesTheDataFolderPrivate(t *testing.T) {
	parent := t.TempDir()
	fresh := filepath.Join(parent, "fresh")
	s, err := storage.Open(fresh, nilLogger())
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if info, _ := os.Stat(fresh); info.Mode().Perm() != 0o700 {
		t.Errorf("a new data folder is %v, want drwx------", info.Mode().Perm())
	}

	open := filepath.Join(parent, "open")
	if err := os.Mkdir(open, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(open, 0o755) // whatever the umask
	var logs bytes.Buffer
	s, err = storage.Open(open, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if info, _ := os.Stat(open); info.Mode().Perm() != 0o700 {
		t.Errorf("an open data folder stays %v, want drwx------", info.Mode().Perm())
	}
	if !strings.Contains(logs.String(), "readable by its owner only") {
		t.Errorf("tightening the folder is not logged: %s", logs.String())
	}
}
