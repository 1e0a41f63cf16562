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
	if err := s.putWithTTL(ctx, sessionKey(tokenHash), sess, ttl); err != nil {
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
	if err := s.deleteKey(ctx, sessionKey(tokenHash)); err != nil {
		return fmt.Errorf("storage: delete session: %w", err)
	}
	return nil
}

// putWithTTL stores v as JSON under key until ttl has passed.
func (s *Store) putWithTTL(ctx context.Context, key string, v any, ttl time.Duration) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return s.update(ctx, func(txn *badger.Txn) error {
		return txn.SetEntry(badger.NewEntry([]byte(key), b).WithTTL(ttl))
	})
}

// deleteKey removes key; a key that is not there is no error.
func (s *Store) deleteKey(ctx context.Context, key string) error {
	return s.update(ctx, func(txn *badger.Txn) error {
		err := txn.Delete([]byte(key))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		return err
	})
}
