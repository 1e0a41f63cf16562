package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

// The outbox holds each mail until an SMTP server took it, under its id.

func outboxKey(id string) string { return prefixOutbox + id }

func queueMails(txn *badger.Txn, mails []domain.Mail) error {
	for _, m := range mails {
		if err := setJSON(txn, outboxKey(m.ID), m); err != nil {
			return err
		}
	}
	return nil
}

// QueueMail puts mails in the outbox.
func (s *Store) QueueMail(ctx context.Context, mails ...domain.Mail) error {
	if err := s.update(ctx, func(txn *badger.Txn) error { return queueMails(txn, mails) }); err != nil {
		return fmt.Errorf("storage: queue mail: %w", err)
	}
	return nil
}

// ClaimMails takes at most limit mails whose next attempt is due at now, and
// counts the attempt: each is not due again until lease has passed, so that
// a sender that stops half-way leaves it to the next one, and two senders
// never take the same mail at once.
func (s *Store) ClaimMails(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]domain.Mail, error) {
	var claimed []domain.Mail
	err := s.update(ctx, func(txn *badger.Txn) error {
		claimed = claimed[:0]
		return scan(txn, prefixOutbox, false, func(m domain.Mail) (bool, error) {
			if m.NextAttempt.After(now) {
				return true, nil
			}
			m.Attempts++
			m.NextAttempt = now.Add(lease)
			claimed = append(claimed, m)
			return len(claimed) < limit, setJSON(txn, outboxKey(m.ID), m)
		})
	})
	if err != nil {
		return nil, fmt.Errorf("storage: claim mails: %w", err)
	}
	return claimed, nil
}

// RemoveMail takes a mail out of the outbox: sent, or given up.
func (s *Store) RemoveMail(ctx context.Context, id string) error {
	if err := s.deleteKey(ctx, outboxKey(id)); err != nil {
		return fmt.Errorf("storage: remove mail: %w", err)
	}
	return nil
}

// MailFailed sets when a mail that could not be sent is tried again.
func (s *Store) MailFailed(ctx context.Context, id string, next time.Time) error {
	err := s.update(ctx, func(txn *badger.Txn) error {
		var m domain.Mail
		if found, err := getJSON(txn, outboxKey(id), &m); err != nil || !found {
			return err
		}
		m.NextAttempt = next
		return setJSON(txn, outboxKey(id), m)
	})
	if err != nil {
		return fmt.Errorf("storage: mail failed: %w", err)
	}
	return nil
}

// OutboxDepth counts the mails in the outbox, due or waiting for a retry, for
// the metrics. Keys alone are read: no value is decoded.
func (s *Store) OutboxDepth(ctx context.Context) (int, error) {
	return read(s, "outbox depth", func(txn *badger.Txn) (int, error) {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefixOutbox)})
		defer it.Close()
		n := 0
		for it.Rewind(); it.Valid() && ctx.Err() == nil; it.Next() {
			n++
		}
		return n, ctx.Err()
	})
}
