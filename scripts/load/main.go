// Command load measures a running portal from outside: it signs in as a customer
// and requests pages from several workers for a bounded time, then prints the
// throughput and latency percentiles. Loopback only:
//
//	go run . serve --demo &
//	go run ./scripts/load -base http://127.0.0.1:8080 -duration 10s -c 8
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "the portal (loopback addresses only)")
	email := flag.String("email", "marie@acme.example", "customer email (a demo login)")
	order := flag.String("order", "JWT100234", "customer order number")
	paths := flag.String("paths", "/licenses,/orders,/orders/JWT100234,/licenses/JWT100234-1/upgrade/quote?add=3", "comma-separated pages to request")
	duration := flag.Duration("duration", 10*time.Second, "how long to send requests")
	workers := flag.Int("c", 8, "concurrent workers")
	limit := flag.Int("n", 200_000, "stop after this many requests")
	flag.Parse()
	if err := run(*base, *email, *order, strings.Split(*paths, ","), *duration, *workers, *limit); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func run(base, email, order string, paths []string, duration time.Duration, workers, limit int) error {
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	if h := u.Hostname(); h != "127.0.0.1" && h != "localhost" && h != "::1" {
		return errors.New("refusing to send load anywhere but loopback")
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{MaxIdleConnsPerHost: workers}}
	if err := login(client, base, email, order); err != nil {
		return err
	}

	var mu sync.Mutex
	var latencies []time.Duration
	var failures, sent int
	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; time.Now().Before(deadline); i += workers {
				mu.Lock()
				if sent >= limit {
					mu.Unlock()
					return
				}
				sent++
				mu.Unlock()
				t0 := time.Now()
				res, err := client.Get(base + paths[i%len(paths)])
				ok := err == nil && res.StatusCode == http.StatusOK
				if err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				d := time.Since(t0)
				mu.Lock()
				latencies = append(latencies, d)
				if !ok {
					failures++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))]
	}
	fmt.Printf("requests: %d in %s (%.0f/s), failures: %d\n", len(latencies), elapsed.Round(time.Millisecond),
		float64(len(latencies))/elapsed.Seconds(), failures)
	fmt.Printf("latency p50 %s, p95 %s, p99 %s, max %s\n", pct(0.50), pct(0.95), pct(0.99), pct(1))
	if failures > 0 {
		return fmt.Errorf("%d requests failed", failures)
	}
	return nil
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func login(client *http.Client, base, email, order string) error {
	res, err := client.Get(base + "/login")
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfField.FindSubmatch(body)
	if m == nil {
		return errors.New("no CSRF token on the login page")
	}
	res, err = client.PostForm(base+"/login", url.Values{"email": {email}, "order": {order}, "_csrf": {string(m[1])}})
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("login answered %d", res.StatusCode)
	}
	return nil
}
