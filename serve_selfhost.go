package main

import (
	"flag"
	"fmt"
	"net"
	"regexp"
	"strings"
	"time"
)

// SelfHost is what a portal facing the Internet by itself is told
// (PRODUCT.md section 17): its domain, for HTTPS over ACME, and where and how
// often it writes backups.
type SelfHost struct {
	// Domain, when set, makes the portal answer HTTPS for it on HTTPSAddr
	// with a certificate obtained and renewed over ACME, and on HTTPAddr the
	// ACME HTTP challenge and a permanent redirect to HTTPS.
	Domain              string
	HTTPSAddr, HTTPAddr string
	// ACMEDirectory is the CA's directory URL (Let's Encrypt's by default);
	// ACMECAFile the PEM roots its own API is served with, for a private or
	// test CA; ACMEEmail the account's contact.
	ACMEDirectory, ACMECAFile, ACMEEmail string
	// ACMEProfile names the CA's certificate profile to ask for (Let's
	// Encrypt's "tlsserver" or "shortlived"); empty is the CA's default.
	ACMEProfile string
	// BackupDir, when set, receives a backup every BackupEvery; the newest
	// BackupKeep are kept.
	BackupDir   string
	BackupEvery time.Duration
	BackupKeep  int
}

// letsEncrypt is the default ACME directory.
const letsEncrypt = "https://acme-v02.api.letsencrypt.org/directory"

// selfHostFlags adds the self-hosting flags to fs; the function it answers
// checks them once fs is parsed.
func selfHostFlags(fs *flag.FlagSet, cfg *SelfHost) func() error {
	fs.StringVar(&cfg.Domain, "domain", env("PORTAL_DOMAIN", ""), "answer HTTPS for this domain with a certificate from ACME (Let's Encrypt by default), instead of plain HTTP on --addr (PORTAL_DOMAIN)")
	fs.StringVar(&cfg.HTTPSAddr, "https-addr", env("PORTAL_HTTPS_ADDR", ":443"), "with --domain, the HTTPS listen address (PORTAL_HTTPS_ADDR)")
	fs.StringVar(&cfg.HTTPAddr, "http-addr", env("PORTAL_HTTP_ADDR", ":80"), "with --domain, the HTTP listen address: the ACME challenge and a permanent redirect to HTTPS (PORTAL_HTTP_ADDR)")
	fs.StringVar(&cfg.ACMEDirectory, "acme-directory", env("PORTAL_ACME_DIRECTORY", letsEncrypt), "the ACME CA's directory URL (PORTAL_ACME_DIRECTORY)")
	fs.StringVar(&cfg.ACMECAFile, "acme-ca-file", env("PORTAL_ACME_CA_FILE", ""), "PEM file of the roots the ACME CA's own API is served with, for a private or test CA (PORTAL_ACME_CA_FILE; default: the system's)")
	fs.StringVar(&cfg.ACMEEmail, "acme-email", env("PORTAL_ACME_EMAIL", ""), "contact address for the ACME account: the CA writes there about expiring certificates (PORTAL_ACME_EMAIL)")
	fs.StringVar(&cfg.ACMEProfile, "acme-profile", env("PORTAL_ACME_PROFILE", ""), "the ACME CA's certificate profile to ask for, if it has several (PORTAL_ACME_PROFILE; default: the CA's default)")
	fs.StringVar(&cfg.BackupDir, "backup-dir", env("PORTAL_BACKUP_DIR", ""), "write a backup (the format portal restore reads) into this folder on a schedule (PORTAL_BACKUP_DIR)")
	fs.DurationVar(&cfg.BackupEvery, "backup-every", envDuration("PORTAL_BACKUP_EVERY", 24*time.Hour), "with --backup-dir, the time between backups (PORTAL_BACKUP_EVERY)")
	fs.IntVar(&cfg.BackupKeep, "backup-keep", envInt("PORTAL_BACKUP_KEEP", 7), "with --backup-dir, how many of the newest backups are kept (PORTAL_BACKUP_KEEP)")
	return cfg.check
}

// dnsName is a host name a public CA may certify: labels of letters, digits
// and hyphens, with at least one dot.
var dnsName = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

func (cfg *SelfHost) check() error {
	if cfg.Domain != "" {
		cfg.Domain = strings.ToLower(strings.TrimSuffix(cfg.Domain, "."))
		if len(cfg.Domain) > 253 || !dnsName.MatchString(cfg.Domain) || net.ParseIP(cfg.Domain) != nil {
			return fmt.Errorf("domain %q is not a host name such as portal.example.com (no scheme, no port)", cfg.Domain)
		}
		for _, addr := range []string{cfg.HTTPSAddr, cfg.HTTPAddr} {
			if _, _, err := net.SplitHostPort(addr); err != nil {
				return fmt.Errorf("listen address %q: %w", addr, err)
			}
		}
		if !strings.HasPrefix(cfg.ACMEDirectory, "https://") {
			return fmt.Errorf("ACME directory %q must be an https:// URL", cfg.ACMEDirectory)
		}
	}
	if cfg.BackupDir != "" {
		if cfg.BackupEvery < time.Minute {
			return fmt.Errorf("backup period %v: at least one minute", cfg.BackupEvery)
		}
		if cfg.BackupKeep < 1 || cfg.BackupKeep > 10000 {
			return fmt.Errorf("backups kept %d must be between 1 and 10000", cfg.BackupKeep)
		}
	}
	return nil
}

// baseURL is the public address of a portal with a domain: https, with the
// port unless it is 443.
func (cfg *SelfHost) baseURL() string {
	_, port, _ := net.SplitHostPort(cfg.HTTPSAddr)
	if port == "443" || port == "" {
		return "https://" + cfg.Domain
	}
	return "https://" + net.JoinHostPort(cfg.Domain, port)
}
