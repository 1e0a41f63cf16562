package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/domain"
)

// pairingKept is how long past its expiry a pairing stays: the software's
// last polls get "expired_token" rather than "invalid_grant".
const pairingKept = time.Hour

const upsertPairingSQL = `INSERT INTO pairings (device_hash, user_hash, value, keep_until) VALUES ($1, $2, $3, $4)
	ON CONFLICT (device_hash) DO UPDATE SET value = excluded.value`

func pairingValues(p domain.Pairing) ([]any, error) {
	value, err := json.Marshal(p)
	return []any{p.DeviceHash, p.UserHash, value, p.Expires.Add(pairingKept)}, err
}

func savePairing(ctx context.Context, tx pgx.Tx, p domain.Pairing) error {
	values, err := pairingValues(p)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, upsertPairingSQL, values...)
	return err
}

// CreatePairing stores a new pairing; a user code that a live pairing holds
// already answers a conflict (the caller draws another).
func (s *Store) CreatePairing(ctx context.Context, p domain.Pairing) error {
	err := s.tx(ctx, func(tx pgx.Tx) error { return savePairing(ctx, tx, p) })
	if uniqueViolation(err, "pairings_user_hash_unique") {
		return domain.Conflictf("this user code is in use")
	}
	if err != nil {
		return fmt.Errorf("storage: create pairing: %w", err)
	}
	return nil
}

func queryPairing(ctx context.Context, q querier, sql, hash string) (domain.Pairing, bool, error) {
	var p domain.Pairing
	var raw []byte
	err := q.QueryRow(ctx, sql, hash).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, false, nil
	}
	if err != nil {
		return p, false, err
	}
	return p, true, json.Unmarshal(raw, &p)
}

// PairingByUserCode answers the pairing whose user code hashes to userHash.
func (s *Store) PairingByUserCode(ctx context.Context, userHash string) (domain.Pairing, bool, error) {
	if !storable(userHash) {
		return domain.Pairing{}, false, nil
	}
	p, found, err := queryPairing(ctx, s.pool, `SELECT value FROM pairings WHERE user_hash = $1`, userHash)
	if err != nil {
		return domain.Pairing{}, false, fmt.Errorf("storage: pairing: %w", err)
	}
	return p, found, nil
}

// PollPairing is the software's poll at now (domain.Pairing.Poll), stored
// with what it changed, its row locked so that polls from two instances take
// turns; found is false for a device code that names none. When the poll
// collects the approval, deliver makes the answer before the pairing is
// stored as collected: if it fails, the approval stays for the next poll.
func (s *Store) PollPairing(ctx context.Context, deviceHash string, now time.Time, deliver func(domain.Pairing) error) (p domain.Pairing, outcome domain.PollOutcome, found bool, err error) {
	if !storable(deviceHash) {
		return domain.Pairing{}, "", false, nil
	}
	err = s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		p, found, err = queryPairing(ctx, tx, `SELECT value FROM pairings WHERE device_hash = $1 FOR UPDATE`, deviceHash)
		if err != nil || !found {
			return err
		}
		if outcome = p.Poll(now); outcome == domain.PollToken {
			if err := deliver(p); err != nil {
				return err
			}
		}
		return savePairing(ctx, tx, p)
	})
	if err != nil {
		return domain.Pairing{}, "", false, fmt.Errorf("storage: poll pairing: %w", err)
	}
	return p, outcome, found, nil
}

// lockPendingPairing locks the pairing of userHash when a person may still
// decide it at now; otherwise domain.ErrPairingGone.
func lockPendingPairing(ctx context.Context, tx pgx.Tx, userHash string, now time.Time) (domain.Pairing, error) {
	if !storable(userHash) {
		return domain.Pairing{}, domain.ErrPairingGone
	}
	p, found, err := queryPairing(ctx, tx, `SELECT value FROM pairings WHERE user_hash = $1 FOR UPDATE`, userHash)
	if err == nil && (!found || !p.Decidable(now)) {
		err = domain.ErrPairingGone
	}
	return p, err
}

// ApprovePairing runs approve on the pending pairing of userHash and the order
// ref, and writes both in one transaction: the licenses bound, their history,
// the pairing approved. A pairing that is gone, expired or decided answers
// domain.ErrPairingGone; approve's own refusal is answered as it is.
func (s *Store) ApprovePairing(ctx context.Context, userHash, ref string, now time.Time, approve func(p *domain.Pairing, u *domain.OrderUpdate) error) (domain.Pairing, error) {
	var p domain.Pairing
	var refused error
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if p, err = lockPendingPairing(ctx, tx, userHash, now); err != nil {
			return err
		}
		u, found, err := loadOrderUpdate(ctx, tx, ref)
		if err != nil {
			return err
		}
		if !found {
			refused = domain.ErrNotFound
			return refused
		}
		before, stored := u.Order, map[string]domain.License{}
		for _, l := range u.Licenses {
			stored[l.ID] = l
		}
		if refused = approve(&p, u); refused != nil {
			return refused
		}
		if err := writeOrderUpdate(ctx, tx, before, u, stored); err != nil {
			return err
		}
		return savePairing(ctx, tx, p)
	})
	switch {
	case refused != nil:
		return domain.Pairing{}, refused
	case errors.Is(err, domain.ErrPairingGone):
		return domain.Pairing{}, err
	case err != nil:
		return domain.Pairing{}, fmt.Errorf("storage: approve pairing: %w", err)
	}
	return p, nil
}

// DenyPairing refuses the pending pairing of userHash, for email.
func (s *Store) DenyPairing(ctx context.Context, userHash, email string, now time.Time) (domain.Pairing, error) {
	var p domain.Pairing
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if p, err = lockPendingPairing(ctx, tx, userHash, now); err != nil {
			return err
		}
		p.Status, p.Email = domain.PairingDenied, email
		return savePairing(ctx, tx, p)
	})
	if errors.Is(err, domain.ErrPairingGone) {
		return domain.Pairing{}, err
	}
	if err != nil {
		return domain.Pairing{}, fmt.Errorf("storage: deny pairing: %w", err)
	}
	return p, nil
}
