package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// answeredMarker is what the child process prints once its command has answered.
const answeredMarker = "COMMAND ANSWERED, DATA FOLDER STILL OPEN"

// TestImportSurvivesKill: once "portal import" has printed its report, the orders
// are on the disk. The child process is parked right after the report, before it
// closes the data folder, and killed there with SIGKILL; the folder then opens
// with every order. A process kill alone cannot tell whether the writes were
// synced (the kernel keeps what the process wrote, synced or not), so the test also
// asks the kernel whether any page of Badger's logs was still waiting to be
// written to the disk when the answer was given: that is what a power cut loses.
func TestImportSurvivesKill(t *testing.T) {
	data := t.TempDir()
	file := writeImportFile(t, 1200)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "PORTAL_TEST_RUN=import --data "+data+" "+file)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Never hang: a child that does not answer in time is killed, which ends the scan.
	timeout := time.AfterFunc(2*time.Minute, func() { cmd.Process.Kill() })
	defer timeout.Stop()
	var report strings.Builder
	answered := false
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if sc.Text() == answeredMarker {
			answered = true
			break
		}
		if sc.Text() == "COMMAND RETURNED" {
			break
		}
		report.WriteString(sc.Text() + "\n")
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if !answered {
		t.Fatalf("the import command never reached afterAnswer (the moment after its report):\n%s", report.String())
	}
	if !strings.Contains(report.String(), "imported: 1201") {
		t.Fatalf("report before the kill:\n%s", report.String())
	}

	if unsynced, ok := unsyncedPages(t, data); !ok {
		// As with Chromium for the browser tests: CI must be able to check this.
		report := t.Log
		if os.Getenv("CI") != "" {
			report = t.Error
		}
		report("cannot see here whether pages reached the disk (cachestat(2) needs Linux 6.5, and TMPDIR a disk, not tmpfs): only the process kill is tested")
	} else if len(unsynced) > 0 {
		t.Errorf("when the report was printed, pages of the data folder were not yet on the disk (a power cut would lose them): %v", unsynced)
	}

	store := openTestStore(t, data)
	defer store.Close()
	n, err := store.OrderCount(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != 1200 {
		t.Fatalf("%d orders after the kill, want 1200", n)
	}
	for _, ref := range []string{"JWT200000", "JWT200599", "JWT201199"} {
		o, found, err := store.Order(context.Background(), ref)
		if err != nil || !found || o.ActivationKey == "" {
			t.Errorf("order %s after the kill: found=%v err=%v", ref, found, err)
		}
		if _, found, _ := store.License(context.Background(), ref+"-1"); !found {
			t.Errorf("license of %s lost", ref)
		}
	}
}
