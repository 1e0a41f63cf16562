package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"portal/domain"
)

// Config says what to generate.
type Config struct {
	Orders int       // how many orders
	Seed   uint64    // the same seed (and day) gives the same file, byte for byte
	Today  time.Time // support states are spread relative to this day
	Prefix string    // order-number prefix
	First  int       // the first order number
}

// Stats counts what was generated, for the person who runs it.
type Stats struct {
	Orders, Customers, Licenses, Bound int
	Support                            map[domain.SupportState]int
	Currencies                         map[string]int
	Bytes                              int64
}

// Sidecar is what the load script needs to send right requests: customers to sign
// in as (with their orders and upgradable licenses), activation keys with the
// serial their order's licenses are bound to, and staff searches that find orders.
type Sidecar struct {
	Seed        uint64         `json:"seed"`
	Orders      int            `json:"orders"`
	Today       string         `json:"today"`
	Customers   []SidecarLogin `json:"customers"`
	Activations []SidecarKey   `json:"activations"`
	Searches    []string       `json:"searches"`
	Support     map[string]int `json:"support_states"`
}

// SidecarLogin is a customer: email, one order number to sign in with, all their
// orders, and their licenses that can be upgraded today.
type SidecarLogin struct {
	Email      string           `json:"email"`
	Order      string           `json:"order"`
	Orders     []string         `json:"orders"`
	Upgradable []SidecarLicense `json:"upgradable_licenses"`
}

// SidecarLicense is a license whose product is upgradable and whose support runs.
type SidecarLicense struct {
	ID       string `json:"id"`
	Software string `json:"software"`
	Edition  string `json:"edition"`
}

// SidecarKey is an order whose licenses are all bound to one serial: activating
// it again with that serial changes nothing, and refreshing it answers them.
type SidecarKey struct {
	ActivationKey string `json:"activation_key"`
	Serial        string `json:"serial"`
	Order         string `json:"order"`
}

type product struct {
	software, edition string
	upgradable        bool
	retired           bool
	inCatalog         bool   // old products are missing from the catalog
	currency          string // the catalog's currency for upgrades
	seat, support     int64  // catalog prices, minor units of currency
	listEUR           int64  // list price per user in euro cents, for order items
	supportEUR        int64  // support per user and year in euro cents
	weight            int
}

var catalog = []product{
	{"Remote Work", "Standard", true, false, true, "EUR", 0, 9000, 9000, 9000, 30},
	{"Remote Work", "Enterprise", true, false, true, "USD", 4900, 12000, 14900, 12000, 14},
	{"Remote Work", "Team", true, false, true, "JPY", 5000, 14000, 6500, 8500, 6},
	{"Remote Access", "Standard", false, false, true, "EUR", 0, 4500, 8300, 4500, 18},
	{"Remote Access", "Enterprise", true, false, true, "GBP", 3900, 7500, 8900, 8800, 12},
	{"Advanced Security", "Ultimate", false, false, true, "EUR", 0, 6000, 3200, 6000, 10},
	{"Remote Access", "Classic", false, true, true, "EUR", 0, 3000, 5900, 3000, 6},
	{"Legacy Viewer", "Pro", false, false, false, "", 0, 0, 2900, 2000, 4},
}

// catalogLines are the product lines that open the file.
func catalogLines() []domain.ProductLine {
	var lines []domain.ProductLine
	for _, p := range catalog {
		if p.inCatalog {
			lines = append(lines, domain.NewProductLine(domain.Product{Software: p.software, Edition: p.edition,
				Upgradable: p.upgradable, Currency: p.currency, SeatPrice: p.seat,
				SupportPricePerSeatYear: p.support, Retired: p.retired}))
		}
	}
	return lines
}

// customer is what one customer's orders share. It is derived from the seed and
// the customer's number alone, so that the generator keeps no customer in memory.
type customer struct {
	n        int
	country  *country
	company  string
	initials string
	city     string
	contact  string
	email    string
}

func (g *generator) customer(n int) customer {
	r := rand.New(rand.NewPCG(g.seed^0x5bd1e995, uint64(n)))
	c := &countries[pickWeighted(r, g.countryWeights)]
	root := c.roots[r.IntN(len(c.roots))]
	sector := sectors[r.IntN(len(sectors))]
	form := c.forms[r.IntN(len(c.forms))]
	first := c.first[r.IntN(len(c.first))]
	last := c.last[r.IntN(len(c.last))]
	cust := customer{n: n, country: c, company: root + " " + sector + " " + form,
		city: c.cities[r.IntN(len(c.cities))], contact: first + " " + last}
	for _, w := range strings.Fields(root + " " + sector) {
		cust.initials += strings.ToUpper(string(asciiFold(w)[0]))
	}
	// The customer's number keeps emails unique among customers that share a
	// company name; the domain is the company's, so a domain search finds several.
	cust.email = fmt.Sprintf("%s.%s.%d@%s-%s.example", slug(first, ""), slug(last, ""), n,
		slug(root, "-"), slug(sector, "-"))
	return cust
}

// slug is s in lower-case ASCII letters and digits, words joined by sep.
func slug(s, sep string) string {
	var words []string
	for _, w := range strings.FieldsFunc(asciiFold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		words = append(words, strings.ToLower(w))
	}
	return strings.Join(words, sep)
}

// asciiFold drops the accents of the letters in the word lists: "Müller"
// becomes "Muller", "Łódź" "Lodz". Other non-ASCII letters are left out.
func asciiFold(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case r == 'ß':
			b.WriteString("ss")
		default:
			if i := strings.IndexRune(accented, r); i >= 0 {
				b.WriteByte(plain[utf8.RuneCountInString(accented[:i])])
			}
		}
	}
	return b.String()
}

const (
	accented = "àáâãäåçèéêëìíîïñòóôõöøùúûüýÿłńśźżąęćÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŁŃŚŹŻĄĘĆ"
	plain    = "aaaaaaceeeeiiiinoooooouuuuyylnszzaecAAAAAACEEEEIIIINOOOOOOUUUUYLNSZZAEC"
)

func pickWeighted(r *rand.Rand, cumulative []int) int {
	x := r.IntN(cumulative[len(cumulative)-1])
	i, _ := slices.BinarySearch(cumulative, x+1)
	return i
}

func cumulativeWeights(weights []int) []int {
	out := make([]int, len(weights))
	sum := 0
	for i, w := range weights {
		sum += w
		out[i] = sum
	}
	return out
}

// ordersPerCustomer weighs how many orders a customer places, 1 to 6.
var ordersPerCustomer = cumulativeWeights([]int{30, 25, 18, 12, 9, 6})

// supportYears weighs the years of support an order buys, 1 to 3.
var supportYears = cumulativeWeights([]int{60, 25, 15})

// licensesPerOrder weighs 1 to 3 licenses in an order.
var licensesPerOrder = cumulativeWeights([]int{65, 25, 10})

var keyEncoding = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

type generator struct {
	cfg            Config
	seed           uint64
	r              *rand.Rand // the orders' own choices
	sample         *rand.Rand // which orders go into the sidecar (never disturbs r)
	keys           *rand.ChaCha8
	countryWeights []int
	productWeights []int
}

// slot is a customer still placing orders. Orders go to random slots of a pool,
// so that a customer's orders are spread over time among other customers', and
// order numbers still grow with the order date.
type slot struct {
	customer int
	left     int
	placed   bool // has placed an order already
}

const (
	sampleCustomers = 32   // customers written to the sidecar, at most
	sampleKeys      = 4096 // activation keys written to the sidecar, at most
	historyYears    = 4    // orders are spread over this many years before today
)

func newGenerator(cfg Config) *generator {
	var keySeed [32]byte
	sum := sha256.Sum256(binary.BigEndian.AppendUint64([]byte("portal bench activation keys"), cfg.Seed))
	copy(keySeed[:], sum[:])
	g := &generator{cfg: cfg, seed: cfg.Seed,
		r:      rand.New(rand.NewPCG(cfg.Seed, 1)),
		sample: rand.New(rand.NewPCG(cfg.Seed, 2)),
		keys:   rand.NewChaCha8(keySeed)}
	var cw, pw []int
	for _, c := range countries {
		cw = append(cw, c.weight)
	}
	for _, p := range catalog {
		pw = append(pw, p.weight)
	}
	g.countryWeights, g.productWeights = cumulativeWeights(cw), cumulativeWeights(pw)
	return g
}

// activationKey is 120 bits from the seeded key stream, 24 characters of
// Crockford's base32 (the portal's own stored form).
func (g *generator) activationKey() string {
	var b [15]byte
	g.keys.Read(b[:])
	return keyEncoding.EncodeToString(b[:])
}

// price converts euro cents into a round amount in currency's minor units: whole
// units for currencies with cents, hundreds for those without (JPY 7,200).
func price(eurCents int64, currency string) int64 {
	minor := domain.MinorUnits(currency)
	v := eurCents * eurPer1[currency] / 100 // in cents of currency
	switch {
	case minor == 0:
		v = (v/100 + 50) / 100 * 100
	default:
		for range minor - 2 {
			v *= 10
		}
		step := int64(1)
		for range minor {
			step *= 10
		}
		v = (v + step/2) / step * step
	}
	return max(v, 1)
}

// Generate writes the catalog and cfg.Orders orders as JSON Lines to w, one line at a
// time, and answers the sidecar for the load script.
func Generate(w io.Writer, cfg Config) (*Sidecar, Stats, error) {
	if cfg.Prefix == "" {
		cfg.Prefix = "JWT"
	}
	if cfg.First == 0 {
		cfg.First = 100_000
	}
	cfg.Today = domain.Today(cfg.Today)
	g := newGenerator(cfg)
	cw := &countingWriter{w: w}
	bw := bufio.NewWriterSize(cw, 1<<20)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	stats := Stats{Support: map[domain.SupportState]int{}, Currencies: map[string]int{}}
	side := &Sidecar{Seed: cfg.Seed, Orders: cfg.Orders, Today: cfg.Today.Format(domain.DateLayout)}

	for _, p := range catalogLines() {
		if err := enc.Encode(p); err != nil {
			return nil, stats, err
		}
	}

	// The pool holds about a tenth of the customers at a time: a customer with
	// three orders places them over about a third of the whole period.
	pool := make([]slot, min(max(cfg.Orders/10, 16), 200_000))
	next := 0
	newSlot := func() slot {
		s := slot{customer: next, left: 1 + pickWeighted(g.r, ordersPerCustomer)}
		next++
		return s
	}
	for i := range pool {
		pool[i] = newSlot()
	}
	logins := map[int]*SidecarLogin{}
	var keys []SidecarKey
	keysSeen := 0

	start := cfg.Today.AddDate(-historyYears, 0, 0)
	span := cfg.Today.Sub(start) - 24*time.Hour
	var line domain.OrderLine
	for i := range cfg.Orders {
		si := g.r.IntN(len(pool))
		cust := g.customer(pool[si].customer)
		if !pool[si].placed {
			pool[si].placed = true
			stats.Customers++
		}
		if pool[si].left--; pool[si].left == 0 {
			pool[si] = newSlot()
		}
		// Business grows: more orders lately (density rising linearly with time).
		frac := math.Sqrt((float64(i) + g.r.Float64()) / float64(cfg.Orders))
		date := start.Add(time.Duration(frac * float64(span))).Truncate(time.Minute)
		ref := fmt.Sprintf("%s%d", cfg.Prefix, cfg.First+i)
		line = g.order(line, ref, date, cust)
		if err := enc.Encode(&line); err != nil {
			return nil, stats, err
		}

		stats.Orders++
		stats.Currencies[line.Currency]++
		serials := map[string]bool{}
		var upgradable []SidecarLicense
		for n, l := range line.Licenses {
			stats.Licenses++
			lic := domain.License{SupportStart: mustDate(l.SupportStart), SupportEnd: mustDate(l.SupportEnd)}
			state := lic.Support(cfg.Today)
			stats.Support[state]++
			serials[l.Serial] = true
			if l.Serial != "" {
				stats.Bound++
			}
			if p := findProduct(l.Software, l.Edition); p != nil && p.upgradable && !p.retired && state != domain.SupportExpired {
				upgradable = append(upgradable, SidecarLicense{ID: domain.LicenseID(ref, n+1), Software: l.Software, Edition: l.Edition})
			}
		}
		// Sample customers among the first ones (they are in the pool from the start).
		if cust.n < sampleCustomers*4 {
			sl := logins[cust.n]
			if sl == nil {
				sl = &SidecarLogin{Email: cust.email, Order: ref}
				logins[cust.n] = sl
			}
			sl.Orders = append(sl.Orders, ref)
			sl.Upgradable = append(sl.Upgradable, upgradable...)
		}
		// Keys of orders bound to one computer, by reservoir sampling.
		if len(serials) == 1 && !serials[""] {
			k := SidecarKey{ActivationKey: line.ActivationKey, Serial: line.Licenses[0].Serial, Order: ref}
			keysSeen++
			if len(keys) < sampleKeys {
				keys = append(keys, k)
			} else if j := g.sample.IntN(keysSeen); j < sampleKeys {
				keys[j] = k
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return nil, stats, err
	}
	stats.Bytes = cw.n

	// Customers with an upgradable license first (the quote route needs one),
	// then by number, so that the choice does not depend on map order.
	var ids []int
	for n := range logins {
		ids = append(ids, n)
	}
	slices.SortFunc(ids, func(a, b int) int {
		ua, ub := len(logins[a].Upgradable) > 0, len(logins[b].Upgradable) > 0
		if ua != ub {
			if ua {
				return -1
			}
			return 1
		}
		return a - b
	})
	for _, n := range ids[:min(len(ids), sampleCustomers)] {
		side.Customers = append(side.Customers, *logins[n])
	}
	slices.SortFunc(keys, func(a, b SidecarKey) int { return strings.Compare(a.Order, b.Order) })
	side.Activations = keys
	side.Searches = searches(side, cfg.Prefix)
	side.Support = map[string]int{}
	for s, n := range stats.Support {
		side.Support[string(s)] = n
	}
	return side, stats, nil
}

// searches are what staff type: an email, an email's domain, its first letters, an
// order number whole and by its beginning, a serial, an activation key's beginning.
func searches(side *Sidecar, prefix string) []string {
	var q []string
	for i, c := range side.Customers {
		local, domainPart, _ := strings.Cut(c.Email, "@")
		company, _, _ := strings.Cut(domainPart, "-")
		switch i % 4 {
		case 0:
			q = append(q, c.Email)
		case 1:
			q = append(q, company)
		case 2:
			q = append(q, local[:min(len(local), 6)])
		case 3:
			q = append(q, strings.ToLower(prefix)+" "+strings.TrimPrefix(c.Order, prefix))
		}
		q = append(q, c.Order)
	}
	for i, k := range side.Activations[:min(len(side.Activations), 16)] {
		if i%2 == 0 {
			q = append(q, k.Serial)
		} else {
			q = append(q, domain.FormatActivationKey(k.ActivationKey)[:9])
		}
	}
	return q
}

func findProduct(software, edition string) *product {
	for i := range catalog {
		if catalog[i].software == software && catalog[i].edition == edition {
			return &catalog[i]
		}
	}
	return nil
}

func mustDate(s string) time.Time {
	t, err := time.Parse(domain.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

// order fills line (reusing its slices) with one order of cust on date.
func (g *generator) order(line domain.OrderLine, ref string, date time.Time, cust customer) domain.OrderLine {
	r := g.r
	cur := cust.country.currency
	line = domain.OrderLine{Kind: "order", Reference: ref, Date: date.Format(time.RFC3339),
		Name: cust.company, Country: cust.country.code, City: cust.city, ContactName: cust.contact,
		Email: cust.email, Currency: cur, Items: line.Items[:0], Licenses: line.Licenses[:0],
		ActivationKey: g.activationKey()}
	// A branch elsewhere, now and then (as Northwind's Portland office in the demo).
	if r.IntN(8) == 0 {
		line.City = cust.country.cities[r.IntN(len(cust.country.cities))]
	}
	years := 1 + pickWeighted(r, supportYears)
	start := domain.Today(date)
	end := start.AddDate(years, 0, 0)
	age := g.cfg.Today.Sub(start)

	// Older orders are mostly activated; recent ones often not yet. Most orders
	// go on one computer; some spread their licenses over several.
	bound := 75
	if age < 14*24*time.Hour {
		bound = 40
	}
	serial := ""
	if r.IntN(100) < bound {
		serial = g.serial(r, cust)
	}
	perLicense := serial != "" && r.IntN(100) < 12

	n := 1 + pickWeighted(r, licensesPerOrder)
	used := make([]bool, len(catalog))
	for range n {
		pi := pickWeighted(r, g.productWeights)
		for used[pi] {
			pi = (pi + 1) % len(catalog)
		}
		used[pi] = true
		p := &catalog[pi]
		users := 1 + r.IntN(5)
		switch x := r.IntN(10); {
		case x >= 9:
			users = 20 + r.IntN(81)
		case x >= 6:
			users = 5 + r.IntN(16)
		}
		unit := "users"
		if p.software == "Remote Work" {
			unit = "workstations"
		}
		desc := fmt.Sprintf("%s %s, %d %s", p.software, p.edition, users, unit)
		seat := price(p.listEUR, cur)
		if r.IntN(3) == 0 {
			line.Items = append(line.Items, item(desc, 1, int64(users)*seat))
		} else {
			line.Items = append(line.Items, item(desc, int64(users), seat))
		}
		if years > 1 {
			line.Items = append(line.Items, item(supportItem(years-1),
				int64(users), int64(years-1)*price(p.supportEUR, cur)))
		}
		s := serial
		switch {
		case perLicense:
			s = g.serial(r, cust)
		case serial != "" && n > 1 && r.IntN(10) == 0:
			s = "" // one license of a bound order not yet activated
		}
		line.Licenses = append(line.Licenses, domain.LicenseLine{Software: p.software, Edition: p.edition,
			Users: users, Serial: s, SupportStart: start.Format(domain.DateLayout), SupportEnd: end.Format(domain.DateLayout)})
	}
	var total int64
	for _, it := range line.Items {
		total += it.Amount
	}
	line.Total = &total
	return line
}

func item(desc string, quantity, unit int64) domain.Item {
	return domain.Item{Description: desc, Quantity: quantity, UnitAmount: unit, Amount: quantity * unit}
}

// serial is a computer's name as an administrator gives it: BHL-SRV-0427.
func (g *generator) serial(r *rand.Rand, cust customer) string {
	return fmt.Sprintf("%s-%s-%04d", cust.initials, computerKinds[r.IntN(len(computerKinds))], r.IntN(10000))
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// supportItem names the support bought beyond the first year, which the list price holds.
func supportItem(moreYears int) string {
	if moreYears == 1 {
		return "Support and updates, 1 more year"
	}
	return fmt.Sprintf("Support and updates, %d more years", moreYears)
}
