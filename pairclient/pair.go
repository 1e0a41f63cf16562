// Package pairclient is the reference client of the portal's pairing (PRODUCT.md
// section 13, RFC 8628): what the licensed software does to receive its
// activation key and signed license without anyone copying a key. It is built on
// golang.org/x/oauth2's device flow, to show that any OAuth 2.0 device-flow
// client works with the portal.
package pairclient

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"portal/domain"
)

// The portal's pairing API, under its base address.
const (
	DeviceAuthPath = "/api/v1/pair"
	TokenPath      = "/api/v1/pair/token"
	PublicKeyPath  = "/api/v1/public-key"
)

// Why a pairing did not end with a trusted license. The errors returned wrap one
// of these, so that callers and tests tell them apart without reading text.
var (
	ErrDenied      = errors.New("the customer refused this pairing")
	ErrExpired     = errors.New("the code expired: run again")
	ErrStopped     = errors.New("stopped before the customer answered")
	ErrUnreachable = errors.New("cannot reach the portal")
	ErrRefused     = errors.New("the portal refused")
	ErrUntrusted   = errors.New("the license received cannot be trusted")
)

// Request is what the software says about itself when it asks to be paired.
type Request struct {
	Base     string // the portal's address, such as https://licenses.example.com
	Software string // the software's name, sent as client_id
	Serial   string // the computer's serial number, which the license will name
	Hostname string // shown to the customer, to recognise the computer
	// PublicKey checks the license document; nil fetches it from the portal.
	PublicKey ed25519.PublicKey
	// HTTPClient talks to the portal; nil means one with a 30-second timeout.
	HTTPClient *http.Client
}

// Result is what a pairing brought, its document's signature checked.
type Result struct {
	ActivationKey string
	License       domain.DocumentPayload
	// KeyURL is where the checking public key was fetched; empty when it was given.
	KeyURL string
}

// Pair asks the portal to pair this computer, tells the person on out how to
// approve it (the code, the link and a QR code of it), waits for the answer and
// checks the license received. Cancelling ctx stops the waiting.
func Pair(ctx context.Context, req Request, out io.Writer) (Result, error) {
	base, serial, err := req.check()
	if err != nil {
		return Result{}, err
	}
	client := req.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, client)

	// The key first: a pairing whose answer could not be checked would spend
	// the customer's approval for nothing.
	result := Result{}
	pub := req.PublicKey
	if pub == nil {
		result.KeyURL = base + PublicKeyPath
		if pub, err = fetchPublicKey(ctx, client, result.KeyURL); err != nil {
			return Result{}, err
		}
	}

	config := oauth2.Config{ClientID: req.Software, Endpoint: oauth2.Endpoint{
		DeviceAuthURL: base + DeviceAuthPath,
		TokenURL:      base + TokenPath,
		AuthStyle:     oauth2.AuthStyleInParams,
	}}
	auth, err := config.DeviceAuth(ctx,
		oauth2.SetAuthURLParam("serial", serial), oauth2.SetAuthURLParam("hostname", req.Hostname))
	if err != nil {
		return Result{}, explain(ctx, err, base, "the pairing request")
	}
	if auth.DeviceCode == "" || auth.UserCode == "" || auth.VerificationURI == "" {
		return Result{}, fmt.Errorf("unexpected answer to the pairing request: no device_code, user_code or verification_uri (is %s the portal's address?)", base)
	}
	if err := writePrompt(out, req, serial, auth); err != nil {
		return Result{}, err
	}

	// DeviceAccessToken polls at the interval the portal gave, adds 5 s for
	// good after each slow_down, and stops at expires_in or when ctx ends.
	token, err := config.DeviceAccessToken(ctx, auth)
	if err != nil {
		if ctx.Err() == nil && !auth.Expiry.IsZero() && !time.Now().Before(auth.Expiry) {
			return Result{}, ErrExpired
		}
		return Result{}, explain(ctx, err, base, "the code")
	}
	result.ActivationKey = token.AccessToken
	if result.License, err = checkLicense(token.Extra("license"), pub, serial); err != nil {
		return Result{}, err
	}
	return result, nil
}

// check reads the request's fields as the portal will, and answers the base
// address without a final slash and the serial as the license will name it.
func (req Request) check() (base, serial string, err error) {
	u, err := url.Parse(strings.TrimSpace(req.Base))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", "", fmt.Errorf("the portal's address %q must be an http or https URL", req.Base)
	}
	serial, ok := domain.NormalizeSerial(req.Serial)
	if !ok {
		return "", "", errors.New("the serial must be 1 to 128 printable characters")
	}
	if strings.TrimSpace(req.Software) == "" {
		return "", "", errors.New("the software's name is needed: it is the client_id")
	}
	return strings.TrimRight(u.String(), "/"), serial, nil
}

// checkLicense verifies the signed document of the token's "license" field and
// that it is for serial.
func checkLicense(document any, pub ed25519.PublicKey, serial string) (domain.DocumentPayload, error) {
	if document == nil {
		return domain.DocumentPayload{}, fmt.Errorf("%w: the answer holds no license document", ErrUntrusted)
	}
	// The signature covers the payload's bytes, not the JSON around them, so
	// the document decoded by oauth2 can be encoded again and checked.
	raw, err := json.Marshal(document)
	if err != nil {
		return domain.DocumentPayload{}, fmt.Errorf("%w: %v", ErrUntrusted, err)
	}
	payload, err := domain.Verify(pub, raw)
	if err != nil {
		return domain.DocumentPayload{}, fmt.Errorf("%w: %v", ErrUntrusted, err)
	}
	if payload.Serial != serial {
		return domain.DocumentPayload{}, fmt.Errorf("%w: it is for serial %q, not %q", ErrUntrusted, payload.Serial, serial)
	}
	return payload, nil
}

// explain turns what the portal or the network answered into one of the errors
// above; what names what was asked for.
func explain(ctx context.Context, err error, base, what string) error {
	if ctx.Err() != nil {
		return ErrStopped
	}
	var refused *oauth2.RetrieveError
	if errors.As(err, &refused) {
		switch refused.ErrorCode {
		case "access_denied":
			return ErrDenied
		case "expired_token":
			return ErrExpired
		}
		return fmt.Errorf("%w %s: %s", ErrRefused, what, describe(refused))
	}
	var network *url.Error
	if errors.As(err, &network) {
		return fmt.Errorf("%w at %s: %v", ErrUnreachable, base, network.Err)
	}
	return fmt.Errorf("unexpected answer to %s: %v (is %s the portal's address?)", what, err, base)
}

// describe says what the portal answered: its error code and description, or
// the HTTP status when it sent neither.
func describe(e *oauth2.RetrieveError) string {
	s := e.ErrorCode
	if e.ErrorDescription != "" {
		s += ": " + e.ErrorDescription
	}
	if s == "" && e.Response != nil {
		s = e.Response.Status
	}
	return s
}
