-- Version 4: mail (PRODUCT.md section 12). Mailed links under the SHA-256 of
-- their token, used once; requests to move orders to a new email; and the
-- outbox, where each mail waits until an SMTP server took it (claimed by one
-- instance at a time through next_attempt).
CREATE TABLE IF NOT EXISTS mail_links (
    token_hash text PRIMARY KEY,
    purpose    text NOT NULL,
    email      text NOT NULL,
    change_id  text NOT NULL,
    created    timestamptz NOT NULL,
    expires    timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS mail_links_by_expiry ON mail_links (expires);

CREATE TABLE IF NOT EXISTS email_changes (
    id        text PRIMARY KEY,
    value     jsonb NOT NULL,
    keep_until timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS email_changes_by_keep ON email_changes (keep_until);

CREATE TABLE IF NOT EXISTS outbox (
    id           text COLLATE "C" PRIMARY KEY,
    value        jsonb NOT NULL,
    next_attempt timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_by_next_attempt ON outbox (next_attempt, id);
