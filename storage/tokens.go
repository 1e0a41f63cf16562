package storage

import (
	"context"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Tokens holds short-lived values with a time to live, such as CSRF tokens. Its
// methods have the shape of Fiber's Storage interface, so that the csrf middleware
// keeps its tokens across restarts without this package importing Fiber.
type Tokens struct{ s *Store }

// Tokens returns the short-lived value store.
func (s *Store) Tokens() Tokens { return Tokens{s} }

// Get returns the value of key, or nil when there is none.
func (t Tokens) Get(key string) ([]byte, error) {
	return read(t.s, "token", func(txn *badger.Txn) ([]byte, error) {
		v, found, err := getString(txn, prefixToken+key)
		if !found {
			return nil, err
		}
		return []byte(v), nil
	})
}

// Set stores val under key for exp (forever when exp is 0).
func (t Tokens) Set(key string, val []byte, exp time.Duration) error {
	return t.s.update(context.Background(), func(txn *badger.Txn) error {
		e := badger.NewEntry([]byte(prefixToken+key), val)
		if exp > 0 {
			e = e.WithTTL(exp)
		}
		return txn.SetEntry(e)
	})
}

// Delete removes key.
func (t Tokens) Delete(key string) error {
	return t.s.update(context.Background(), func(txn *badger.Txn) error {
		return txn.Delete([]byte(prefixToken + key))
	})
}

// Reset removes every short-lived value.
func (t Tokens) Reset() error { return t.s.db.DropPrefix([]byte(prefixToken)) }

// Close does nothing: the store is closed by its owner.
func (t Tokens) Close() error { return nil }
