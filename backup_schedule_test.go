package main

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A portal served with --backup-dir writes its first backup at start, online;
// the newest backup restores into a fresh data folder where a customer signs in.
func TestScheduledBackupRestoresIntoAPortal(t *testing.T) {
	for _, name := range []string{"PORTAL_BASE_URL", "STRIPE_SECRET_KEY", "PORTAL_BACKUP_DIR"} {
		t.Setenv(name, "")
	}
	dir := filepath.Join(t.TempDir(), "backups")
	s := startServe(t, "serve", "--demo", "--data", t.TempDir(), "--backup-dir", dir, "--backup-every", "1h", "--backup-keep", "2")
	var newest string
	for deadline := time.Now().Add(time.Minute); newest == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		matches, _ := filepath.Glob(filepath.Join(dir, "portal-*.jsonl.gz"))
		if len(matches) > 0 {
			newest = matches[len(matches)-1]
		}
	}
	if newest == "" {
		t.Fatalf("no backup within a minute:\n%s", s.logs.String())
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("backup folder %v, %v: want 0700", info, err)
	}

	fresh := filepath.Join(t.TempDir(), "restored")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"restore", "--data", fresh, newest}, nil, &out, &out); err != nil {
		t.Fatalf("restore %s: %v\n%s", newest, err, out.String())
	}
	restored := startServe(t, "serve", "--data", fresh)
	c := browserlessClient(t)
	_, page := httpDo(t, c, "GET", restored.base+"/login", nil, "", "")
	m := pageCSRF.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("login page without a CSRF token: %.300s", page)
	}
	status, _ := httpDo(t, c, "POST", restored.base+"/login", url.Values{"email": {"marie@acme.example"}, "order": {"JWT100234"}, "_csrf": {m[1]}}, "", "")
	if status != 303 {
		t.Fatalf("sign-in on the restored portal answered %d", status)
	}
	if _, page := httpDo(t, c, "GET", restored.base+"/licenses", nil, "", ""); !strings.Contains(page, "JWT100234") {
		t.Errorf("the restored portal's licenses page lacks the customer's order: %.500s", page)
	}
}
