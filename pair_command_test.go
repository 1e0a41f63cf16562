package main

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestPairCommand checks what "portal pair" refuses before it asks the portal,
// and that it says so when the portal cannot be reached. Pairing itself is
// tested in pairclient, and against the portal end to end.
func TestPairCommand(t *testing.T) {
	closed := httptest.NewServer(nil)
	closed.Close()
	cases := []struct {
		name string
		args []string
		says string
	}{
		{"NoSerial", []string{"--base", "http://127.0.0.1:1", "--software", "Remote Work"}, "usage: portal pair --base URL"},
		{"ExtraArgument", []string{"--base", "http://x", "--serial", "PC-9", "--software", "Remote Work", "now"}, "usage: portal pair"},
		{"BadPublicKey", []string{"--base", "http://x", "--serial", "PC-9", "--software", "Remote Work", "--public-key", "abc"}, "--public-key: not the standard base64"},
		{"BadBase", []string{"--base", "licenses.example.com", "--serial", "PC-9", "--software", "Remote Work"}, "must be an http or https URL"},
		{"Unreachable", []string{"--base", closed.URL, "--serial", "PC-9", "--software", "Remote Work"}, "cannot reach the portal at " + closed.URL},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), append([]string{"pair"}, tc.args...), nil, &out, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("got %v, output %q; want an error saying %q", err, out.String(), tc.says)
			}
		})
	}
}
