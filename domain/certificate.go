package domain

import "time"

// CertificateFile is one file of the store of TLS certificates that a portal
// serving its own domain keeps (PRODUCT.md section 17): a certificate, its
// private key, their metadata or the ACME account, under a key named like a
// path ("certificates/<ca>/<domain>/<domain>.crt"). They are kept with the
// data, in the database when instances share one, so that instances share
// certificates too; they are no part of backups, since the CA gives new ones.
type CertificateFile struct {
	Key      string    `json:"key"`
	Value    []byte    `json:"value"`
	Modified time.Time `json:"modified"`
}

// ValidCertificateKey reports whether key may name a certificate file: a
// path of non-empty parts, without a leading or trailing slash.
func ValidCertificateKey(key string) bool {
	if key == "" || len(key) > 1024 || key[0] == '/' || key[len(key)-1] == '/' {
		return false
	}
	for i := 1; i < len(key); i++ {
		if key[i] == '/' && key[i-1] == '/' {
			return false
		}
	}
	return true
}
