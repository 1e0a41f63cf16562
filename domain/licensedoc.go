package domain

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// DocumentAlg is the only signature algorithm of license documents.
const DocumentAlg = "ed25519"

// Document kinds: the license itself, or its support and update services (the
// support.lic file of older releases).
const (
	DocKindLicense = "license"
	DocKindSupport = "support"
)

// LicenseDocument is what the licensed software receives and checks offline: the
// payload's exact bytes and an Ed25519 signature over them, both in standard base64.
type LicenseDocument struct {
	Alg       string `json:"alg"`
	Payload   string `json:"payload"`
	Signature string `json:"signature"`
}

// DocumentPayload is what a license document says.
type DocumentPayload struct {
	Kind     string            `json:"kind"`
	OrderRef string            `json:"order_ref"`
	Serial   string            `json:"serial"`
	IssuedAt time.Time         `json:"issued_at"`
	Licenses []DocumentLicense `json:"licenses"`
}

// DocumentLicense is one license inside a document.
type DocumentLicense struct {
	ID           string `json:"id"`
	Software     string `json:"software"`
	Edition      string `json:"edition"`
	Users        int    `json:"users"`
	SupportStart string `json:"support_start"`
	SupportEnd   string `json:"support_end"`
	Version      int    `json:"version"`
}

// NewDocumentPayload describes licenses of order ref for serial at now.
func NewDocumentPayload(kind, ref, serial string, licenses []License, now time.Time) DocumentPayload {
	p := DocumentPayload{Kind: kind, OrderRef: ref, Serial: serial, IssuedAt: now.UTC().Truncate(time.Second)}
	for _, l := range licenses {
		p.Licenses = append(p.Licenses, DocumentLicense{
			ID: l.ID, Software: l.Software, Edition: l.Edition, Users: l.Users,
			SupportStart: l.SupportStart.UTC().Format(DateLayout),
			SupportEnd:   l.SupportEnd.UTC().Format(DateLayout),
			Version:      l.Version,
		})
	}
	return p
}

// Sign makes the signed document of p with key.
func Sign(key ed25519.PrivateKey, p DocumentPayload) (LicenseDocument, error) {
	payload, err := json.Marshal(p)
	if err != nil {
		return LicenseDocument{}, err
	}
	return LicenseDocument{
		Alg:       DocumentAlg,
		Payload:   base64.StdEncoding.EncodeToString(payload),
		Signature: base64.StdEncoding.EncodeToString(ed25519.Sign(key, payload)),
	}, nil
}

// Verify checks a document's signature with pub and returns its payload. It
// refuses anything but a well-formed, correctly signed ed25519 document.
func Verify(pub ed25519.PublicKey, raw []byte) (DocumentPayload, error) {
	var doc LicenseDocument
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return DocumentPayload{}, fmt.Errorf("not a license document: %s", jsonProblem(err))
	}
	if dec.More() {
		return DocumentPayload{}, errors.New("not a license document: extra data after the JSON object")
	}
	if doc.Alg != DocumentAlg {
		return DocumentPayload{}, fmt.Errorf("unsupported signature algorithm %q", doc.Alg)
	}
	payload, err := base64.StdEncoding.Strict().DecodeString(doc.Payload)
	if err != nil {
		return DocumentPayload{}, errors.New("the payload is not standard base64")
	}
	sig, err := base64.StdEncoding.Strict().DecodeString(doc.Signature)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return DocumentPayload{}, errors.New("the signature is not a base64 Ed25519 signature")
	}
	if len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, payload, sig) {
		return DocumentPayload{}, errors.New("the signature does not match: the document was changed or signed by another key")
	}
	var p DocumentPayload
	if err := json.Unmarshal(payload, &p); err != nil {
		return DocumentPayload{}, fmt.Errorf("the signed payload is not a license: %s", jsonProblem(err))
	}
	return p, nil
}

// ParsePublicKey reads the key that checks documents, in the standard base64 that
// GET /api/v1/public-key answers, so that every checker reads it the same way.
func ParsePublicKey(b64 string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("not the standard base64 of a 32-byte Ed25519 public key")
	}
	return b, nil
}
