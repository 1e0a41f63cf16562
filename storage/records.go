package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// The few ways every aggregate reads and writes its records: JSON values under
// string keys, prefix scans that decode each value, and numbered entries that
// keep their time order.

func getJSON(txn *badger.Txn, key string, v any) (bool, error) {
	item, err := txn.Get([]byte(key))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, item.Value(func(b []byte) error { return json.Unmarshal(b, v) })
}

func setJSON(txn *badger.Txn, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return txn.Set([]byte(key), b)
}

func exists(txn *badger.Txn, key string) (bool, error) {
	_, err := txn.Get([]byte(key))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	return err == nil, err
}

// getString reads the value under key as text; found is false without one.
func getString(txn *badger.Txn, key string) (value string, found bool, err error) {
	item, err := txn.Get([]byte(key))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	b, err := item.ValueCopy(nil)
	return string(b), err == nil, err
}

// scan is the one read-and-decode loop: it decodes every value under prefix as a
// T, in key order (newest first with reverse), and hands it to each until each
// answers false or fails.
func scan[T any](txn *badger.Txn, prefix string, reverse bool, each func(T) (more bool, err error)) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix), PrefetchValues: true, Reverse: reverse})
	defer it.Close()
	if reverse {
		// Reverse iteration starts at the largest key with the prefix.
		it.Seek([]byte(prefix + "\xff"))
	} else {
		it.Rewind()
	}
	for ; it.ValidForPrefix([]byte(prefix)); it.Next() {
		var v T
		if err := it.Item().Value(func(b []byte) error { return json.Unmarshal(b, &v) }); err != nil {
			return err
		}
		more, err := each(v)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// scanAll decodes every value under prefix, in key order.
func scanAll[T any](txn *badger.Txn, prefix string) ([]T, error) {
	var out []T
	err := scan(txn, prefix, false, func(v T) (bool, error) {
		out = append(out, v)
		return true, nil
	})
	return out, err
}

// keysUnder lists the rest of each key under prefix, for index entries whose
// key is all they hold.
func keysUnder(txn *badger.Txn, prefix string) []string {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix), PrefetchValues: false})
	defer it.Close()
	var out []string
	for it.Rewind(); it.Valid(); it.Next() {
		out = append(out, string(it.Item().Key()[len(prefix):]))
	}
	return out
}

// putNumbered is the one writer of time-ordered entries (history, audit): the
// key is the prefix, the time as 20 digits of Unix nanoseconds and a counter, so
// that two entries at the same instant are both kept, in the order written.
func putNumbered(txn *badger.Txn, prefix string, at time.Time, v any) error {
	for n := 0; ; n++ {
		key := numberedKey(prefix, at, n)
		taken, err := exists(txn, key)
		if err != nil {
			return err
		}
		if !taken {
			return setJSON(txn, key, v)
		}
	}
}

// numberedKey is the n-th key of prefix at the instant at.
func numberedKey(prefix string, at time.Time, n int) string {
	return fmt.Sprintf("%s%020d-%04d", prefix, at.UnixNano(), n)
}

// read runs fn in a read-only transaction, naming what failed.
func read[T any](s *Store, what string, fn func(txn *badger.Txn) (T, error)) (T, error) {
	var v T
	err := s.db.View(func(txn *badger.Txn) error {
		var err error
		v, err = fn(txn)
		return err
	})
	if err != nil {
		var zero T
		return zero, fmt.Errorf("storage: %s: %w", what, err)
	}
	return v, nil
}

// lookup reads the JSON value under key, answered from the query cache until
// the next write. A value stored with a time to live (a session) is not found
// once it has expired, cached or not, as Badger itself counts expiry (whole
// seconds of the wall clock).
func lookup[T any](s *Store, key string) (T, bool, error) {
	type lookedUp struct {
		value     T
		found     bool
		expiresAt uint64
	}
	a, err := cached(&s.queries, "key\x00"+key, func() (lookedUp, error) {
		return read(s, "look-up", func(txn *badger.Txn) (lookedUp, error) {
			var a lookedUp
			item, err := txn.Get([]byte(key))
			if errors.Is(err, badger.ErrKeyNotFound) {
				return a, nil
			}
			if err != nil {
				return a, err
			}
			a.found, a.expiresAt = true, item.ExpiresAt()
			return a, item.Value(func(b []byte) error { return json.Unmarshal(b, &a.value) })
		})
	})
	if err != nil || (a.expiresAt != 0 && a.expiresAt <= uint64(time.Now().Unix())) {
		var zero T
		return zero, false, err
	}
	return a.value, a.found, nil
}
