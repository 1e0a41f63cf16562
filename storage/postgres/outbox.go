package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/domain"
)

func queueMails(b *pgx.Batch, mails []domain.Mail) error {
	for _, m := range mails {
		value, err := json.Marshal(m)
		if err != nil {
			return err
		}
		b.Queue(`INSERT INTO outbox (id, value, next_attempt) VALUES ($1, $2, $3)`, m.ID, value, m.NextAttempt)
	}
	return nil
}

// QueueMail puts mails in the outbox.
func (s *Store) QueueMail(ctx context.Context, mails ...domain.Mail) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		if err := queueMails(b, mails); err != nil {
			return err
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("storage: queue mail: %w", err)
	}
	return nil
}

// ClaimMails takes at most limit mails whose next attempt is due at now, and
// counts the attempt: each is not due again until lease has passed, so that
// a sender that stops half-way leaves it to the next one, and two instances
// never take the same mail at once (the rows are locked as they are taken).
func (s *Store) ClaimMails(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]domain.Mail, error) {
	var claimed []domain.Mail
	err := s.tx(ctx, func(tx pgx.Tx) error {
		claimed = claimed[:0]
		rows, err := tx.Query(ctx, `SELECT value FROM outbox WHERE next_attempt <= $1 ORDER BY next_attempt, id LIMIT $2 FOR UPDATE`, now, limit)
		if err != nil {
			return err
		}
		due, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
		if err != nil {
			return err
		}
		b := &pgx.Batch{}
		for _, raw := range due {
			var m domain.Mail
			if err := json.Unmarshal(raw, &m); err != nil {
				return err
			}
			m.Attempts++
			m.NextAttempt = now.Add(lease)
			value, err := json.Marshal(m)
			if err != nil {
				return err
			}
			b.Queue(`UPDATE outbox SET value = $2, next_attempt = $3 WHERE id = $1`, m.ID, value, m.NextAttempt)
			claimed = append(claimed, m)
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return nil, fmt.Errorf("storage: claim mails: %w", err)
	}
	return claimed, nil
}

// RemoveMail takes a mail out of the outbox: sent, or given up.
func (s *Store) RemoveMail(ctx context.Context, id string) error {
	if _, err := s.exec(ctx, `DELETE FROM outbox WHERE id = $1`, id); err != nil {
		return fmt.Errorf("storage: remove mail: %w", err)
	}
	return nil
}

// MailFailed sets when a mail that could not be sent is tried again.
func (s *Store) MailFailed(ctx context.Context, id string, next time.Time) error {
	_, err := s.exec(ctx, `UPDATE outbox SET next_attempt = $2, value = jsonb_set(value, '{next_attempt}', to_jsonb($2::timestamptz)) WHERE id = $1`, id, next)
	if err != nil {
		return fmt.Errorf("storage: mail failed: %w", err)
	}
	return nil
}

// OutboxDepth counts the mails in the outbox, due or waiting for a retry, for
// the metrics: one count, the same whichever instance is asked.
func (s *Store) OutboxDepth(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM outbox`).Scan(&n); err != nil {
		return 0, fmt.Errorf("storage: outbox depth: %w", err)
	}
	return n, nil
}
