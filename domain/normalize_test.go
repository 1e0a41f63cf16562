package domain_test

import (
	"strings"
	"testing"

	"portal/domain"
)

func TestNormalizeReference(t *testing.T) {
	tests := []struct {
		name   string
		input  string
		want   string
		wantOK bool
	}{
		{name: "lower case with a space", input: "jwt 100234", want: "JWT100234", wantOK: true},
		{name: "surrounding spaces", input: " JWT100234 ", want: "JWT100234", wantOK: true},
		{name: "hyphen", input: "jwt-100234", want: "JWT100234", wantOK: true},
		{name: "spaces inside the digits", input: "JWT 100 234", want: "JWT100234", wantOK: true},
		{name: "already stored form", input: "JWT100234", want: "JWT100234", wantOK: true},
		{name: "mixed case", input: "jWt100234", want: "JWT100234", wantOK: true},
		{name: "tab and newline", input: "\tJWT\n100234\n", want: "JWT100234", wantOK: true},
		{name: "non-breaking space", input: "JWT\u00a0100234", want: "JWT100234", wantOK: true},
		{name: "other prefix", input: "ab12", want: "AB12", wantOK: true},
		{name: "one letter one digit", input: "A1", want: "A1", wantOK: true},
		{name: "15 digits is the most", input: "JWT" + strings.Repeat("1", 15), want: "JWT" + strings.Repeat("1", 15), wantOK: true},
		{name: "16 digits could overflow new references", input: "JWT" + strings.Repeat("1", 16), want: "JWT" + strings.Repeat("1", 16), wantOK: false},
		{name: "empty", input: "", wantOK: false},
		{name: "only spaces", input: "   ", wantOK: false},
		{name: "digits only", input: "100234", wantOK: false},
		{name: "letters only", input: "JWT", wantOK: false},
		{name: "letter after digits", input: "JWT12A", wantOK: false},
		{name: "digits before letters", input: "100234JWT", wantOK: false},
		{name: "punctuation", input: "JWT.100234", wantOK: false},
		{name: "underscore", input: "JWT_100234", wantOK: false},
		{name: "slash", input: "JWT/100234", wantOK: false},
		{name: "accented letter", input: "JWÉ100234", wantOK: false},
		{name: "33 characters", input: "JWT" + strings.Repeat("1", 30), wantOK: false},
		{name: "very long", input: "JWT" + strings.Repeat("1", 10_000), wantOK: false},
		{name: "prefix of 11 letters", input: "ABCDEFGHIJK1", wantOK: false},
		{name: "two groups of letters", input: "JWT12JWT34", wantOK: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := domain.NormalizeReference(tc.input)
			if ok != tc.wantOK {
				t.Fatalf("NormalizeReference(%q) ok = %v, want %v (got %q)", tc.input, ok, tc.wantOK, got)
			}
			if tc.wantOK && got != tc.want {
				t.Errorf("NormalizeReference(%q) = %q, want %q", tc.input, got, tc.want)
			}
		})
	}
}

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		name   string
		input  string
		want   string
		wantOK bool
	}{
		{name: "plain", input: "marie@acme.example", want: "marie@acme.example", wantOK: true},
		{name: "trimmed", input: "  marie@acme.example \t\n", want: "marie@acme.example", wantOK: true},
		{name: "upper case", input: "MARIE@ACME.EXAMPLE", want: "marie@acme.example", wantOK: true},
		{name: "mixed case and spaces", input: " Marie.Dupont@Acme.Example ", want: "marie.dupont@acme.example", wantOK: true},
		{name: "plus tag", input: "marie+portal@acme.example", want: "marie+portal@acme.example", wantOK: true},
		{name: "subdomain", input: "m@mail.acme.co.uk", want: "m@mail.acme.co.uk", wantOK: true},
		{name: "254 characters is the longest", input: strings.Repeat("a", 64) + "@" + strings.Repeat("b", 184) + ".test", want: strings.Repeat("a", 64) + "@" + strings.Repeat("b", 184) + ".test", wantOK: true},
		{name: "empty", input: "", wantOK: false},
		{name: "spaces only", input: "   ", wantOK: false},
		{name: "no at sign", input: "marie.acme.example", wantOK: false},
		{name: "nothing before the at sign", input: "@acme.example", wantOK: false},
		{name: "nothing after the at sign", input: "marie@", wantOK: false},
		{name: "no dot in the domain", input: "marie@acme", wantOK: false},
		{name: "two at signs", input: "marie@dupont@acme.example", wantOK: false},
		{name: "space inside", input: "marie dupont@acme.example", wantOK: false},
		{name: "tab inside", input: "marie\t@acme.example", wantOK: false},
		{name: "control character", input: "marie\x00@acme.example", wantOK: false},
		{name: "display name form", input: "Marie <marie@acme.example>", wantOK: false},
		{name: "two addresses", input: "marie@acme.example, bob@acme.example", wantOK: false},
		{name: "255 characters", input: strings.Repeat("a", 64) + "@" + strings.Repeat("b", 185) + ".test", wantOK: false},
		// A domain must be made of labels: a dot alone, or empty labels, are not one.
		{name: "domain is only a dot", input: "marie@.", wantOK: false},
		{name: "domain starts with a dot", input: "marie@.example", wantOK: false},
		{name: "empty label inside the domain", input: "marie@acme..example", wantOK: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := domain.NormalizeEmail(tc.input)
			if ok != tc.wantOK {
				t.Fatalf("NormalizeEmail(%q) ok = %v, want %v (got %q)", tc.input, ok, tc.wantOK, got)
			}
			if tc.wantOK && got != tc.want {
				t.Errorf("NormalizeEmail(%q) = %q, want %q", tc.input, got, tc.want)
			}
		})
	}
}
