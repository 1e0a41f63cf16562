// Command gen writes N believable orders in the portal's import format (JSON
// Lines: a small catalog, then orders of customers with one to six orders each),
// for benchmarks and for trying the portal with a realistic amount of data:
//
//	go run ./scripts/gen -n 100000 -out /tmp/orders.jsonl
//	portal import --data /tmp/data /tmp/orders.jsonl
//
// The same -seed on the same day gives the same file byte for byte (support
// states are spread relative to -today, default today). Every order carries an
// explicit activation_key drawn from a seeded stream, so that the load script
// can use right keys: it reads them from the sidecar FILE.logins.json, which
// also lists customer logins with their upgradable licenses and staff searches.
// Keys derived from a known seed are for benchmarks only, never for a real portal.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"portal/domain"
)

func main() {
	n := flag.Int("n", 100_000, "how many orders (1,000 to 1,000,000)")
	out := flag.String("out", "orders.jsonl", "the JSON Lines file to write; the sidecar goes beside it as FILE.logins.json")
	seed := flag.Uint64("seed", 1, "the seed of every random choice and key")
	today := flag.String("today", "", "the day support states are relative to, as 2026-11-27 (default today, UTC)")
	prefix := flag.String("prefix", "JWT", "order-number prefix")
	first := flag.Int("first", 100_000, "the first order number")
	flag.Parse()
	if err := run(*n, *out, *seed, *today, *prefix, *first); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(n int, out string, seed uint64, today, prefix string, first int) error {
	if n < 1 || n > 10_000_000 {
		return fmt.Errorf("-n %d: give 1 to 10,000,000 orders", n)
	}
	day := time.Now().UTC()
	if today != "" {
		var err error
		if day, err = time.Parse(domain.DateLayout, today); err != nil {
			return fmt.Errorf("-today %q is not a date such as 2026-11-27", today)
		}
	}
	if ref, ok := domain.NormalizeReference(fmt.Sprintf("%s%d", prefix, first+n-1)); !ok || ref != fmt.Sprintf("%s%d", prefix, first+n-1) {
		return fmt.Errorf("-prefix %q with -first %d does not make order numbers (capital letters, then digits)", prefix, first)
	}
	t0 := time.Now()
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	side, stats, err := Generate(f, Config{Orders: n, Seed: seed, Today: day, Prefix: prefix, First: first})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out)
		return err
	}
	sidePath := out + ".logins.json"
	b, err := json.MarshalIndent(side, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(sidePath, append(b, '\n'), 0o600); err != nil {
		return err
	}
	elapsed := time.Since(t0)
	fmt.Fprintf(os.Stderr, "gen: %d orders of %d customers, %d licenses (%d bound) in %s (%.0f orders/s), %.1f MB in %s\n",
		stats.Orders, stats.Customers, stats.Licenses, stats.Bound, elapsed.Round(time.Millisecond),
		float64(stats.Orders)/elapsed.Seconds(), float64(stats.Bytes)/1e6, filepath.Base(out))
	fmt.Fprintf(os.Stderr, "gen: support on %s: %d active, %d expiring within 30 days, %d expired; currencies %v\n",
		side.Today, stats.Support[domain.SupportActive], stats.Support[domain.SupportExpiring],
		stats.Support[domain.SupportExpired], stats.Currencies)
	fmt.Fprintf(os.Stderr, "gen: sidecar %s: %d customer logins, %d activation keys, %d searches\n",
		filepath.Base(sidePath), len(side.Customers), len(side.Activations), len(side.Searches))
	return nil
}
