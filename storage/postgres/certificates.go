package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/domain"
)

// PutCertificateFile stores a certificate file, replacing one of its key.
func (s *Store) PutCertificateFile(ctx context.Context, f domain.CertificateFile) error {
	if !domain.ValidCertificateKey(f.Key) || !storable(f.Key) {
		return domain.Invalidf("certificate key %q", f.Key)
	}
	_, err := s.exec(ctx, `INSERT INTO certificates (key, value, modified) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, modified = excluded.modified`, f.Key, f.Value, f.Modified.UTC())
	if err != nil {
		return fmt.Errorf("storage: put certificate file: %w", err)
	}
	return nil
}

// CertificateFile reads the certificate file under key; found is false without one.
func (s *Store) CertificateFile(ctx context.Context, key string) (domain.CertificateFile, bool, error) {
	f := domain.CertificateFile{Key: key}
	if !storable(key) {
		return f, false, nil
	}
	err := s.pool.QueryRow(ctx, `SELECT value, modified FROM certificates WHERE key = $1`, key).Scan(&f.Value, &f.Modified)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.CertificateFile{}, false, nil
	}
	if err != nil {
		return domain.CertificateFile{}, false, fmt.Errorf("storage: certificate file: %w", err)
	}
	return f, true, nil
}

// CertificateKeys lists the keys of the certificate files that begin with
// prefix, in byte order.
func (s *Store) CertificateKeys(ctx context.Context, prefix string) ([]string, error) {
	if !storable(prefix) {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT key FROM certificates WHERE key >= $1 AND key < $2 ORDER BY key`, prefix, prefixEnd(prefix))
	if err != nil {
		return nil, fmt.Errorf("storage: certificate keys: %w", err)
	}
	keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("storage: certificate keys: %w", err)
	}
	return keys, nil
}

// DeleteCertificateFiles deletes the file under key and every file under
// key as a folder ("key/..."). Nothing to delete is no error.
func (s *Store) DeleteCertificateFiles(ctx context.Context, key string) error {
	if !storable(key) {
		return nil
	}
	folder := key + "/"
	_, err := s.exec(ctx, `DELETE FROM certificates WHERE key = $1 OR (key >= $2 AND key < $3)`, key, folder, prefixEnd(folder))
	if err != nil {
		return fmt.Errorf("storage: delete certificate files: %w", err)
	}
	return nil
}

// HoldCertificateLock takes the lock called name for holder, or extends it
// when holder has it already, until ttl from now by the database's clock
// (instances' clocks may differ). It answers false while another holder has
// it and its time has not run out. One statement decides, so two instances
// asking at once cannot both get it: the loser's insert meets the winner's
// row, whose holder and time it does not match.
func (s *Store) HoldCertificateLock(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if !storable(name, holder) {
		return false, domain.Invalidf("certificate lock %q", name)
	}
	tag, err := s.exec(ctx, `INSERT INTO certificate_locks (name, holder, expires)
		VALUES ($1, $2, now() + $3 * interval '1 millisecond')
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires
		WHERE certificate_locks.holder = excluded.holder OR certificate_locks.expires <= now()`,
		name, holder, ttl.Milliseconds())
	if err != nil {
		return false, fmt.Errorf("storage: hold certificate lock: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// ReleaseCertificateLock gives up the lock called name if holder has it; a
// lock that another holder took since (after this one's time ran out) stays.
func (s *Store) ReleaseCertificateLock(ctx context.Context, name, holder string) error {
	if !storable(name, holder) {
		return nil
	}
	if _, err := s.exec(ctx, `DELETE FROM certificate_locks WHERE name = $1 AND holder = $2`, name, holder); err != nil {
		return fmt.Errorf("storage: release certificate lock: %w", err)
	}
	return nil
}
