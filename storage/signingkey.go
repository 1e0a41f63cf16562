package storage

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/dgraph-io/badger/v4"
)

// SigningKeyFile is the name of the Ed25519 signing key in the data folder.
const SigningKeyFile = "signing-key.pem"

// SigningKey loads the license-signing key from dir, making it on first start.
// The file is readable by its owner only; created reports a new key.
func SigningKey(dir string) (key ed25519.PrivateKey, created bool, err error) {
	path := filepath.Join(dir, SigningKeyFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		key, err = createSigningKey(dir, path)
		return key, err == nil, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("storage: read signing key: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return nil, false, fmt.Errorf("storage: restrict signing key: %w", err)
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, false, fmt.Errorf("storage: %s is not a PEM private key", path)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, false, fmt.Errorf("storage: parse signing key: %w", err)
	}
	key, ok := parsed.(ed25519.PrivateKey)
	if !ok {
		return nil, false, fmt.Errorf("storage: %s is not an Ed25519 key", path)
	}
	return key, false, nil
}

func createSigningKey(dir, path string) (ed25519.PrivateKey, error) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	return writeSigningKey(dir, path, key)
}

// EncodeSigningKey is the PEM form of key, as the key file holds it.
func EncodeSigningKey(key ed25519.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// writeSigningKey writes key to a temporary file, syncs it and links it into
// place, so that a crash never leaves half a key.
func writeSigningKey(dir, path string, key ed25519.PrivateKey) (ed25519.PrivateKey, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("storage: make data folder: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".signing-key-*")
	if err != nil {
		return nil, fmt.Errorf("storage: write signing key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := pem.Encode(tmp, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	// Link, not rename: if another process made the key meanwhile, keep theirs.
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			k, _, err := SigningKey(dir)
			return k, err
		}
		return nil, fmt.Errorf("storage: save signing key: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return key, nil
}

// KeepSigningKey stores key in the database too, unless one is there already, so
// that a backup carries it and a restored portal signs with the same key.
func (s *Store) KeepSigningKey(ctx context.Context, key ed25519.PrivateKey) error {
	pemBytes, err := EncodeSigningKey(key)
	if err != nil {
		return err
	}
	return s.update(ctx, func(txn *badger.Txn) error {
		has, err := exists(txn, keySigningKey)
		if err != nil || has {
			return err
		}
		return txn.Set([]byte(keySigningKey), pemBytes)
	})
}

// restoreSigningKey writes the key that a restored database carries into dir.
func (s *Store) restoreSigningKey(dir string) error {
	pemBytes, err := read(s, "signing key", func(txn *badger.Txn) ([]byte, error) {
		v, found, err := getString(txn, keySigningKey)
		if !found {
			return nil, err
		}
		return []byte(v), nil
	})
	if err != nil || pemBytes == nil {
		return err
	}
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return errors.New("storage: the backup's signing key is not PEM")
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return err
	}
	key, ok := parsed.(ed25519.PrivateKey)
	if !ok {
		return errors.New("storage: the backup's signing key is not Ed25519")
	}
	_, err = writeSigningKey(dir, filepath.Join(dir, SigningKeyFile), key)
	return err
}
