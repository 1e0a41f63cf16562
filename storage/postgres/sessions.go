package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/domain"
)

// CreateSession stores a session under the hash of its token for ttl.
func (s *Store) CreateSession(ctx context.Context, tokenHash string, sess domain.Session, ttl time.Duration) error {
	if err := s.createSession(ctx, "sessions", tokenHash, sess.Email, sess.CreatedAt, ttl); err != nil {
		return fmt.Errorf("storage: create session: %w", err)
	}
	return nil
}

// Session returns the live session stored under tokenHash.
func (s *Store) Session(ctx context.Context, tokenHash string) (domain.Session, bool, error) {
	var sess domain.Session
	found, err := s.session(ctx, "sessions", tokenHash, &sess.Email, &sess.CreatedAt)
	if err != nil {
		return domain.Session{}, false, fmt.Errorf("storage: session: %w", err)
	}
	return sess, found, nil
}

// DeleteSession ends the session stored under tokenHash.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	if err := s.deleteSession(ctx, "sessions", tokenHash); err != nil {
		return fmt.Errorf("storage: delete session: %w", err)
	}
	return nil
}

// Customer and staff sessions are two tables of the same shape; table is one
// of those two names, never input.

// createSession stores or replaces the session under tokenHash until ttl has
// passed by the database's clock, which every instance shares.
func (s *Store) createSession(ctx context.Context, table, tokenHash, email string, created time.Time, ttl time.Duration) error {
	_, err := s.exec(ctx, `INSERT INTO `+table+` (token_hash, email, created_at, expires_at)
		VALUES ($1, $2, $3, now() + $4 * interval '1 microsecond')
		ON CONFLICT (token_hash) DO UPDATE SET email = excluded.email, created_at = excluded.created_at,
		expires_at = excluded.expires_at`, tokenHash, email, created, ttl.Microseconds())
	return err
}

// session reads the live session under tokenHash into email and created. It
// writes nothing: an expired session is left for forgetExpired.
func (s *Store) session(ctx context.Context, table, tokenHash string, email *string, created *time.Time) (bool, error) {
	if !storable(tokenHash) {
		return false, nil
	}
	err := s.pool.QueryRow(ctx, `SELECT email, created_at FROM `+table+` WHERE token_hash = $1 AND expires_at > now()`,
		tokenHash).Scan(email, created)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// deleteSession removes the session under tokenHash; one that is not there is no error.
func (s *Store) deleteSession(ctx context.Context, table, tokenHash string) error {
	if !storable(tokenHash) {
		return nil
	}
	_, err := s.exec(ctx, `DELETE FROM `+table+` WHERE token_hash = $1`, tokenHash)
	return err
}
