package domain_test

import (
	"testing"

	"portal/domain"
)

func TestOrderNumber(t *testing.T) {
	cases := []struct {
		ref    string
		want   uint64
		counts bool
	}{
		{"JWT100234", 100234, true},
		{"Z999999999999", 999999999999, true},
		{"Z1000000000000", 1000000000000, false},
		{"Z999999999999999", 0, false},
		{"JWT", 0, false},
	}
	for _, tc := range cases {
		n, ok := domain.OrderNumber(tc.ref)
		if ok != tc.counts || (ok && n != tc.want) {
			t.Errorf("OrderNumber(%q) = %d, %v; want %d, %v", tc.ref, n, ok, tc.want, tc.counts)
		}
	}
}

func TestNextOrderReference(t *testing.T) {
	cases := []struct {
		prefix   string
		last     uint64
		want     string
		wantKind domain.Kind
	}{
		{"JWT", 0, "JWT100001", 0},
		{"JWT", 100234, "JWT100235", 0},
		{"ABCDEFGHIJ", 999_999_999_998, "ABCDEFGHIJ999999999999", 0},
		{"JWT", 999_999_999_999, "", domain.KindConflict},
		{"jwt", 5, "", domain.KindInvalid},
	}
	for _, tc := range cases {
		ref, _, err := domain.NextOrderReference(tc.prefix, tc.last)
		if ref != tc.want || domain.KindOf(err) != tc.wantKind || (tc.wantKind != 0) != (err != nil) {
			t.Errorf("NextOrderReference(%q, %d) = %q, %v", tc.prefix, tc.last, ref, err)
		}
		if err == nil {
			if norm, ok := domain.NormalizeReference(ref); !ok || norm != ref {
				t.Errorf("%q is not a valid reference", ref)
			}
		}
	}
}
