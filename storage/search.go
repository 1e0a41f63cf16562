package storage

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

// SearchOrders finds orders by email, order number, serial or activation key,
// whole or by their beginning, through the index entries that every write keeps
// (no scan of the orders). q is tried as each kind of key, normalised as that
// kind is stored.
func (s *Store) SearchOrders(ctx context.Context, q string) ([]domain.SearchResult, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, nil
	}
	return cached(&s.queries, "search\x00"+q, func() ([]domain.SearchResult, error) { return s.searchOrders(q) })
}

func (s *Store) searchOrders(q string) ([]domain.SearchResult, error) {
	var results []domain.SearchResult
	seen := map[string]bool{}
	err := s.db.View(func(txn *badger.Txn) error {
		add := func(ref string, how domain.SearchMatch) error {
			if seen[ref] || len(results) >= domain.MaxSearchResults {
				return nil
			}
			o, found, err := getShared[domain.Order](s, txn, orderKey(ref))
			if err != nil || !found {
				return err
			}
			seen[ref] = true
			results = append(results, domain.SearchResult{Order: o, Matched: how})
			return nil
		}
		// Each probe: a key prefix, and how to get the order reference from an entry.
		type probe struct {
			prefix string
			how    domain.SearchMatch
			ref    func(item *badger.Item) (string, error)
		}
		afterNUL := func(item *badger.Item) (string, error) {
			k := item.Key()
			return string(k[bytes.LastIndexByte(k, 0)+1:]), nil
		}
		var probes []probe
		if ref, _ := domain.NormalizeReference(q); ref != "" && !strings.Contains(q, "@") {
			probes = append(probes, probe{prefixOrder + ref, domain.MatchOrderNumber, func(item *badger.Item) (string, error) {
				return strings.TrimPrefix(string(item.Key()), prefixOrder), nil
			}})
		}
		probes = append(probes, probe{prefixEmail + strings.ToLower(q), domain.MatchEmail, afterNUL})
		if !strings.Contains(q, "@") {
			probes = append(probes, probe{prefixDomain + strings.ToLower(q), domain.MatchEmailDomain, afterNUL})
		}
		for _, serial := range unique(q, strings.ToUpper(q)) {
			probes = append(probes, probe{prefixSerial + serial, domain.MatchSerial, func(item *badger.Item) (string, error) {
				id := string(item.Key()[bytes.LastIndexByte(item.Key(), 0)+1:])
				return id[:strings.LastIndexByte(id, '-')], nil
			}})
		}
		if key := normalizeKeyPrefix(q); len(key) >= 4 {
			probes = append(probes, probe{prefixKey + key, domain.MatchActivationKey, func(item *badger.Item) (string, error) {
				v, err := item.ValueCopy(nil)
				return string(v), err
			}})
		}
		for _, p := range probes {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(p.prefix), PrefetchValues: false})
			for it.Rewind(); it.Valid() && len(results) < domain.MaxSearchResults; it.Next() {
				ref, err := p.ref(it.Item())
				if err == nil {
					err = add(ref, p.how)
				}
				if err != nil {
					it.Close()
					return err
				}
			}
			it.Close()
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("storage: search orders: %w", err)
	}
	return results, nil
}

// normalizeKeyPrefix turns the beginning of a key as typed into its stored form.
func normalizeKeyPrefix(q string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(q) {
		switch {
		case r == '-' || r == ' ':
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		default:
			return ""
		}
	}
	return b.String()
}

func unique(values ...string) []string {
	var out []string
	for _, v := range values {
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
