package storetest

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"portal/domain"
)

var searchTests = []test{
	{"SearchOrdersByEachKey", testSearchOrdersByEachKey},
	{"SearchAnswersEachOrderOnceAndAtMost25", testSearchAnswersEachOrderOnceAndAtMost25},
	{"SearchReadsPastOneOrdersManyLicenses", testSearchReadsPastOneOrdersManyLicenses},
}

func testSearchOrdersByEachKey(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	a := NewOrder(t, "JWT100234", "marie@acme.example", BaseDate, 2)
	a.Licenses[1].Serial = "ACME-SRV-01"
	b := NewOrder(t, "JWT100412", "john@northwind.example", BaseDate, 1)
	ImportOK(t, s, a, b)
	key := a.Order.ActivationKey
	cases := []struct {
		q, wantRef, how string
	}{
		{"marie@acme.example", "JWT100234", "email"},
		{"  Marie@ACME ", "JWT100234", "email"},
		{"mar", "JWT100234", "email"},
		{"northwind", "JWT100412", "email domain"},
		{"JWT100234", "JWT100234", "order number"},
		{"jwt 1004", "JWT100412", "order number"},
		{"ACME-SRV-01", "JWT100234", "serial"},
		{"acme-srv", "JWT100234", "serial"},
		{domain.FormatActivationKey(key), "JWT100234", "activation key"},
		{strings.ToLower(key[:8]), "JWT100234", "activation key"},
	}
	for _, tc := range cases {
		res, err := s.SearchOrders(ctx, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if len(res) == 0 || res[0].Order.Reference != tc.wantRef || string(res[0].Matched) != tc.how {
			t.Errorf("search %q: %+v, want %s by %s", tc.q, res, tc.wantRef, tc.how)
		}
	}
	if res := must(s.SearchOrders(ctx, "JWT100234")); len(res) != 1 || !reflect.DeepEqual(res[0].Order, a.Order) {
		t.Errorf("a found order differs from the stored one: %+v", res)
	}
	for _, q := range []string{"", "  ", "nobody@x.example", "ZZZ999", "xyz", "\x00", "\xff", "jwt\x00", "%", "_", "*"} {
		if res, err := s.SearchOrders(ctx, q); err != nil || len(res) != 0 {
			t.Errorf("search %q found %d orders, %v", q, len(res), err)
		}
	}
	// An activation key found after a reissue is the new one only.
	err := s.UpdateOrder(ctx, "JWT100234", func(u *domain.OrderUpdate) error {
		u.ReissueKey(domain.NewActivationKey(), domain.ActorCustomer, BaseDate)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if res, _ := s.SearchOrders(ctx, key); len(res) != 0 {
		t.Error("the old activation key still finds the order")
	}
	// A serial freed by a rehost finds nothing any more.
	err = s.UpdateOrder(ctx, "JWT100234", func(u *domain.OrderUpdate) error {
		_, err := u.Rehost("JWT100234-2", domain.DefaultRehostPolicy, BaseDate)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if res, _ := s.SearchOrders(ctx, "ACME-SRV"); len(res) != 0 {
		t.Errorf("a freed serial still finds the order: %+v", res)
	}
}

// testSearchAnswersEachOrderOnceAndAtMost25: an order that matches several
// ways is answered once, by its first way; no more than 25 orders come back,
// the first in the order of their key.
func testSearchAnswersEachOrderOnceAndAtMost25(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	var orders []domain.OrderWithLicenses
	for i := range 40 {
		o := NewOrder(t, fmt.Sprintf("JWT%d", 100100+i), fmt.Sprintf("user%02d@acme.example", 39-i), BaseDate, 1)
		o.Licenses[0].Serial = fmt.Sprintf("ACME-%02d", i)
		orders = append(orders, o)
	}
	ImportOK(t, s, orders...)
	res := must(s.SearchOrders(ctx, "acme"))
	if len(res) != domain.MaxSearchResults {
		t.Fatalf("search acme: %d results, want %d", len(res), domain.MaxSearchResults)
	}
	seen := map[string]bool{}
	for i, r := range res {
		if seen[r.Order.Reference] {
			t.Errorf("%s answered twice", r.Order.Reference)
		}
		seen[r.Order.Reference] = true
		// By domain first (acme.example), in the order of the domain's entries: by reference.
		if want := fmt.Sprintf("JWT%d", 100100+i); r.Order.Reference != want || r.Matched != "email domain" {
			t.Errorf("result %d: %s by %s, want %s by email domain", i, r.Order.Reference, r.Matched, want)
		}
	}
	// Email entries are ordered by email: user00 is the last order.
	if res := must(s.SearchOrders(ctx, "user")); len(res) != 25 || res[0].Order.Reference != "JWT100139" || res[0].Matched != "email" {
		t.Errorf("search user: %d results, first %+v", len(res), res[0])
	}
}

// testSearchReadsPastOneOrdersManyLicenses: one order with many licenses on
// matching serials does not hide the other orders that match after them.
func testSearchReadsPastOneOrdersManyLicenses(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	big := NewOrder(t, "JWT100001", "big@acme.example", BaseDate, 90)
	for i := range big.Licenses {
		big.Licenses[i].Serial = fmt.Sprintf("SRV-A%03d", i)
	}
	orders := []domain.OrderWithLicenses{big}
	for i := range 5 {
		o := NewOrder(t, fmt.Sprintf("JWT10001%d", i), "small@acme.example", BaseDate, 1)
		o.Licenses[0].Serial = fmt.Sprintf("SRV-B%03d", i)
		orders = append(orders, o)
	}
	ImportOK(t, s, orders...)
	res := must(s.SearchOrders(ctx, "SRV-"))
	if len(res) != 6 || res[0].Order.Reference != "JWT100001" || res[5].Order.Reference != "JWT100014" {
		refs := make([]string, len(res))
		for i, r := range res {
			refs[i] = r.Order.Reference + " by " + string(r.Matched)
		}
		t.Errorf("search SRV-: %v; want JWT100001 then the 5 small orders", refs)
	}
}
