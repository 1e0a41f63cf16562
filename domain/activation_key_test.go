package domain_test

import (
	"strings"
	"testing"

	"portal/domain"
)

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

func TestNewActivationKey(t *testing.T) {
	const draws = 10_000
	seen := make(map[string]bool, draws)
	for i := range draws {
		k := domain.NewActivationKey()
		if len(k) != 24 {
			t.Fatalf("draw %d: key %q has %d characters, want 24", i, k, len(k))
		}
		if i := strings.IndexFunc(k, func(r rune) bool { return !strings.ContainsRune(crockford, r) }); i >= 0 {
			t.Fatalf("key %q holds %q, which is not Crockford base32", k, k[i])
		}
		if seen[k] {
			t.Fatalf("draw %d repeats key %q", i, k)
		}
		seen[k] = true
	}

	t.Run("every character of the alphabet turns up", func(t *testing.T) {
		used := map[rune]bool{}
		for k := range seen {
			for _, r := range k {
				used[r] = true
			}
		}
		if len(used) != len(crockford) {
			t.Errorf("keys use %d distinct characters, want all %d of Crockford base32", len(used), len(crockford))
		}
	})
}

func TestActivationKeyRoundTrip(t *testing.T) {
	for i := range 1000 {
		k := domain.NewActivationKey()
		formatted := domain.FormatActivationKey(k)
		variants := []struct {
			name  string
			input string
		}{
			{name: "formatted", input: formatted},
			{name: "lower case", input: strings.ToLower(formatted)},
			{name: "spaces instead of hyphens", input: strings.ReplaceAll(formatted, "-", " ")},
			{name: "surrounded by spaces", input: "  " + formatted + "\t"},
			{name: "stored form", input: k},
		}
		for _, v := range variants {
			got, ok := domain.NormalizeActivationKey(v.input)
			if !ok || got != k {
				t.Fatalf("draw %d, %s: NormalizeActivationKey(%q) = %q, %v; want %q, true", i, v.name, v.input, got, ok, k)
			}
		}
	}
}

func TestFormatActivationKey(t *testing.T) {
	tests := []struct {
		name string
		key  string
		want string
	}{
		{name: "24 characters in six groups", key: "K7QX3MPA9ZZR4TBCHD2E0WNS", want: "K7QX-3MPA-9ZZR-4TBC-HD2E-0WNS"},
		{name: "partial last group", key: "K7QX3MPA9Z", want: "K7QX-3MPA-9Z"},
		{name: "one group", key: "K7QX", want: "K7QX"},
		{name: "empty", key: "", want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := domain.FormatActivationKey(tc.key); got != tc.want {
				t.Errorf("FormatActivationKey(%q) = %q, want %q", tc.key, got, tc.want)
			}
		})
	}
}

func TestNormalizeActivationKey(t *testing.T) {
	tests := []struct {
		name   string
		input  string
		want   string
		wantOK bool
	}{
		{name: "grouped", input: "K7QX-3MPA-9ZZR-4TBC-HD2E-0WNS", want: "K7QX3MPA9ZZR4TBCHD2E0WNS", wantOK: true},
		{name: "lower case", input: "k7qx-3mpa-9zzr-4tbc-hd2e-0wns", want: "K7QX3MPA9ZZR4TBCHD2E0WNS", wantOK: true},
		{name: "spaces", input: "k7qx 3mpa 9zzr 4tbc hd2e 0wns", want: "K7QX3MPA9ZZR4TBCHD2E0WNS", wantOK: true},
		{name: "no separators", input: "k7qx3mpa9zzr4tbchd2e0wns", want: "K7QX3MPA9ZZR4TBCHD2E0WNS", wantOK: true},
		{name: "20 characters, shortest migrated key", input: "ABCD-EFGH-JKMN-PQRS-TVWX", want: "ABCDEFGHJKMNPQRSTVWX", wantOK: true},
		{name: "64 characters, longest migrated key", input: strings.Repeat("A1", 32), want: strings.Repeat("A1", 32), wantOK: true},
		{name: "empty", input: "", wantOK: false},
		{name: "only separators", input: "---- ----", wantOK: false},
		{name: "19 characters", input: "ABCD-EFGH-JKMN-PQRS-TVW", wantOK: false},
		{name: "too short after removing separators", input: "K7QX-3MPA-9ZZR", wantOK: false},
		{name: "65 characters", input: strings.Repeat("A", 65), wantOK: false},
		{name: "underscore", input: "K7QX_3MPA_9ZZR_4TBC_HD2E_0WNS", wantOK: false},
		{name: "dots", input: "K7QX.3MPA.9ZZR.4TBC.HD2E.0WNS", wantOK: false},
		{name: "slash", input: "K7QX/3MPA/9ZZR/4TBC/HD2E/0WNS", wantOK: false},
		{name: "accented letter", input: "K7QX-3MPA-9ZZR-4TBC-HD2E-0WNÉ", wantOK: false},
		{name: "quote", input: "'K7QX-3MPA-9ZZR-4TBC-HD2E-0WNS'", wantOK: false},
		{name: "control character", input: "K7QX-3MPA-9ZZR-4TBC-HD2E-0WNS\x00", wantOK: false},
		{name: "emoji", input: "K7QX-3MPA-9ZZR-4TBC-HD2E-0WN🔑", wantOK: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := domain.NormalizeActivationKey(tc.input)
			if ok != tc.wantOK {
				t.Fatalf("NormalizeActivationKey(%q) ok = %v, want %v (got %q)", tc.input, ok, tc.wantOK, got)
			}
			if tc.wantOK && got != tc.want {
				t.Errorf("NormalizeActivationKey(%q) = %q, want %q", tc.input, got, tc.want)
			}
		})
	}
}
