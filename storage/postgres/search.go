package postgres

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"portal/domain"
)

// A search probe finds orders whose key of one kind starts with a prefix, in
// the order of that key (k1, then k2 for keys that repeat), as Badger's index
// entries are ordered. Each probe is a range of one index.
type probe struct {
	how    domain.SearchMatch // what matched
	prefix string
	from   string // the tables, joined to orders as o
	k1, k2 string // the key's columns
	where  string // a condition the index needs, if any
}

// sql reads a page of the probe; with after, the page that follows the entry
// ($first+2, $first+3). The first page has no such condition: PostgreSQL 15
// starts a btree scan at a row comparison rather than at the prefix when it has
// both, and reads the index from its beginning (5 ms at 100,000 orders).
func (p probe) sql(first int, after bool) string {
	arg := func(i int) string { return fmt.Sprintf("$%d", first+i) }
	where := ""
	if p.where != "" {
		where = " AND " + p.where
	}
	if after {
		where += ` AND (` + p.k1 + `, ` + p.k2 + `) > (` + arg(2) + `::text, ` + arg(3) + `::text)`
	}
	return `SELECT ` + p.k1 + `, ` + p.k2 + `, ` + orderColumns + ` FROM ` + p.from +
		` WHERE ` + p.k1 + ` >= ` + arg(0) + ` AND ` + p.k1 + ` < ` + arg(1) + where +
		` ORDER BY ` + p.k1 + `, ` + p.k2 + ` LIMIT ` + fmt.Sprint(probePage)
}

// probePage is how many entries a probe reads at once: enough for a whole
// answer past the orders earlier probes found; a probe whose entries repeat
// orders (a serial's licenses) reads on when it must.
const probePage = 2 * domain.MaxSearchResults

// probes are the kinds of key q is tried as, in order, normalised as each is
// stored: those of storage.SearchOrders.
func probes(q string) []probe {
	var out []probe
	if ref, _ := domain.NormalizeReference(q); ref != "" && !strings.Contains(q, "@") {
		out = append(out, probe{how: domain.MatchOrderNumber, prefix: ref, from: "orders o", k1: "o.reference", k2: "''::text"})
	}
	out = append(out, probe{how: domain.MatchEmail, prefix: strings.ToLower(q), from: "orders o", k1: "o.email", k2: "o.reference"})
	if !strings.Contains(q, "@") {
		out = append(out, probe{how: domain.MatchEmailDomain, prefix: strings.ToLower(q), from: "orders o", k1: "o.email_domain", k2: "o.reference"})
	}
	for _, serial := range unique(q, strings.ToUpper(q)) {
		out = append(out, probe{how: domain.MatchSerial, prefix: serial, k1: "l.serial", k2: "l.id", where: "l.serial <> ''",
			from: "licenses l JOIN orders o ON o.reference = l.order_ref"})
	}
	if key := normalizeKeyPrefix(q); len(key) >= 4 {
		out = append(out, probe{how: domain.MatchActivationKey, prefix: key, from: "orders o", k1: "o.activation_key", k2: "''::text"})
	}
	return slices.DeleteFunc(out, func(p probe) bool { return !storable(p.prefix) })
}

// SearchOrders finds orders by email, email domain, order number, serial or
// activation key, whole or by their beginning: at most domain.MaxSearchResults,
// each once, in the order of the probes and then of each key. The first page
// of every probe is one statement (one round trip, one snapshot).
func (s *Store) SearchOrders(ctx context.Context, q string) ([]domain.SearchResult, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, nil
	}
	ps := probes(q)
	if len(ps) == 0 {
		return nil, nil // nothing that a column could hold
	}
	var parts []string
	var args []any
	for i, p := range ps {
		parts = append(parts, `(SELECT `+fmt.Sprint(i)+` AS probe, page.* FROM (`+p.sql(len(args)+1, false)+`) AS page)`)
		args = append(args, p.prefix, prefixEnd(p.prefix))
	}
	pages := make([][]probeRow, len(ps))
	rows, err := s.pool.Query(ctx, strings.Join(parts, " UNION ALL "), args...)
	if err == nil {
		err = eachProbeRow(rows, func(i int, r probeRow) { pages[i] = append(pages[i], r) })
	}
	for _, page := range pages {
		// A union keeps no order: put each page back in its key's (byte) order.
		slices.SortFunc(page, func(a, b probeRow) int { return cmp.Or(cmp.Compare(a.k1, b.k1), cmp.Compare(a.k2, b.k2)) })
	}
	var results []domain.SearchResult
	seen := map[string]bool{}
	for i := 0; err == nil && i < len(ps) && len(results) < domain.MaxSearchResults; i++ {
		page := pages[i]
		for len(page) > 0 && len(results) < domain.MaxSearchResults {
			for _, r := range page {
				if !seen[r.order.Reference] && len(results) < domain.MaxSearchResults {
					seen[r.order.Reference] = true
					results = append(results, domain.SearchResult{Order: r.order, Matched: ps[i].how})
				}
			}
			if len(page) < probePage {
				break
			}
			last := page[len(page)-1]
			page, err = s.probeAfter(ctx, ps[i], last.k1, last.k2)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("storage: search orders: %w", err)
	}
	return results, nil
}

type probeRow struct {
	k1, k2 string
	order  domain.Order
}

func eachProbeRow(rows pgx.Rows, each func(probe int, r probeRow)) error {
	for rows.Next() {
		var i int
		var r probeRow
		var err error
		if r.order, err = scanOrder(rows, &i, &r.k1, &r.k2); err != nil {
			rows.Close()
			return err
		}
		each(i, r)
	}
	return rows.Err()
}

// probeAfter reads the next page of a probe, after the entry (k1, k2).
func (s *Store) probeAfter(ctx context.Context, p probe, k1, k2 string) ([]probeRow, error) {
	rows, err := s.pool.Query(ctx, `SELECT 0, page.* FROM (`+p.sql(1, true)+`) AS page`, p.prefix, prefixEnd(p.prefix), k1, k2)
	if err != nil {
		return nil, err
	}
	var page []probeRow
	err = eachProbeRow(rows, func(_ int, r probeRow) { page = append(page, r) })
	return page, err
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
