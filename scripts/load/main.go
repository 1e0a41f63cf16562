// Command load measures a running portal from outside, as wrk would: for each
// route in turn, -c connections (HTTP/1.1 keep-alive) send requests back to back
// for -duration, and it prints requests/s, p50 and p99 latency, the answers that
// were not 2xx (by status), the ratio to /healthz of the same run, and the CPU
// time the server and the load generator used. It then prints the server's
// memory (/proc/PID/status). Loopback addresses only.
//
// With the sidecar of scripts/gen (FILE.logins.json) it signs in as several
// generated customers and uses their orders and upgradable licenses, right
// activation keys with the serials they are bound to, and staff searches:
//
//	go run ./scripts/gen -n 100000 -out /tmp/orders.jsonl
//	portal import --data /tmp/data /tmp/orders.jsonl
//	echo 'bench-password-1234' | portal user add --data /tmp/data --email bench@x.example --role support --password-stdin
//	portal serve --data /tmp/data --addr 127.0.0.1:8080 &
//	BENCH_STAFF_PASSWORD=bench-password-1234 go run ./scripts/load -sidecar /tmp/orders.jsonl.logins.json
//
// Without a sidecar it uses the logins of "portal serve --demo" and skips the
// licensing API (the demo's keys are random). scripts/bench.sh does all of it.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// allRoutes are the routes measured, in this order.
var allRoutes = []string{"healthz", "login", "licenses", "orders", "order", "quote", "activate", "refresh", "search"}

type options struct {
	base       string
	sidecar    string
	conns      int
	duration   time.Duration
	warmup     time.Duration
	routes     []string
	logins     int
	staffEmail string
	staffPass  string
	pid        int
	client     string
	repeat     int
	roundTrips string
}

func main() {
	var o options
	flag.StringVar(&o.base, "base", "http://127.0.0.1:8080", "the portal (loopback addresses only)")
	flag.StringVar(&o.sidecar, "sidecar", "", "FILE.logins.json written by scripts/gen (default: the demo's logins, no API routes)")
	flag.IntVar(&o.conns, "c", 64, "connections, each sending one request after another")
	flag.DurationVar(&o.duration, "duration", 5*time.Second, "how long each route is measured")
	flag.DurationVar(&o.warmup, "warmup", 500*time.Millisecond, "requests sent before each route's measurement, not counted")
	routes := flag.String("routes", strings.Join(allRoutes, ","), "routes to measure, in order: "+strings.Join(allRoutes, ","))
	flag.IntVar(&o.logins, "logins", 8, "customers to sign in as (sequentially, before the load: logins take 250 ms and are rate limited)")
	flag.StringVar(&o.staffEmail, "staff-email", "bench@x.example", "staff account for the search (support role is enough)")
	flag.StringVar(&o.client, "client", "raw", "raw (a minimal HTTP/1.1 client, as light as wrk) or net/http (Go's client, about 20 µs of CPU per request more)")
	flag.IntVar(&o.repeat, "repeat", 1, "measure each route this many times and show the run that other processes disturbed least")
	flag.IntVar(&o.pid, "pid", 0, "the server's process id, for its memory and CPU (default: the process listening on -base's port)")
	flag.StringVar(&o.roundTrips, "round-trips", "", "a URL answering the server's database round trips so far (serve --pprof-addr ADDR answers at http://ADDR/debug/round-trips on PostgreSQL): adds a column of round trips per request")
	freePort := flag.Bool("free-port", false, "print a free loopback TCP port and exit (for scripts/bench.sh)")
	waitReady := flag.Duration("wait-ready", 0, "wait at most this long for -base's /healthz to answer 200, print how long it took, and exit")
	flag.Parse()
	if *freePort {
		if err := printFreePort(); err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
		return
	}
	if *waitReady > 0 {
		if err := waitHealthy(o.base, *waitReady); err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
		return
	}
	o.staffPass = os.Getenv("BENCH_STAFF_PASSWORD")
	for _, r := range strings.Split(*routes, ",") {
		if r = strings.TrimSpace(r); r != "" {
			o.routes = append(o.routes, r)
		}
	}
	if o.repeat < 1 || o.conns < 1 {
		fmt.Fprintln(os.Stderr, "load: -repeat and -c must be at least 1")
		os.Exit(2)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

// checkLoopback refuses to send load anywhere but this machine.
func checkLoopback(base string) (*url.URL, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" {
		return nil, errors.New("-base must be an http:// URL on loopback")
	}
	h := u.Hostname()
	if addr, err := netip.ParseAddr(h); (err != nil || !addr.IsLoopback()) && h != "localhost" {
		return nil, errors.New("refusing to send load anywhere but loopback")
	}
	return u, nil
}

// printFreePort prints a TCP port that nothing listens on at 127.0.0.1.
func printFreePort() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	fmt.Println(ln.Addr().(*net.TCPAddr).Port)
	return nil
}

// waitHealthy polls /healthz every 2 ms until it answers 200, and prints how long
// that took: with the server started just before, its start-up time.
func waitHealthy(base string, limit time.Duration) error {
	u, err := checkLoopback(base)
	if err != nil {
		return err
	}
	start := time.Now()
	client := &http.Client{Timeout: time.Second}
	for time.Since(start) < limit {
		res, err := client.Get(strings.TrimRight(u.String(), "/") + "/healthz")
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				fmt.Printf("%.3f\n", time.Since(start).Seconds())
				return nil
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	return fmt.Errorf("%s/healthz did not answer 200 within %s", base, limit)
}

// sidecar is what scripts/gen writes beside its orders.
type sidecar struct {
	Customers []struct {
		Email      string   `json:"email"`
		Order      string   `json:"order"`
		Orders     []string `json:"orders"`
		Upgradable []struct {
			ID string `json:"id"`
		} `json:"upgradable_licenses"`
	} `json:"customers"`
	Activations []struct {
		ActivationKey string `json:"activation_key"`
		Serial        string `json:"serial"`
	} `json:"activations"`
	Searches []string `json:"searches"`
}

// demoSidecar is the demo's data (serve --demo): its logins and staff account.
func demoSidecar() sidecar {
	var s sidecar
	json.Unmarshal([]byte(`{"customers":[
		{"email":"marie@acme.example","order":"JWT100234","orders":["JWT100234","JWT100391"],"upgradable_licenses":[{"id":"JWT100234-1"}]},
		{"email":"john@northwind.example","order":"JWT100412","orders":["JWT100412","JWT100588"],"upgradable_licenses":[{"id":"JWT100588-1"}]},
		{"email":"hana@sakura.example","order":"JWT100702","orders":["JWT100702"]},
		{"email":"lukas@bergmann.example","order":"JWT100815","orders":["JWT100815"]}],
		"searches":["marie@acme.example","northwind","JWT1007","ACME-SRV-01","hana"]}`), &s)
	return s
}

// customer is a signed-in customer: its cookies and what it may ask for.
type customer struct {
	email      string
	cookie     string
	orders     []string
	upgradable []string
}

func run(o options) error {
	u, err := checkLoopback(o.base)
	if err != nil {
		return err
	}
	base := strings.TrimRight(u.String(), "/")
	for _, r := range o.routes {
		if !slices.Contains(allRoutes, r) {
			return fmt.Errorf("unknown route %q (routes: %s)", r, strings.Join(allRoutes, ","))
		}
	}
	side := demoSidecar()
	if o.sidecar != "" {
		b, err := os.ReadFile(o.sidecar)
		if err != nil {
			return err
		}
		side = sidecar{}
		if err := json.Unmarshal(b, &side); err != nil {
			return fmt.Errorf("%s: %w", o.sidecar, err)
		}
	} else if o.staffPass == "" && o.staffEmail == "bench@x.example" {
		o.staffEmail, o.staffPass = "support@demo.example", "demo-password-1234"
	}

	pid := o.pid
	if pid == 0 {
		port, _ := strconv.Atoi(u.Port())
		if port == 0 {
			port = 80
		}
		if pid, err = listeningPID(port); err != nil {
			fmt.Fprintln(os.Stderr, "load: no server memory or CPU figures:", err)
		}
	}

	// Each connection has its own sender, kept from route to route.
	senders := make([]sender, o.conns)
	var transport *http.Transport
	switch o.client {
	case "raw":
		for w := range senders {
			senders[w] = &rawConn{addr: u.Host}
		}
	case "net/http":
		transport = &http.Transport{
			MaxIdleConns:        o.conns,
			MaxIdleConnsPerHost: o.conns,
			MaxConnsPerHost:     o.conns,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		}
		client := &http.Client{Transport: transport, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for w := range senders {
			senders[w] = netHTTPConn{client}
		}
	default:
		return fmt.Errorf("-client %q: raw or net/http", o.client)
	}
	defer func() {
		for _, s := range senders {
			s.close()
		}
		if transport != nil {
			transport.CloseIdleConnections()
		}
	}()

	// Sign in first, one after another: each login takes 250 ms on purpose, and
	// failed ones are rate limited per address.
	needs := func(names ...string) bool {
		return slices.ContainsFunc(o.routes, func(r string) bool { return slices.Contains(names, r) })
	}
	var customers []customer
	if needs("licenses", "orders", "order", "quote") {
		for _, c := range side.Customers {
			if len(customers) == o.logins {
				break
			}
			cookie, err := signIn(base, "/login", url.Values{"email": {c.Email}, "order": {c.Order}})
			if err != nil {
				fmt.Fprintf(os.Stderr, "load: sign-in as %s: %v\n", c.Email, err)
				continue
			}
			cu := customer{email: c.Email, cookie: cookie, orders: c.Orders}
			for _, l := range c.Upgradable {
				cu.upgradable = append(cu.upgradable, l.ID)
			}
			customers = append(customers, cu)
		}
		fmt.Fprintf(os.Stderr, "load: signed in as %d customers\n", len(customers))
	}
	var quoting []customer
	for _, c := range customers {
		if len(c.upgradable) > 0 {
			quoting = append(quoting, c)
		}
	}
	staffCookie := ""
	if needs("search") && len(side.Searches) > 0 {
		if o.staffPass == "" {
			fmt.Fprintln(os.Stderr, "load: no BENCH_STAFF_PASSWORD: the staff search is skipped")
		} else if staffCookie, err = signIn(base, "/staff/login", url.Values{"email": {o.staffEmail}, "password": {o.staffPass}}); err != nil {
			fmt.Fprintf(os.Stderr, "load: staff sign-in as %s: %v\n", o.staffEmail, err)
		}
	}

	get := func(path string, header ...string) *request {
		return newRequest(http.MethodGet, base, path, nil, header...)
	}
	htmx := "true"
	conns := o.conns
	// Each route makes its requests per connection w and iteration i, spreading
	// connections over customers and iterations over their orders, licenses, keys.
	routes := map[string]route{
		"healthz": {name: "GET /healthz", next: fixed(get("/healthz"))},
		"login":   {name: "GET /login (anonymous)", next: fixed(get("/login"))},
	}
	if len(customers) > 0 {
		routes["licenses"] = route{name: "GET /licenses", next: perCustomer(customers, func(c customer) []*request {
			return []*request{get("/licenses", "Cookie", c.cookie)}
		})}
		routes["orders"] = route{name: "GET /orders", next: perCustomer(customers, func(c customer) []*request {
			return []*request{get("/orders", "Cookie", c.cookie)}
		})}
		routes["order"] = route{name: "GET /orders/{ref} (htmx)", next: perCustomer(customers, func(c customer) (rs []*request) {
			for _, ref := range c.orders {
				rs = append(rs, get("/orders/"+ref, "Cookie", c.cookie, "HX-Request", htmx))
			}
			return rs
		})}
	}
	if len(quoting) > 0 {
		routes["quote"] = route{name: "GET /licenses/{id}/upgrade/quote?add=3 (htmx)", next: perCustomer(quoting, func(c customer) (rs []*request) {
			for _, id := range c.upgradable {
				rs = append(rs, get("/licenses/"+id+"/upgrade/quote?add=3", "Cookie", c.cookie, "HX-Request", htmx))
			}
			return rs
		})}
	}
	if len(side.Activations) > 0 {
		for _, api := range []string{"activate", "refresh"} {
			var reqs []*request
			for _, k := range side.Activations {
				b, _ := json.Marshal(map[string]string{"activation_key": k.ActivationKey, "serial": k.Serial})
				reqs = append(reqs, newRequest(http.MethodPost, base, "/api/v1/"+api, b, "Content-Type", "application/json"))
			}
			routes[api] = route{name: "POST /api/v1/" + api, next: spread(reqs, conns)}
		}
	}
	if staffCookie != "" {
		var reqs []*request
		for _, q := range side.Searches {
			reqs = append(reqs, get("/staff/orders/search?q="+url.QueryEscape(q), "Cookie", staffCookie, "HX-Request", htmx))
		}
		routes["search"] = route{name: "GET /staff/orders/search?q= (htmx)", next: spread(reqs, conns)}
	}

	var peakAnon atomic.Int64
	stopWatch := make(chan struct{})
	if pid > 0 {
		go watchMemory(pid, &peakAnon, stopWatch)
	}

	fmt.Printf("%d connections (%s client), %s per route after %s of warm-up, against %s (server pid %d); load average %s\n",
		o.conns, o.client, o.duration, o.warmup, base, pid, loadAverage())
	fmt.Println("CPU columns are in cores (this machine has " + strconv.Itoa(runtime.NumCPU()) + "): the server's, this load generator's, and every other process's.")
	if o.repeat > 1 {
		fmt.Printf("Each route was measured %d times; each row is the run in which other processes took the least CPU.\n", o.repeat)
	}
	fmt.Println()
	header, rule := "| route | req/s | 2xx/s | p50 | p99 | non-2xx (status: count) | errors | req/s vs /healthz | server CPU | load CPU | others' CPU |", "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
	if o.roundTrips != "" {
		header, rule = header+" DB round trips per request |", rule+" ---: |"
	}
	fmt.Println(header)
	fmt.Println(rule)
	var healthRate float64
	for _, name := range o.routes {
		r, ok := routes[name]
		if !ok {
			fmt.Printf("| %s | skipped: %s | | | | | | | | | |\n", name, whySkipped(name, side, len(customers), len(quoting), o.staffPass))
			continue
		}
		// On a shared machine other processes take CPU at random moments: with
		// -repeat, keep the run they disturbed least (not simply the fastest).
		var res result
		for rep := range o.repeat {
			if o.warmup > 0 {
				measure(senders, r, o.warmup)
			}
			cpu0, _ := processCPU(pid)
			self0 := selfCPU()
			all0, _ := machineCPU()
			trips0, _ := countRoundTrips(o.roundTrips)
			run := measure(senders, r, o.duration)
			trips1, _ := countRoundTrips(o.roundTrips)
			cpu1, _ := processCPU(pid)
			all1, _ := machineCPU()
			run.serverCPU, run.loadCPU = cpu1-cpu0, selfCPU()-self0
			run.othersCPU = max(all1-all0-run.serverCPU-run.loadCPU, 0)
			run.roundTrips = trips1 - trips0
			if rep == 0 || run.othersShare() < res.othersShare() {
				res = run
			}
		}
		if name == "healthz" {
			healthRate = res.rate()
		}
		row := res.row(healthRate, pid > 0)
		if o.roundTrips != "" {
			row += fmt.Sprintf(" %.1f |", float64(res.roundTrips)/float64(max(res.requests, 1)))
		}
		fmt.Println(row)
		if res.firstError != "" {
			fmt.Fprintf(os.Stderr, "load: %s: first error: %s\n", r.name, res.firstError)
		}
	}
	close(stopWatch)

	if pid > 0 {
		m, err := processMemory(pid)
		if err != nil {
			return err
		}
		fmt.Printf("\nserver memory (pid %d): peak RSS (VmHWM) %s, RssAnon now %s, highest RssAnon seen during the load %s\n",
			pid, mb(m.VmHWM), mb(m.RssAnon), mb(max(peakAnon.Load(), m.RssAnon)))
	}
	fmt.Printf("load average after the run: %s\n", loadAverage())
	return nil
}

func whySkipped(name string, side sidecar, customers, quoting int, staffPass string) string {
	switch name {
	case "licenses", "orders", "order":
		return "no customer signed in"
	case "quote":
		if customers == 0 {
			return "no customer signed in"
		}
		return "no signed-in customer has an upgradable license"
	case "activate", "refresh":
		return "no activation keys (give -sidecar)"
	case "search":
		if staffPass == "" {
			return "no BENCH_STAFF_PASSWORD"
		}
		if len(side.Searches) == 0 {
			return "no searches in the sidecar"
		}
		return "staff sign-in failed"
	}
	return "not available"
}

// loadAverage is the first three fields of /proc/loadavg: how busy the machine was.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

func mb(kb int64) string { return fmt.Sprintf("%.1f MB", float64(kb)/1024) }

func watchMemory(pid int, peak *atomic.Int64, stop <-chan struct{}) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			if m, err := processMemory(pid); err == nil && m.RssAnon > peak.Load() {
				peak.Store(m.RssAnon)
			}
		}
	}
}

// route makes the requests of one measured route.
type route struct {
	name string
	next func(w, i int) *request
}

// fixed always sends the same request.
func fixed(r *request) func(w, i int) *request {
	return func(int, int) *request { return r }
}

// spread sends every request of reqs in turn over all connections: request
// w + i*conns for connection w's i-th request.
func spread(reqs []*request, conns int) func(w, i int) *request {
	return func(w, i int) *request { return reqs[(w+i*conns)%len(reqs)] }
}

// perCustomer spreads connections over customers (connection w is customer
// w mod n), each connection going through its customer's requests in turn.
func perCustomer(customers []customer, build func(c customer) []*request) func(w, i int) *request {
	reqs := make([][]*request, len(customers))
	for ci, c := range customers {
		reqs[ci] = build(c)
	}
	return func(w, i int) *request {
		rs := reqs[w%len(customers)]
		return rs[(i+w/len(customers))%len(rs)]
	}
}

// result is one route's measurement.
type result struct {
	name       string
	requests   int
	elapsed    time.Duration
	latencies  []time.Duration
	statuses   map[int]int
	errors     int
	firstError string
	serverCPU  time.Duration
	loadCPU    time.Duration
	othersCPU  time.Duration
	roundTrips uint64
}

// countRoundTrips reads the server's count of database round trips (see
// -round-trips); nothing to read answers 0.
func countRoundTrips(u string) (uint64, error) {
	if u == "" {
		return 0, nil
	}
	res, err := http.Get(u)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, err
	}
	return strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
}

func (r result) rate() float64 { return float64(r.requests) / r.elapsed.Seconds() }

// othersShare is the CPU other processes took during the run, in cores.
func (r result) othersShare() float64 { return r.othersCPU.Seconds() / r.elapsed.Seconds() }

// okRate is the rate of 2xx answers alone.
func (r result) okRate() float64 {
	ok := 0
	for s, n := range r.statuses {
		if s >= 200 && s <= 299 {
			ok += n
		}
	}
	return float64(ok) / r.elapsed.Seconds()
}

func (r result) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[min(len(r.latencies)-1, int(p*float64(len(r.latencies))))]
}

func (r result) row(healthRate float64, cpu bool) string {
	var bad []string
	non2xx := 0
	for _, s := range slices.Sorted(mapsKeys(r.statuses)) {
		if s < 200 || s > 299 {
			non2xx += r.statuses[s]
			bad = append(bad, fmt.Sprintf("%d: %d", s, r.statuses[s]))
		}
	}
	badText := "0"
	if non2xx > 0 {
		badText = fmt.Sprintf("%d (%s)", non2xx, strings.Join(bad, ", "))
	}
	ratio := "n/a"
	if healthRate > 0 {
		ratio = fmt.Sprintf("%.2f", r.rate()/healthRate)
	}
	cores := func(d time.Duration) string { return fmt.Sprintf("%.2f", d.Seconds()/r.elapsed.Seconds()) }
	serverCPU, othersCPU := "n/a", "n/a"
	if cpu {
		serverCPU, othersCPU = cores(r.serverCPU), cores(r.othersCPU)
	}
	return fmt.Sprintf("| %s | %.0f | %.0f | %s | %s | %s | %d | %s | %s | %s | %s |",
		r.name, r.rate(), r.okRate(), ms(r.percentile(0.50)), ms(r.percentile(0.99)), badText, r.errors, ratio,
		serverCPU, cores(r.loadCPU), othersCPU)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func mapsKeys(m map[int]int) func(func(int) bool) {
	return func(yield func(int) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// measure sends r's requests over every sender for d, each one request after
// another, and collects every latency and status.
func measure(senders []sender, r route, d time.Duration) result {
	type worker struct {
		lat      []time.Duration
		statuses map[int]int
		errors   int
		firstErr string
	}
	workers := make([]worker, len(senders))
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for w := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := &workers[w]
			st.lat = make([]time.Duration, 0, 1024)
			st.statuses = map[int]int{}
			for i := 0; ; i++ {
				t0 := time.Now()
				if !t0.Before(deadline) {
					return
				}
				status, err := senders[w].send(r.next(w, i))
				if err != nil {
					st.errors++
					if st.firstErr == "" {
						st.firstErr = err.Error()
					}
					time.Sleep(10 * time.Millisecond) // a refused connection must not spin
					continue
				}
				st.lat = append(st.lat, time.Since(t0))
				st.statuses[status]++
			}
		}()
	}
	wg.Wait()
	res := result{name: r.name, elapsed: time.Since(start), statuses: map[int]int{}}
	for _, st := range workers {
		res.latencies = append(res.latencies, st.lat...)
		for s, n := range st.statuses {
			res.statuses[s] += n
		}
		res.errors += st.errors
		if res.firstError == "" {
			res.firstError = st.firstErr
		}
	}
	res.requests = len(res.latencies)
	slices.Sort(res.latencies)
	return res
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// signIn gets a login page (for its CSRF cookie and field), posts the form with
// its _csrf field, and answers the cookies a browser would then send.
func signIn(base, path string, form url.Values) (string, error) {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	defer client.CloseIdleConnections()
	res, err := client.Get(base + path)
	if err != nil {
		return "", err
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfField.FindSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("no CSRF field on %s (status %d)", path, res.StatusCode)
	}
	form.Set("_csrf", string(m[1]))
	res, err = client.PostForm(base+path, form)
	if err != nil {
		return "", err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("POST %s answered %d", path, res.StatusCode)
	}
	u, _ := url.Parse(base + "/")
	var cookies []string
	for _, c := range jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	return strings.Join(cookies, "; "), nil
}
