package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

// Mailed links live under the hash of their token until they expire or are
// used; email changes are kept a month after they were asked, for staff.

func mailLinkKey(tokenHash string) string { return prefixMailLink + tokenHash }
func emailChangeKey(id string) string     { return prefixEmailChange + id }

// emailChangeKept is how long a settled or expired request is kept.
const emailChangeKept = 30 * 24 * time.Hour

// setWithTTL stores v under key until the instant until, as the caller's
// clock (now) counts: Badger's expiry runs on the wall clock, so the entry
// lives until.Sub(now) from this moment. Measured against the wall clock
// instead, an entry made under any other clock (a test's, or one set off by
// an operator) lived a second, and a sign-in link was used up before anyone
// clicked it.
func setWithTTL(txn *badger.Txn, key string, v any, now, until time.Time) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return txn.SetEntry(badger.NewEntry([]byte(key), b).WithTTL(ttl(now, until)))
}

// ttl is how long from now an entry that expires at until lives, a second at least.
func ttl(now, until time.Time) time.Duration { return max(until.Sub(now), time.Second) }

// CreateMailLink stores a mailed link under the hash of its token, with the
// mails that carry it, in one transaction.
func (s *Store) CreateMailLink(ctx context.Context, tokenHash string, link domain.MailLink, mails []domain.Mail) error {
	err := s.update(ctx, func(txn *badger.Txn) error {
		if err := setWithTTL(txn, mailLinkKey(tokenHash), link, link.Created, link.Expires); err != nil {
			return err
		}
		return queueMails(txn, mails)
	})
	if err != nil {
		return fmt.Errorf("storage: create mail link: %w", err)
	}
	return nil
}

// MailLink answers the live link stored under tokenHash, without using it.
func (s *Store) MailLink(ctx context.Context, tokenHash string, now time.Time) (domain.MailLink, bool, error) {
	l, found, err := lookup[domain.MailLink](s, mailLinkKey(tokenHash))
	if err != nil {
		return domain.MailLink{}, false, fmt.Errorf("storage: mail link: %w", err)
	}
	return l, found && now.Before(l.Expires), nil
}

// useMailLink deletes the link under tokenHash and answers it, when it is
// live and for purpose; otherwise domain.ErrLinkUsed.
func useMailLink(txn *badger.Txn, tokenHash string, purpose domain.LinkPurpose, now time.Time) (domain.MailLink, error) {
	var l domain.MailLink
	found, err := getJSON(txn, mailLinkKey(tokenHash), &l)
	if err != nil {
		return l, err
	}
	if !found || l.Purpose != purpose || !now.Before(l.Expires) {
		return l, domain.ErrLinkUsed
	}
	return l, txn.Delete([]byte(mailLinkKey(tokenHash)))
}

// UseMailLink uses the link under tokenHash once: the first use deletes it.
func (s *Store) UseMailLink(ctx context.Context, tokenHash string, purpose domain.LinkPurpose, now time.Time) (domain.MailLink, error) {
	var l domain.MailLink
	var refused error
	err := s.update(ctx, func(txn *badger.Txn) (err error) {
		l, err = useMailLink(txn, tokenHash, purpose, now)
		if refused = err; errors.Is(err, domain.ErrLinkUsed) {
			return errReadOnly
		}
		return err
	})
	if refused != nil {
		return domain.MailLink{}, refused
	}
	if err != nil {
		return domain.MailLink{}, fmt.Errorf("storage: use mail link: %w", err)
	}
	return l, nil
}

// EmailChange answers the request id.
func (s *Store) EmailChange(ctx context.Context, id string) (domain.EmailChange, bool, error) {
	c, found, err := lookup[domain.EmailChange](s, emailChangeKey(id))
	if err != nil {
		return domain.EmailChange{}, false, fmt.Errorf("storage: email change: %w", err)
	}
	return c, found, nil
}

// RequestEmailChange stores a request with its confirm and cancel links, the
// mails that carry them and, when staff asked, the audit entry: all or nothing.
func (s *Store) RequestEmailChange(ctx context.Context, c domain.EmailChange, confirmHash, cancelHash string, mails []domain.Mail, audit *domain.AuditEntry) error {
	err := s.update(ctx, func(txn *badger.Txn) error {
		links := map[string]domain.LinkPurpose{confirmHash: domain.LinkConfirmEmail, cancelHash: domain.LinkCancelEmail}
		for hash, purpose := range links {
			l := domain.MailLink{Purpose: purpose, Email: c.OldEmail, ChangeID: c.ID, Created: c.Requested, Expires: c.Expires}
			if err := setWithTTL(txn, mailLinkKey(hash), l, c.Requested, c.Expires); err != nil {
				return err
			}
		}
		if err := setWithTTL(txn, emailChangeKey(c.ID), c, c.Requested, c.Requested.Add(emailChangeKept)); err != nil {
			return err
		}
		if audit != nil {
			if err := putAudit(txn, *audit); err != nil {
				return err
			}
		}
		return queueMails(txn, mails)
	})
	if err != nil {
		return fmt.Errorf("storage: request email change: %w", err)
	}
	return nil
}

// ConfirmEmailChange uses a confirm link and, in the same transaction, moves
// every order of the old email (its licenses' history records it) and every
// purchase to the new one, settles the request and queues the mails notice
// makes of it. A used, expired or settled request answers domain.ErrLinkUsed
// and changes nothing.
func (s *Store) ConfirmEmailChange(ctx context.Context, confirmHash string, now time.Time, actor domain.Actor, notice func(domain.EmailChange) []domain.Mail) (domain.EmailChange, error) {
	return s.settleEmailChange(ctx, confirmHash, domain.LinkConfirmEmail, now, func(txn *badger.Txn, c domain.EmailChange) error {
		for _, ref := range keysUnder(txn, emailIndexPrefix(c.OldEmail)) {
			changeErr, err := changeOrderIn(txn, ref, func(u *domain.OrderUpdate) error {
				u.MoveEmail(c.NewEmail, actor, now)
				return nil
			})
			if err = firstErr(changeErr, err); err != nil {
				return err
			}
		}
		for _, id := range keysUnder(txn, purchaseEmailPrefix(c.OldEmail)) {
			var p domain.Purchase
			if found, err := getJSON(txn, purchaseKey(id), &p); err != nil || !found {
				return err
			}
			p.Email = c.NewEmail
			if err := txn.Delete([]byte(purchaseEmailPrefix(c.OldEmail) + id)); err != nil {
				return err
			}
			if err := putPurchase(txn, p); err != nil {
				return err
			}
		}
		return queueMails(txn, notice(c))
	})
}

// CancelEmailChange uses a cancel link: the request ends, nothing moves.
func (s *Store) CancelEmailChange(ctx context.Context, cancelHash string, now time.Time) (domain.EmailChange, error) {
	return s.settleEmailChange(ctx, cancelHash, domain.LinkCancelEmail, now, func(*badger.Txn, domain.EmailChange) error { return nil })
}

// settleEmailChange uses the link, checks its request is still pending, does
// what settling it means and marks it so; its other link is refused from
// then on (the request is no longer pending).
func (s *Store) settleEmailChange(ctx context.Context, hash string, purpose domain.LinkPurpose, now time.Time, settle func(*badger.Txn, domain.EmailChange) error) (domain.EmailChange, error) {
	var c domain.EmailChange
	var refused error
	err := s.update(ctx, func(txn *badger.Txn) error {
		refused = nil
		l, err := useMailLink(txn, hash, purpose, now)
		if err == nil {
			var found bool
			if found, err = getJSON(txn, emailChangeKey(l.ChangeID), &c); err == nil && (!found || !c.Usable(now)) {
				err = domain.ErrLinkUsed
			}
		}
		if errors.Is(err, domain.ErrLinkUsed) {
			refused = err
			return errReadOnly
		}
		if err != nil {
			return err
		}
		if err := settle(txn, c); err != nil {
			return err
		}
		c.Status, c.Settled = domain.EmailChangeCancelled, now.UTC()
		if purpose == domain.LinkConfirmEmail {
			c.Status = domain.EmailChangeConfirmed
			if err := queueEvents(txn, []domain.Event{domain.EmailChangedEvent(c)}); err != nil {
				return err
			}
		}
		return setWithTTL(txn, emailChangeKey(c.ID), c, now, c.Requested.Add(emailChangeKept))
	})
	if refused != nil {
		return domain.EmailChange{}, refused
	}
	if err != nil {
		return domain.EmailChange{}, fmt.Errorf("storage: settle email change: %w", err)
	}
	return c, nil
}
