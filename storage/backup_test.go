package storage_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portal/domain"
	"portal/storage"
	"portal/storage/storetest"
)

// TestBackupRestoreRoundTrip: Badger's own backup format carries everything,
// the signing key included, and is restored only into an empty folder.
func TestBackupRestoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	srcDir := t.TempDir()
	src, closeSrc := mustOpenAt(t, srcDir)
	key, _, err := storage.SigningKey(srcDir)
	if err != nil {
		t.Fatal(err)
	}
	if err := src.KeepSigningKey(ctx, key); err != nil {
		t.Fatal(err)
	}
	storetest.ImportOK(t, src, storetest.NewOrder(t, "JWT100234", "marie@acme.example", storetest.BaseDate, 2))
	src.UpdateOrder(ctx, "JWT100234", func(u *domain.OrderUpdate) error {
		_, err := u.Activate(u.Order.ActivationKey, "PC-1", storetest.BaseDate)
		return err
	})
	var backup bytes.Buffer
	if err := src.Backup(&backup); err != nil { // online, while the store is open
		t.Fatal(err)
	}
	closeSrc()

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dstDir := filepath.Join(t.TempDir(), "restored")
	if err := storage.Restore(dstDir, bytes.NewReader(backup.Bytes()), log); err != nil {
		t.Fatal(err)
	}
	restoredKey, created, err := storage.SigningKey(dstDir)
	if err != nil || created || !restoredKey.Equal(key) {
		t.Errorf("the restored folder signs with another key (created=%v, %v)", created, err)
	}
	dst, _ := mustOpenAt(t, dstDir)
	if got := mustDo(dst.LicensesByEmail(ctx, "marie@acme.example")); len(got) != 2 || got[0].Serial != "PC-1" {
		t.Errorf("restored licenses: %+v", got)
	}
	if h := mustDo(dst.LicenseHistory(ctx, "JWT100234-1")); len(h) != 1 {
		t.Errorf("restored history: %+v", h)
	}

	// Never over existing data, and never from a file that is not a backup.
	if err := storage.Restore(srcDir, bytes.NewReader(backup.Bytes()), log); err != storage.ErrNotEmpty {
		t.Errorf("restore into a folder with data: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad")
	if err := storage.Restore(bad, strings.NewReader("not a backup"), log); err == nil {
		t.Error("a file that is not a backup was restored")
	}
	os.RemoveAll(bad)
}

func mustDo[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
