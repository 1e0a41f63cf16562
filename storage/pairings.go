package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

// A pairing is kept under the hash of its device code, and found from the
// hash of its user code, until a little after it expires.

func pairingKey(deviceHash string) string   { return prefixPairing + deviceHash }
func pairingUserKey(userHash string) string { return prefixPairingUser + userHash }

// pairingKept is how long past its expiry a pairing stays: the software's
// last polls get "expired_token" rather than "invalid_grant".
const pairingKept = time.Hour

// putPairing stores p at now (the caller's clock) until pairingKept after it expires.
func putPairing(txn *badger.Txn, p domain.Pairing, now time.Time) error {
	until := p.Expires.Add(pairingKept)
	if err := setWithTTL(txn, pairingKey(p.DeviceHash), p, now, until); err != nil {
		return err
	}
	return txn.SetEntry(badger.NewEntry([]byte(pairingUserKey(p.UserHash)), []byte(p.DeviceHash)).WithTTL(ttl(now, until)))
}

// CreatePairing stores a new pairing; a user code that a live pairing holds
// already answers a conflict (the caller draws another).
func (s *Store) CreatePairing(ctx context.Context, p domain.Pairing) error {
	var taken bool
	err := s.update(ctx, func(txn *badger.Txn) error {
		var err error
		if taken, err = exists(txn, pairingUserKey(p.UserHash)); err != nil || taken {
			return err
		}
		return putPairing(txn, p, p.Requested)
	})
	if err != nil {
		return fmt.Errorf("storage: create pairing: %w", err)
	}
	if taken {
		return domain.Conflictf("this user code is in use")
	}
	return nil
}

func pairingByUser(txn *badger.Txn, userHash string) (domain.Pairing, bool, error) {
	device, found, err := getString(txn, pairingUserKey(userHash))
	if err != nil || !found {
		return domain.Pairing{}, false, err
	}
	var p domain.Pairing
	found, err = getJSON(txn, pairingKey(device), &p)
	return p, found, err
}

// PairingByUserCode answers the pairing whose user code hashes to userHash.
func (s *Store) PairingByUserCode(ctx context.Context, userHash string) (domain.Pairing, bool, error) {
	type answer struct {
		p     domain.Pairing
		found bool
	}
	a, err := read(s, "pairing", func(txn *badger.Txn) (answer, error) {
		p, found, err := pairingByUser(txn, userHash)
		return answer{p, found}, err
	})
	if err != nil {
		return domain.Pairing{}, false, fmt.Errorf("storage: pairing: %w", err)
	}
	return a.p, a.found, nil
}

// PollPairing is the software's poll at now (domain.Pairing.Poll), stored
// with what it changed; found is false for a device code that names none.
// When the poll collects the approval, deliver makes the answer before the
// pairing is stored as collected: if it fails, the approval stays for the
// next poll.
func (s *Store) PollPairing(ctx context.Context, deviceHash string, now time.Time, deliver func(domain.Pairing) error) (p domain.Pairing, outcome domain.PollOutcome, found bool, err error) {
	err = s.update(ctx, func(txn *badger.Txn) error {
		p, outcome = domain.Pairing{}, ""
		if found, err = getJSON(txn, pairingKey(deviceHash), &p); err != nil || !found {
			return err
		}
		if outcome = p.Poll(now); outcome == domain.PollToken {
			if err := deliver(p); err != nil {
				return err
			}
		}
		return putPairing(txn, p, now)
	})
	if err != nil {
		return domain.Pairing{}, "", false, fmt.Errorf("storage: poll pairing: %w", err)
	}
	return p, outcome, found, nil
}

// ApprovePairing runs approve on the pending pairing of userHash and the order
// ref, and writes both in one transaction: the licenses bound, their history,
// the pairing approved. A pairing that is gone, expired or decided answers
// domain.ErrPairingGone; approve's own refusal is answered as it is.
func (s *Store) ApprovePairing(ctx context.Context, userHash, ref string, now time.Time, approve func(p *domain.Pairing, u *domain.OrderUpdate) error) (domain.Pairing, error) {
	var p domain.Pairing
	var refused error
	err := s.update(ctx, func(txn *badger.Txn) error {
		var found bool
		var err error
		if p, found, err = pairingByUser(txn, userHash); err != nil {
			return err
		}
		if !found || !p.Decidable(now) {
			refused = domain.ErrPairingGone
			return errReadOnly
		}
		changeErr, err := changeOrderIn(txn, ref, func(u *domain.OrderUpdate) error { return approve(&p, u) })
		if refused = changeErr; changeErr != nil {
			return errReadOnly
		}
		if err != nil && !errors.Is(err, errReadOnly) {
			return err
		}
		return putPairing(txn, p, now)
	})
	if refused != nil {
		return domain.Pairing{}, refused
	}
	if err != nil {
		return domain.Pairing{}, fmt.Errorf("storage: approve pairing: %w", err)
	}
	return p, nil
}

// DenyPairing refuses the pending pairing of userHash, for email.
func (s *Store) DenyPairing(ctx context.Context, userHash, email string, now time.Time) (domain.Pairing, error) {
	var p domain.Pairing
	var refused error
	err := s.update(ctx, func(txn *badger.Txn) error {
		var found bool
		var err error
		if p, found, err = pairingByUser(txn, userHash); err != nil {
			return err
		}
		if !found || !p.Decidable(now) {
			refused = domain.ErrPairingGone
			return errReadOnly
		}
		p.Status, p.Email = domain.PairingDenied, email
		return putPairing(txn, p, now)
	})
	if refused != nil {
		return domain.Pairing{}, refused
	}
	if err != nil {
		return domain.Pairing{}, fmt.Errorf("storage: deny pairing: %w", err)
	}
	return p, nil
}
