package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

// certificateLock is a held lock on a certificate task (obtaining or renewing
// one domain's certificate), until Until unless its holder renews it.
type certificateLock struct {
	Holder string    `json:"holder"`
	Until  time.Time `json:"until"`
}

// PutCertificateFile stores a certificate file, replacing one of its key.
func (s *Store) PutCertificateFile(ctx context.Context, f domain.CertificateFile) error {
	if !domain.ValidCertificateKey(f.Key) {
		return domain.Invalidf("certificate key %q", f.Key)
	}
	// To the microsecond, as PostgreSQL keeps it: both stores answer alike.
	f.Modified = f.Modified.UTC().Truncate(time.Microsecond)
	if err := s.update(ctx, func(txn *badger.Txn) error { return setJSON(txn, prefixCertFile+f.Key, f) }); err != nil {
		return fmt.Errorf("storage: put certificate file: %w", err)
	}
	return nil
}

// CertificateFile reads the certificate file under key; found is false without one.
func (s *Store) CertificateFile(ctx context.Context, key string) (domain.CertificateFile, bool, error) {
	type answer struct {
		f     domain.CertificateFile
		found bool
	}
	a, err := read(s, "certificate file", func(txn *badger.Txn) (answer, error) {
		var a answer
		var err error
		a.found, err = getJSON(txn, prefixCertFile+key, &a.f)
		return a, err
	})
	return a.f, a.found, err
}

// CertificateKeys lists the keys of the certificate files that begin with
// prefix, in byte order.
func (s *Store) CertificateKeys(ctx context.Context, prefix string) ([]string, error) {
	return read(s, "certificate keys", func(txn *badger.Txn) ([]string, error) {
		keys := keysUnder(txn, prefixCertFile+prefix)
		for i := range keys {
			keys[i] = prefix + keys[i]
		}
		return keys, nil
	})
}

// DeleteCertificateFiles deletes the file under key and every file under
// key as a folder ("key/..."). Nothing to delete is no error.
func (s *Store) DeleteCertificateFiles(ctx context.Context, key string) error {
	err := s.update(ctx, func(txn *badger.Txn) error {
		keys := []string{key}
		for _, rest := range keysUnder(txn, prefixCertFile+key+"/") {
			keys = append(keys, key+"/"+rest)
		}
		for _, k := range keys {
			if err := txn.Delete([]byte(prefixCertFile + k)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("storage: delete certificate files: %w", err)
	}
	return nil
}

// HoldCertificateLock takes the lock called name for holder, or extends it
// when holder has it already, until ttl from now. It answers false while
// another holder has it and its time has not run out: a holder that died
// loses its locks when their time does.
func (s *Store) HoldCertificateLock(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	held := false
	err := s.update(ctx, func(txn *badger.Txn) error {
		var lock certificateLock
		found, err := getJSON(txn, prefixCertLock+name, &lock)
		if err != nil {
			return err
		}
		now := time.Now()
		if held = !found || lock.Holder == holder || !now.Before(lock.Until); !held {
			return errReadOnly
		}
		return setJSON(txn, prefixCertLock+name, certificateLock{Holder: holder, Until: now.Add(ttl)})
	})
	if err != nil {
		return false, fmt.Errorf("storage: hold certificate lock: %w", err)
	}
	return held, nil
}

// ReleaseCertificateLock gives up the lock called name if holder has it; a
// lock that another holder took since (after this one's time ran out) stays.
func (s *Store) ReleaseCertificateLock(ctx context.Context, name, holder string) error {
	err := s.update(ctx, func(txn *badger.Txn) error {
		var lock certificateLock
		found, err := getJSON(txn, prefixCertLock+name, &lock)
		if err != nil {
			return err
		}
		if !found || lock.Holder != holder {
			return errReadOnly
		}
		return txn.Delete([]byte(prefixCertLock + name))
	})
	if err != nil && !errors.Is(err, errReadOnly) {
		return fmt.Errorf("storage: release certificate lock: %w", err)
	}
	return nil
}
