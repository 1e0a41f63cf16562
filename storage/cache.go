package storage

import (
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

// decodedCache keeps recently read values decoded, by key and by the Badger
// version they were read at, so that pages that read the same orders, licenses
// and sessions again skip their JSON decoding (a fifth of a page view's work).
// A value is reused only while its version is still the stored one, so a
// change is seen at once. Values handed out are shared: read paths only.
type decodedCache struct {
	mu      sync.RWMutex
	entries map[string]decodedEntry
	max     int
}

type decodedEntry struct {
	version uint64
	value   any
}

func newDecodedCache(max int) *decodedCache {
	return &decodedCache{entries: make(map[string]decodedEntry, max), max: max}
}

func (c *decodedCache) get(key string, version uint64) (any, bool) {
	c.mu.RLock()
	e, ok := c.entries[key]
	c.mu.RUnlock()
	return e.value, ok && e.version == version
}

func (c *decodedCache) put(key string, version uint64, value any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		// Forget an eighth, at random (map order): cheap, and no key can count
		// on staying.
		n := c.max / 8
		for k := range c.entries {
			if n--; n < 0 {
				break
			}
			delete(c.entries, k)
		}
	}
	c.entries[key] = decodedEntry{version, value}
}

// getShared reads the JSON value under key like getJSON, through the cache.
// The value may be shared with other readers: callers must not change what its
// slices or maps hold.
func getShared[T any](s *Store, txn *badger.Txn, key string) (T, bool, error) {
	var v T
	item, err := txn.Get([]byte(key))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return v, false, nil
	}
	if err != nil {
		return v, false, err
	}
	if cached, ok := s.cache.get(key, item.Version()); ok {
		return cached.(T), true, nil
	}
	if err := item.Value(func(b []byte) error { return json.Unmarshal(b, &v) }); err != nil {
		return v, false, err
	}
	s.cache.put(key, item.Version(), v)
	return v, true, nil
}

// catalogCache keeps the whole catalog, which every licenses page reads and
// which changes only when an admin or an import saves a product. A write makes
// it read again; a read that raced with a write is not kept.
type catalogCache struct {
	mu       sync.Mutex
	gen      atomic.Uint64
	products []domain.Product
	valid    bool
}

func (c *catalogCache) get() ([]domain.Product, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.products, c.valid
}

// generation is read before the catalog is, so that keep can tell whether a
// write came in between.
func (c *catalogCache) generation() uint64 { return c.gen.Load() }

func (c *catalogCache) keep(gen uint64, products []domain.Product) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen.Load() == gen {
		c.products, c.valid = products, true
	}
}

// changed forgets the catalog after a write has committed (or failed).
func (c *catalogCache) changed() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen.Add(1)
	c.products, c.valid = nil, false
}
