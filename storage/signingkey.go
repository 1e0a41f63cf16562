package storage

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// SigningKeyFile is the name of the Ed25519 signing key in the data folder, where
// the portal looks for it unless told another file.
const SigningKeyFile = "signing-key.pem"

// The license-signing key is one PEM file (PKCS #8), readable by its owner only,
// that every instance of a portal is given. It is never stored in the database:
// a copy of the database, or a backup, signs nothing.

// LoadSigningKey reads the signing key in the file at path. With create, a
// missing file is made with a new key, and created says so.
func LoadSigningKey(path string, create bool) (key ed25519.PrivateKey, created bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		key, err = NewSigningKeyFile(path)
		if errors.Is(err, fs.ErrExist) { // another process made it meanwhile: theirs
			return LoadSigningKey(path, false)
		}
		return key, err == nil, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("storage: read the signing key: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return nil, false, fmt.Errorf("storage: restrict the signing key file: %w", err)
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, false, fmt.Errorf("storage: %s is not a PEM private key", path)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, false, fmt.Errorf("storage: parse the signing key: %w", err)
	}
	key, ok := parsed.(ed25519.PrivateKey)
	if !ok {
		return nil, false, fmt.Errorf("storage: %s is not an Ed25519 key", path)
	}
	return key, false, nil
}

// NewSigningKeyFile makes a new signing key in a new file at path (an existing
// file is refused with fs.ErrExist), written to a temporary file, synced and
// linked into place, so that a crash never leaves half a key.
func NewSigningKeyFile(path string) (ed25519.PrivateKey, error) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("storage: make the signing key's folder: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".signing-key-*")
	if err != nil {
		return nil, fmt.Errorf("storage: write the signing key: %w", err)
	}
	defer os.Remove(tmp.Name())
	err = tmp.Chmod(0o600)
	if err == nil {
		err = pem.Encode(tmp, &pem.Block{Type: "PRIVATE KEY", Bytes: der})
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("storage: write the signing key: %w", err)
	}
	// Link, not rename: an existing file is never replaced.
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("storage: %s exists already: %w", path, fs.ErrExist)
		}
		return nil, fmt.Errorf("storage: save the signing key: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return key, nil
}
