package storage_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portal/domain"
	"portal/storage"
)

func TestOpenCreatesAFreshStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "nested")
	s, _ := mustOpenAt(t, dir)
	ctx := context.Background()
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping on a fresh store: %v", err)
	}
	if n, err := s.OrderCount(ctx); err != nil || n != 0 {
		t.Errorf("OrderCount on a fresh store = %d, %v; want 0", n, err)
	}
	if p, err := s.Products(ctx); err != nil || len(p) != 0 {
		t.Errorf("Products on a fresh store = %v, %v; want none", p, err)
	}
	if o, err := s.OrdersByEmail(ctx, "marie@acme.example"); err != nil || len(o) != 0 {
		t.Errorf("OrdersByEmail on a fresh store = %v, %v; want none", o, err)
	}
}

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
	importOK(t, a, newOrder(t, "JWT1", "marie@acme.example", baseDate, 1))
	assertNoOrder(t, b, "JWT1")
}

// crashDirEnv names the folder into which the helper process imports and then dies.
const crashDirEnv = "PORTAL_STORAGE_TEST_CRASH_DIR"

// storedMarker is what the helper process prints once every write has returned.
const storedMarker = "STORED, NOT CLOSED"

// TestImportSurvivesAProcessKilledWithoutClose runs a copy of this test binary that
// imports, saves and creates a session, says so, and waits without Close; it is
// killed there with SIGKILL. What it was told had been stored must be there when
// the folder is opened again, and must have been on the disk, not only in the
// kernel's page cache (which a process kill keeps, but a power cut loses), when
// the store said it was stored.
func TestImportSurvivesAProcessKilledWithoutClose(t *testing.T) {
	if dir := os.Getenv(crashDirEnv); dir != "" {
		crashingWriter(t, dir)
		return
	}
	if testing.Short() {
		t.Skip("runs a helper process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestImportSurvivesAProcessKilledWithoutClose$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timeout := time.AfterFunc(2*time.Minute, func() { cmd.Process.Kill() })
	defer timeout.Stop()
	stored := false
	var out strings.Builder
	for sc := bufio.NewScanner(stdout); sc.Scan(); {
		if stored = sc.Text() == storedMarker; stored {
			break
		}
		out.WriteString(sc.Text() + "\n")
	}
	cmd.Process.Kill()
	cmd.Wait()
	if !stored {
		t.Fatalf("helper process did not store:\n%s%s", out.String(), stderr.String())
	}
	if unsynced, ok := unsyncedPages(t, dir); !ok {
		// As with Chromium for the browser tests: CI must be able to check this.
		report := t.Log
		if os.Getenv("CI") != "" {
			report = t.Error
		}
		report("cannot see here whether pages reached the disk (cachestat(2) needs Linux 6.5, and TMPDIR a disk, not tmpfs): only the process kill is tested")
	} else if len(unsynced) > 0 {
		t.Errorf("pages of the data folder were not on the disk when the writes returned: %v", unsynced)
	}

	s, _ := mustOpenAt(t, dir)
	ctx := context.Background()
	for i := range 3 {
		assertStored(t, s, crashOrder(t, i))
	}
	if p, found, err := s.Product(ctx, "Remote Work", "Standard"); err != nil || !found || p.SeatPrice != 4500 {
		t.Errorf("Product after the crash = %+v, %v, %v", p, found, err)
	}
	if _, found, err := s.Session(ctx, "crash-session"); err != nil || !found {
		t.Errorf("Session after the crash: found %v, %v; want found", found, err)
	}
}

func crashOrder(tb testing.TB, i int) domain.OrderWithLicenses {
	o := newOrder(tb, "JWT50"+string(rune('0'+i)), "marie@acme.example", baseDate.AddDate(0, 0, i), 2)
	o.Order.ActivationKey = "CRASHKEY0000000000000000" + string(rune('0'+i))
	return o
}

// crashingWriter is the helper process: it stores, then exits without closing.
func crashingWriter(t *testing.T, dir string) {
	s, err := storage.Open(dir, nilLogger())
	if err != nil {
		t.Fatalf("helper: open: %v", err)
	}
	ctx := context.Background()
	for i := range 3 {
		importOK(t, s, crashOrder(t, i))
	}
	p := domain.Product{Software: "Remote Work", Edition: "Standard", Currency: "EUR", SeatPrice: 4500}
	if _, err := s.SaveProduct(ctx, p); err != nil {
		t.Fatalf("helper: SaveProduct: %v", err)
	}
	if err := s.CreateSession(ctx, "crash-session", domain.Session{Email: "marie@acme.example", CreatedAt: baseDate}, time.Hour); err != nil {
		t.Fatalf("helper: CreateSession: %v", err)
	}
	fmt.Println(storedMarker) // the parent kills the process now: no Close, no deferred functions
	time.Sleep(time.Hour)
}
