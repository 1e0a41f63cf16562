package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

func sessionKey(tokenHash string) string { return prefixSession + tokenHash }

// CreateSession stores a session under the hash of its token for ttl.
func (s *Store) CreateSession(ctx context.Context, tokenHash string, sess domain.Session, ttl time.Duration) error {
	b, err := json.Marshal(sess)
	if err != nil {
		return err
	}
	err = s.update(ctx, func(txn *badger.Txn) error {
		return txn.SetEntry(badger.NewEntry([]byte(sessionKey(tokenHash)), b).WithTTL(ttl))
	})
	if err != nil {
		return fmt.Errorf("storage: create session: %w", err)
	}
	return nil
}

// Session returns the live session stored under tokenHash.
func (s *Store) Session(ctx context.Context, tokenHash string) (domain.Session, bool, error) {
	sess, found, err := lookup[domain.Session](s, sessionKey(tokenHash))
	if err != nil {
		return domain.Session{}, false, fmt.Errorf("storage: session: %w", err)
	}
	return sess, found, nil
}

// DeleteSession ends the session stored under tokenHash.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	err := s.update(ctx, func(txn *badger.Txn) error {
		err := txn.Delete([]byte(sessionKey(tokenHash)))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("storage: delete session: %w", err)
	}
	return nil
}
