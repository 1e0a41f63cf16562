-- Version 5: pairings (PRODUCT.md section 13, RFC 8628), under the SHA-256
-- of their device code and found by that of their user code, kept until a
-- while after they expire.
CREATE TABLE IF NOT EXISTS pairings (
    device_hash text PRIMARY KEY,
    user_hash   text NOT NULL,
    value       jsonb NOT NULL,
    keep_until  timestamptz NOT NULL,
    CONSTRAINT pairings_user_hash_unique UNIQUE (user_hash)
);
CREATE INDEX IF NOT EXISTS pairings_by_keep ON pairings (keep_until);
