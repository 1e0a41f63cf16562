package domain_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"portal/domain"
)

func signedDocument(t *testing.T, key ed25519.PrivateKey) []byte {
	t.Helper()
	l := domain.License{ID: "JWT100234-1", Software: "Remote Work", Edition: "Standard", Users: 5,
		SupportStart: time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), SupportEnd: time.Date(2027, 3, 14, 0, 0, 0, 0, time.UTC), Version: 3}
	doc, err := domain.Sign(key, domain.NewDocumentPayload(domain.DocKindLicense, "JWT100234", "PC-1", []domain.License{l}, bindNow))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(doc)
	return raw
}

func TestSignAndVerify(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	raw := signedDocument(t, key)

	p, err := domain.Verify(pub, raw)
	if err != nil {
		t.Fatal(err)
	}
	want := domain.DocumentLicense{ID: "JWT100234-1", Software: "Remote Work", Edition: "Standard", Users: 5,
		SupportStart: "2026-03-14", SupportEnd: "2027-03-14", Version: 3}
	if p.OrderRef != "JWT100234" || p.Serial != "PC-1" || !p.IssuedAt.Equal(bindNow) || len(p.Licenses) != 1 || p.Licenses[0] != want {
		t.Errorf("payload %+v", p)
	}

	// The format of the contract: alg, and standard base64 of the exact payload
	// bytes and of a 64-byte signature over them.
	var doc map[string]string
	json.Unmarshal(raw, &doc)
	payload, err1 := base64.StdEncoding.DecodeString(doc["payload"])
	sig, err2 := base64.StdEncoding.DecodeString(doc["signature"])
	if doc["alg"] != "ed25519" || err1 != nil || err2 != nil || !ed25519.Verify(pub, payload, sig) {
		t.Errorf("document %s is not ed25519 over the payload bytes", raw)
	}
	var fields map[string]any
	if err := json.Unmarshal(payload, &fields); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"order_ref", "serial", "issued_at", "licenses"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("payload lacks %q", k)
		}
	}
}

func TestVerifyRefuses(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	_, otherKey, _ := ed25519.GenerateKey(rand.Reader)
	raw := signedDocument(t, key)
	var doc domain.LicenseDocument
	json.Unmarshal(raw, &doc)

	reencode := func(change func(d *domain.LicenseDocument)) []byte {
		d := doc
		change(&d)
		b, _ := json.Marshal(d)
		return b
	}
	flipPayloadBit := func(bit int) []byte {
		return reencode(func(d *domain.LicenseDocument) {
			payload, _ := base64.StdEncoding.DecodeString(d.Payload)
			payload[bit/8] ^= 1 << (bit % 8)
			d.Payload = base64.StdEncoding.EncodeToString(payload)
		})
	}
	cases := []struct {
		name string
		raw  []byte
		want string
	}{
		{"one payload bit changed", flipPayloadBit(100), "does not match"},
		{"another payload bit changed", flipPayloadBit(7), "does not match"},
		{"one signature bit changed", reencode(func(d *domain.LicenseDocument) {
			sig, _ := base64.StdEncoding.DecodeString(d.Signature)
			sig[0] ^= 1
			d.Signature = base64.StdEncoding.EncodeToString(sig)
		}), "does not match"},
		{"signed by another key", signedDocument(t, otherKey), "does not match"},
		{"users raised in the payload", reencode(func(d *domain.LicenseDocument) {
			payload, _ := base64.StdEncoding.DecodeString(d.Payload)
			d.Payload = base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(payload), `"users":5`, `"users":50`, 1)))
		}), "does not match"},
		{"other algorithm", reencode(func(d *domain.LicenseDocument) { d.Alg = "none" }), "unsupported"},
		{"payload not base64", reencode(func(d *domain.LicenseDocument) { d.Payload = "%%%" }), "base64"},
		{"signature too short", reencode(func(d *domain.LicenseDocument) { d.Signature = "AAAA" }), "signature"},
		{"not JSON", []byte("hello"), "not a license document"},
		{"another JSON object", []byte(`{"name":"x"}`), "not a license document"},
		{"empty", nil, "not a license document"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := domain.Verify(pub, tc.raw)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want %q", err, tc.want)
			}
		})
	}
}

func TestParsePublicKey(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	b64 := base64.StdEncoding.EncodeToString(pub)
	t.Run("OK", func(t *testing.T) {
		got, err := domain.ParsePublicKey(" " + b64 + "\n")
		if err != nil || !got.Equal(pub) {
			t.Fatalf("got %x, %v; want %x", got, err, pub)
		}
	})
	urlSafe := make([]byte, ed25519.PublicKeySize)
	urlSafe[0], urlSafe[1] = 0xfb, 0xff // "-_8A…" in URL-safe base64, which is not the standard one
	for name, in := range map[string]string{
		"NotBase64": "not a key!",
		"TooShort":  base64.StdEncoding.EncodeToString(pub[:31]),
		"URLBase64": base64.URLEncoding.EncodeToString(urlSafe),
		"Empty":     "",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := domain.ParsePublicKey(in); err == nil {
				t.Errorf("%q accepted", in)
			}
		})
	}
}
