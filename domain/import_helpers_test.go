package domain_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"portal/domain"
)

// The example lines of section 9 of the product contract, one object per line.
const (
	exampleProduct = `{"kind":"product","software":"Remote Work","edition":"Standard","upgradable":true,` +
		`"currency":"EUR","seat_price":0,"support_price_per_seat_year":9000}`
	exampleOrder = `{"kind":"order","reference":"JWT100234","date":"2026-03-14T10:22:00Z",` +
		`"name":"Acme SARL","country":"FR","city":"Lyon","contact_name":"Marie Dupont",` +
		`"email":"marie@acme.example","currency":"EUR",` +
		`"items":[{"description":"Remote Work Standard, 5 workstations","quantity":1,"unit_amount":45000}],` +
		`"licenses":[{"software":"Remote Work","edition":"Standard","users":5,` +
		`"serial":"","support_start":"2026-03-14","support_end":"2027-03-14"}]}`
)

// orderLine is the example order with changes made to its JSON object.
func orderLine(t *testing.T, modify func(m map[string]any)) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(exampleOrder), &m); err != nil {
		t.Fatal(err)
	}
	modify(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func withRef(t *testing.T, ref string) string {
	return orderLine(t, func(m map[string]any) { m["reference"] = ref })
}

func firstLicense(m map[string]any) map[string]any {
	return m["licenses"].([]any)[0].(map[string]any)
}

// keySource hands out fixed keys and counts the calls.
type keySource struct{ calls int }

func (k *keySource) newKey() string {
	k.calls++
	return fmt.Sprintf("NEWKEY%018d", k.calls)
}

// fakeStore is an in-memory test double for domain.ImportStore.
type fakeStore struct {
	products map[string]domain.Product
	orders   map[string]domain.OrderWithLicenses
	refuse   map[string]error // reference → the domain error the store answers
	fail     error            // a failure of the store itself
	batches  []int            // size of each ImportOrders call
}

func newFakeStore() *fakeStore {
	return &fakeStore{products: map[string]domain.Product{}, orders: map[string]domain.OrderWithLicenses{}, refuse: map[string]error{}}
}

func (s *fakeStore) SaveProduct(_ context.Context, p domain.Product) (bool, error) {
	if s.fail != nil {
		return false, s.fail
	}
	key := p.Software + "\x00" + p.Edition
	if old, ok := s.products[key]; ok && old == p {
		return false, nil
	}
	s.products[key] = p
	return true, nil
}

func (s *fakeStore) ImportOrders(_ context.Context, orders []domain.OrderWithLicenses) ([]error, error) {
	if s.fail != nil {
		return nil, s.fail
	}
	s.batches = append(s.batches, len(orders))
	results := make([]error, len(orders))
	for i, o := range orders {
		ref := o.Order.Reference
		switch {
		case s.refuse[ref] != nil:
			results[i] = s.refuse[ref]
		case s.orders[ref].Order.Reference != "":
			results[i] = domain.ErrAlreadyImported
		default:
			s.orders[ref] = o
		}
	}
	return results, nil
}

func (s *fakeStore) refs() []string {
	var refs []string
	for r := range s.orders {
		refs = append(refs, r)
	}
	sort.Strings(refs)
	return refs
}

type wantRejected struct {
	line   int
	reason string // a word the reason must hold
}

func checkReport(t *testing.T, got domain.ImportReport, read, imported, skipped int, rejected []wantRejected) {
	t.Helper()
	if got.Read != read || got.Imported != imported || got.Skipped != skipped || len(got.Rejected) != len(rejected) {
		t.Errorf("report: read %d, imported %d, skipped %d, rejected %d; want %d, %d, %d, %d\n%s",
			got.Read, got.Imported, got.Skipped, len(got.Rejected), read, imported, skipped, len(rejected), got)
	}
	rej := slices.Clone(got.Rejected)
	sort.SliceStable(rej, func(i, j int) bool { return rej[i].Line < rej[j].Line })
	for i := range min(len(rej), len(rejected)) {
		if rej[i].Line != rejected[i].line || !strings.Contains(rej[i].Reason, rejected[i].reason) {
			t.Errorf("rejected line %d: %q; want line %d mentioning %q", rej[i].Line, rej[i].Reason, rejected[i].line, rejected[i].reason)
		}
		if s := got.String(); !strings.Contains(s, fmt.Sprintf("line %d: ", rejected[i].line)) {
			t.Errorf("printed report does not name line %d:\n%s", rejected[i].line, s)
		}
	}
}
