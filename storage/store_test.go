package storage_test

import (
	"context"
	"errors"
	"testing"

	"portal/storage"
	"portal/storage/storetest"
)

func TestOpenSameFolderTwiceIsLocked(t *testing.T) {
	dir := t.TempDir()
	_, closeFirst := mustOpenAt(t, dir)

	second, err := storage.Open(dir, testLogger(t))
	if err == nil {
		second.Close()
		t.Fatal("a second Open of a folder in use succeeded, want ErrLocked")
	}
	if !errors.Is(err, storage.ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}

	// Once the first store is closed, the folder opens again.
	closeFirst()
	s, _ := mustOpenAt(t, dir)
	if err := s.Ping(context.Background()); err != nil {
		t.Errorf("Ping after reopening: %v", err)
	}
}

func TestInMemoryStoresAreIndependent(t *testing.T) {
	a, b := mustOpenMem(t), mustOpenMem(t)
	storetest.ImportOK(t, a, storetest.NewOrder(t, "JWT1", "marie@acme.example", storetest.BaseDate, 1))
	storetest.AssertNoOrder(t, b, "JWT1")
}
