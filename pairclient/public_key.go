package pairclient

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"portal/domain"
)

// fetchPublicKey reads the key that checks license documents from the portal's
// GET /api/v1/public-key: {"alg": "ed25519", "public_key": "<base64>"}. Software
// sold to customers carries this key inside itself instead; fetching it shows
// that the document was not changed on the way, not who the portal is.
func fetchPublicKey(ctx context.Context, client *http.Client, keyURL string) (ed25519.PublicKey, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, keyURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, explain(ctx, err, keyURL, "the public key")
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w the public key at %s: %s (is it the portal's address?)", ErrRefused, keyURL, resp.Status)
	}
	var answer struct {
		Alg       string `json:"alg"`
		PublicKey string `json:"public_key"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&answer); err != nil {
		return nil, fmt.Errorf("unexpected answer from %s: %v", keyURL, err)
	}
	if answer.Alg != domain.DocumentAlg {
		return nil, fmt.Errorf("unexpected answer from %s: algorithm %q, not %q", keyURL, answer.Alg, domain.DocumentAlg)
	}
	pub, err := domain.ParsePublicKey(answer.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("unexpected answer from %s: %v", keyURL, err)
	}
	return pub, nil
}
