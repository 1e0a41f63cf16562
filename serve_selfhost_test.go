package main

import (
	"io"
	"strings"
	"testing"
)

// With --domain the portal's public address is https on that domain, and
// settings that cannot work are refused at start with the reason.
func TestSelfHostFlags(t *testing.T) {
	for _, name := range []string{"PORTAL_BASE_URL", "PORTAL_DOMAIN", "PORTAL_HTTPS_ADDR", "PORTAL_BACKUP_DIR", "PORTAL_BACKUP_EVERY", "PORTAL_BACKUP_KEEP", "PORTAL_ACME_DIRECTORY"} {
		t.Setenv(name, "")
	}
	for _, tc := range []struct {
		name    string
		args    []string
		base    string
		wantErr string
	}{
		{name: "domain on 443", args: []string{"--domain", "Portal.Example.com."}, base: "https://portal.example.com"},
		{name: "domain on another port", args: []string{"--domain", "portal.example.com", "--https-addr", "127.0.0.1:8443"}, base: "https://portal.example.com:8443"},
		{name: "domain with its https base URL", args: []string{"--domain", "portal.example.com", "--base-url", "https://portal.example.com/"}, base: "https://portal.example.com"},
		{name: "domain with an http base URL", args: []string{"--domain", "portal.example.com", "--base-url", "http://portal.example.com"}, wantErr: "HTTPS only"},
		{name: "a URL for a domain", args: []string{"--domain", "https://portal.example.com"}, wantErr: "not a host name"},
		{name: "an address for a domain", args: []string{"--domain", "192.0.2.1"}, wantErr: "not a host name"},
		{name: "a plain http CA", args: []string{"--domain", "portal.example.com", "--acme-directory", "http://ca.example/dir"}, wantErr: "https://"},
		{name: "backups too often", args: []string{"--backup-dir", "/tmp/b", "--backup-every", "10s"}, wantErr: "at least one minute"},
		{name: "no backup kept", args: []string{"--backup-dir", "/tmp/b", "--backup-keep", "0"}, wantErr: "between 1 and"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseServeFlags(tc.args, io.Discard)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || cfg.BaseURL != tc.base {
				t.Fatalf("base URL %q, err %v; want %q", cfg.BaseURL, err, tc.base)
			}
		})
	}
}
