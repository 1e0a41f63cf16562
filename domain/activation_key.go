package domain

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"strings"
	"unicode"
)

// keyAlphabet is Crockford's base32: no I, L, O or U, so a key read aloud or
// typed from paper is not misread.
const keyAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

var keyEncoding = base32.NewEncoding(keyAlphabet).WithPadding(base32.NoPadding)

// keyBytes is 15 random bytes: 120 bits of entropy, 24 characters.
const keyBytes = 15

// NewActivationKey returns a fresh random key in its stored form (24 characters,
// no separators). It comes from crypto/rand alone, so it cannot be derived from
// the order reference or the email.
func NewActivationKey() string {
	b := make([]byte, keyBytes)
	rand.Read(b) // never returns an error; it panics if the system's source fails
	return keyEncoding.EncodeToString(b)
}

// NormalizeActivationKey turns a key as typed or pasted ("k7qx-3mpa …") into its stored
// form: upper case letters and digits only. ok is false when what is left is too short
// to be a key or holds other characters.
func NormalizeActivationKey(input string) (key string, ok bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(input) {
		switch {
		case r == '-' || unicode.IsSpace(r):
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	key = b.String()
	return key, len(key) >= 20 && len(key) <= 64
}

// FormatActivationKey groups a stored key by four characters for reading: K7QX-3MPA-….
func FormatActivationKey(key string) string {
	var b strings.Builder
	for i, r := range key {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// SameKey compares two activation keys in stored form in constant time, so that
// the time of a wrong guess tells nothing about the right key.
func SameKey(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
