package storage

import (
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/dgraph-io/badger/v4"
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
		forgetSome(c.entries)
	}
	c.entries[key] = decodedEntry{version, value}
}

// forgetSome forgets an eighth of a full cache, at random (map order): cheap,
// and no key can count on staying.
func forgetSome[V any](m map[string]V) {
	n := len(m) / 8
	for k := range m {
		if n--; n < 0 {
			break
		}
		delete(m, k)
	}
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

// queryCache keeps the answers of the hottest read-only queries (a customer's
// orders and licenses, the catalog) until the next write. A Badger folder is
// held by this one process, and every write goes through Store.update, which
// counts it: an answer read before a write is never given after it. Writes are
// rare beside page views (a sign-in, a change to a license, a purchase).
type queryCache struct {
	mu      sync.Mutex
	writes  atomic.Uint64
	gen     uint64
	answers map[string]any
}

// maxCachedAnswers bounds the answers kept between two writes.
const maxCachedAnswers = 8192

// wrote counts a committed write.
func (c *queryCache) wrote() { c.writes.Add(1) }

// cached answers the query named key from the cache, or runs load and keeps its
// answer. The answer is shared by every caller: read only.
func cached[T any](c *queryCache, key string, load func() (T, error)) (T, error) {
	gen := c.writes.Load()
	c.mu.Lock()
	if c.answers == nil || c.gen != gen {
		c.gen, c.answers = gen, make(map[string]any)
	}
	v, ok := c.answers[key]
	c.mu.Unlock()
	if ok {
		return v.(T), nil
	}
	answer, err := load()
	if err != nil {
		return answer, err
	}
	c.mu.Lock()
	// Kept under the count read before loading: a write that came in between
	// makes it unreachable.
	if c.gen == gen && c.answers != nil {
		if len(c.answers) >= maxCachedAnswers {
			forgetSome(c.answers)
		}
		c.answers[key] = answer
	}
	c.mu.Unlock()
	return answer, nil
}
