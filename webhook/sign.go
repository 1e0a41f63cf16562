// Package webhook delivers the portal's outbound events to the vendor's
// endpoints, after the Standard Webhooks specification: a POST with the
// headers webhook-id, webhook-timestamp and webhook-signature.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"portal/domain"
)

// Signature is the webhook-signature header of body for the delivery of
// event id at: "v1,<base64 HMAC-SHA256 of id.timestamp.body>" for each secret
// that signs, separated by spaces (during a rotation the receiver may know
// either secret).
func Signature(secrets []string, id string, at time.Time, body []byte) string {
	signed := id + "." + strconv.FormatInt(at.Unix(), 10) + "." + string(body)
	var sigs []string
	for _, secret := range secrets {
		key, ok := domain.WebhookKey(secret)
		if !ok {
			continue
		}
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(signed))
		sigs = append(sigs, "v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	}
	return strings.Join(sigs, " ")
}
