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

// emailChangeKept is how long a request is kept after it was asked, for staff.
const emailChangeKept = 30 * 24 * time.Hour

const insertMailLinkSQL = `INSERT INTO mail_links (token_hash, purpose, email, change_id, created, expires) VALUES ($1, $2, $3, $4, $5, $6)`

func mailLinkValues(hash string, l domain.MailLink) []any {
	return []any{hash, string(l.Purpose), l.Email, l.ChangeID, l.Created, l.Expires}
}

// CreateMailLink stores a mailed link under the hash of its token, with the
// mails that carry it, in one transaction.
func (s *Store) CreateMailLink(ctx context.Context, tokenHash string, link domain.MailLink, mails []domain.Mail) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(insertMailLinkSQL, mailLinkValues(tokenHash, link)...)
		if err := queueMails(b, mails); err != nil {
			return err
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("storage: create mail link: %w", err)
	}
	return nil
}

func scanMailLink(row pgx.Row) (domain.MailLink, error) {
	var l domain.MailLink
	var purpose string
	err := row.Scan(&purpose, &l.Email, &l.ChangeID, &l.Created, &l.Expires)
	l.Purpose = domain.LinkPurpose(purpose)
	return l, err
}

// MailLink answers the live link stored under tokenHash, without using it.
func (s *Store) MailLink(ctx context.Context, tokenHash string, now time.Time) (domain.MailLink, bool, error) {
	if !storable(tokenHash) {
		return domain.MailLink{}, false, nil
	}
	l, err := scanMailLink(s.pool.QueryRow(ctx, `SELECT purpose, email, change_id, created, expires FROM mail_links WHERE token_hash = $1`, tokenHash))
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.MailLink{}, false, nil
	}
	if err != nil {
		return domain.MailLink{}, false, fmt.Errorf("storage: mail link: %w", err)
	}
	return l, now.Before(l.Expires), nil
}

// useMailLink deletes the link under hash and answers it, when it is live and
// for purpose; otherwise domain.ErrLinkUsed. The DELETE decides: of two uses
// at once, one deletes the row and the other finds none.
func useMailLink(ctx context.Context, tx pgx.Tx, hash string, purpose domain.LinkPurpose, now time.Time) (domain.MailLink, error) {
	if !storable(hash) {
		return domain.MailLink{}, domain.ErrLinkUsed
	}
	l, err := scanMailLink(tx.QueryRow(ctx, `DELETE FROM mail_links WHERE token_hash = $1 AND purpose = $2 AND expires > $3
		RETURNING purpose, email, change_id, created, expires`, hash, string(purpose), now))
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.MailLink{}, domain.ErrLinkUsed
	}
	return l, err
}

// UseMailLink uses the link under tokenHash once: the first use deletes it.
func (s *Store) UseMailLink(ctx context.Context, tokenHash string, purpose domain.LinkPurpose, now time.Time) (domain.MailLink, error) {
	var l domain.MailLink
	err := s.tx(ctx, func(tx pgx.Tx) (err error) {
		l, err = useMailLink(ctx, tx, tokenHash, purpose, now)
		return err
	})
	if errors.Is(err, domain.ErrLinkUsed) {
		return domain.MailLink{}, err
	}
	if err != nil {
		return domain.MailLink{}, fmt.Errorf("storage: use mail link: %w", err)
	}
	return l, nil
}

// EmailChange answers the request id.
func (s *Store) EmailChange(ctx context.Context, id string) (domain.EmailChange, bool, error) {
	c, err := queryEmailChange(ctx, s.pool, `SELECT value FROM email_changes WHERE id = $1`, id)
	if errors.Is(err, pgx.ErrNoRows) || !storable(id) {
		return domain.EmailChange{}, false, nil
	}
	if err != nil {
		return domain.EmailChange{}, false, fmt.Errorf("storage: email change: %w", err)
	}
	return c, true, nil
}

func queryEmailChange(ctx context.Context, q querier, sql, id string) (domain.EmailChange, error) {
	var c domain.EmailChange
	var raw []byte
	if err := q.QueryRow(ctx, sql, id).Scan(&raw); err != nil {
		return c, err
	}
	return c, json.Unmarshal(raw, &c)
}

const upsertEmailChangeSQL = `INSERT INTO email_changes (id, value, keep_until) VALUES ($1, $2, $3)
	ON CONFLICT (id) DO UPDATE SET value = excluded.value`

func queueEmailChange(b *pgx.Batch, c domain.EmailChange) error {
	value, err := json.Marshal(c)
	if err != nil {
		return err
	}
	b.Queue(upsertEmailChangeSQL, c.ID, value, c.Requested.Add(emailChangeKept))
	return nil
}

// RequestEmailChange stores a request with its confirm and cancel links, the
// mails that carry them and, when staff asked, the audit entry: all or nothing.
func (s *Store) RequestEmailChange(ctx context.Context, c domain.EmailChange, confirmHash, cancelHash string, mails []domain.Mail, audit *domain.AuditEntry) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		if err := queueEmailChange(b, c); err != nil {
			return err
		}
		for hash, purpose := range map[string]domain.LinkPurpose{confirmHash: domain.LinkConfirmEmail, cancelHash: domain.LinkCancelEmail} {
			b.Queue(insertMailLinkSQL, mailLinkValues(hash, domain.MailLink{Purpose: purpose, Email: c.OldEmail, ChangeID: c.ID, Created: c.Requested, Expires: c.Expires})...)
		}
		if audit != nil {
			b.Queue(insertAuditSQL, auditValues(*audit)...)
		}
		if err := queueMails(b, mails); err != nil {
			return err
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("storage: request email change: %w", err)
	}
	return nil
}

// ConfirmEmailChange uses a confirm link and, in the same transaction, moves
// every order of the old email (its licenses' history records it) and every
// purchase to the new one, settles the request and queues the mails notice
// makes of it. Each order's row is locked as UpdateOrder locks it. A used,
// expired or settled request answers domain.ErrLinkUsed and changes nothing.
func (s *Store) ConfirmEmailChange(ctx context.Context, confirmHash string, now time.Time, actor domain.Actor, notice func(domain.EmailChange) []domain.Mail) (domain.EmailChange, error) {
	return s.settleEmailChange(ctx, confirmHash, domain.LinkConfirmEmail, now, func(tx pgx.Tx, c domain.EmailChange) error {
		rows, err := tx.Query(ctx, `SELECT reference FROM orders WHERE email = $1 ORDER BY reference FOR UPDATE`, c.OldEmail)
		if err != nil {
			return err
		}
		refs, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		for _, ref := range refs {
			u, found, err := loadOrderUpdate(ctx, tx, ref)
			if err != nil || !found {
				return err
			}
			before, stored := u.Order, map[string]domain.License{}
			for _, l := range u.Licenses {
				stored[l.ID] = l
			}
			u.MoveEmail(c.NewEmail, actor, now)
			if err := writeOrderUpdate(ctx, tx, before, u, stored); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE purchases SET email = $2 WHERE email = $1`, c.OldEmail, c.NewEmail); err != nil {
			return err
		}
		b := &pgx.Batch{}
		if err := queueMails(b, notice(c)); err != nil {
			return err
		}
		return tx.SendBatch(ctx, b).Close()
	})
}

// CancelEmailChange uses a cancel link: the request ends, nothing moves.
func (s *Store) CancelEmailChange(ctx context.Context, cancelHash string, now time.Time) (domain.EmailChange, error) {
	return s.settleEmailChange(ctx, cancelHash, domain.LinkCancelEmail, now, func(pgx.Tx, domain.EmailChange) error { return nil })
}

// settleEmailChange uses the link, locks its request and checks it is still
// pending, does what settling it means and marks it so; its other link is
// refused from then on.
func (s *Store) settleEmailChange(ctx context.Context, hash string, purpose domain.LinkPurpose, now time.Time, settle func(pgx.Tx, domain.EmailChange) error) (domain.EmailChange, error) {
	var c domain.EmailChange
	err := s.tx(ctx, func(tx pgx.Tx) error {
		l, err := useMailLink(ctx, tx, hash, purpose, now)
		if err != nil {
			return err
		}
		c, err = queryEmailChange(ctx, tx, `SELECT value FROM email_changes WHERE id = $1 FOR UPDATE`, l.ChangeID)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && !c.Usable(now)) {
			return domain.ErrLinkUsed
		}
		if err != nil {
			return err
		}
		if err := settle(tx, c); err != nil {
			return err
		}
		c.Status, c.Settled = domain.EmailChangeCancelled, now.UTC()
		if purpose == domain.LinkConfirmEmail {
			c.Status = domain.EmailChangeConfirmed
			if err := queueEvents(ctx, tx, []domain.Event{domain.EmailChangedEvent(c)}); err != nil {
				return err
			}
		}
		b := &pgx.Batch{}
		if err := queueEmailChange(b, c); err != nil {
			return err
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if errors.Is(err, domain.ErrLinkUsed) {
		return domain.EmailChange{}, err
	}
	if err != nil {
		return domain.EmailChange{}, fmt.Errorf("storage: settle email change: %w", err)
	}
	return c, nil
}
