package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"runtime"
	"strings"
	"testing"
)

// "portal version" names the version, the commit and the Go release; a
// served portal says the same at start and on /healthz.
func TestVersion(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	line := strings.TrimSpace(out.String())
	if !strings.HasPrefix(line, "portal ") || !strings.Contains(line, "(commit ") || !strings.Contains(line, runtime.Version()) {
		t.Errorf("portal version printed %q", line)
	}

	p := startServe(t, "--data", t.TempDir())
	if !strings.Contains(p.logs.String(), `"msg":"portal starting","version":"`) || !strings.Contains(p.logs.String(), `"go":"`+runtime.Version()+`"`) {
		t.Errorf("the start-up log does not name the build:\n%s", p.logs.String())
	}
	res, err := http.Get(p.base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var health map[string]any
	if err := json.NewDecoder(res.Body).Decode(&health); err != nil {
		t.Fatal(err)
	}
	if health["status"] != "ok" || health["go"] != runtime.Version() || health["version"] == "" || health["commit"] == nil {
		t.Errorf("/healthz answered %v", health)
	}
}
