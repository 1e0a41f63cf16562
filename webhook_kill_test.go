package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"portal/domain"
)

// serveChild starts "portal serve" on the data folder in a child process,
// with env added, and answers its address once it listens.
func serveChild(t *testing.T, data string, env ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), "PORTAL_TEST_RUN=serve --data "+data+" --addr 127.0.0.1:0"), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var line struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "portal listening" {
				listening <- line.Addr
			}
		}
	}()
	select {
	case addr := <-listening:
		return cmd, "http://" + addr
	case <-time.After(time.Minute):
		t.Fatal("portal serve did not listen within a minute")
		return nil, ""
	}
}

// TestAnEventSurvivesAKillWithTheReceiverDown: the portal answers an
// activation while the vendor's receiver is down, and is killed at once; the
// next start delivers the event, signed, once the receiver is up.
func TestAnEventSurvivesAKillWithTheReceiverDown(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	const key = "WHKILLTEST0000000000000001"
	line := strings.Replace(orderLine("JWT300001", "marie@acme.example"), `"licenses"`, `"activation_key":"`+key+`","licenses"`, 1)
	file := filepath.Join(t.TempDir(), "order.jsonl")
	if err := os.WriteFile(file, []byte(line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"import", "--data", data, file}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	// A port where nothing listens yet: the receiver is down.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	secret := domain.NewWebhookSecret()
	env := []string{"PORTAL_WEBHOOK_URL=http://" + addr + "/hooks", "PORTAL_WEBHOOK_SECRET=" + secret}

	first, base := serveChild(t, data, env...)
	if status := post(t, base+"/api/v1/activate", "application/json", `{"activation_key":"`+key+`","serial":"PC-KILL"}`, nil); status != 200 {
		t.Fatalf("activate: %d", status)
	}
	first.Process.Signal(syscall.SIGKILL)
	first.Wait()

	var mu sync.Mutex
	var got []string
	wh, _ := standardwebhooks.NewWebhook(secret)
	receiver := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := wh.Verify(body, r.Header); err != nil {
			t.Errorf("the delivery does not verify: %v", err)
		}
		var ev struct{ Type string }
		json.Unmarshal(body, &ev)
		mu.Lock()
		got = append(got, ev.Type)
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})}
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	go receiver.Serve(ln)
	t.Cleanup(func() { receiver.Close() })

	serveChild(t, data, env...)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n > 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // a second delivery would show now
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0] != "license.activated" {
		t.Errorf("the receiver got %v, want one license.activated", got)
	}
}
