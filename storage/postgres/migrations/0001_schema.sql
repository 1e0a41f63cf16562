-- Version 1: the portal's tables.
--
-- Keys that are looked up by their beginning or listed in order are COLLATE "C"
-- (byte order, as Badger orders its keys), so that both backends list things in
-- the same order and a prefix is one range of a btree index. Money is bigint
-- minor units; times are timestamptz (microseconds, UTC). Only SQL that
-- CockroachDB and YugabyteDB also run.

CREATE TABLE IF NOT EXISTS orders (
    reference      text COLLATE "C" PRIMARY KEY,
    ordered_at     timestamptz NOT NULL,
    name           text NOT NULL,
    country        text NOT NULL,
    city           text NOT NULL,
    contact_name   text NOT NULL,
    email          text COLLATE "C" NOT NULL,
    -- The part after the @, so that staff find a company's orders by an index.
    email_domain   text COLLATE "C" NOT NULL,
    currency       text NOT NULL,
    -- The order's lines (domain.Item as JSON): read whole, never searched.
    items          jsonb NOT NULL,
    total          bigint NOT NULL,
    activation_key text COLLATE "C" NOT NULL,
    source         text NOT NULL,
    -- The order's own list of its licenses, in its order (NULL: none).
    license_ids    text[],
    CONSTRAINT orders_activation_key_unique UNIQUE (activation_key)
);
CREATE INDEX IF NOT EXISTS orders_by_email ON orders (email, reference);
CREATE INDEX IF NOT EXISTS orders_by_email_domain ON orders (email_domain, reference);

CREATE TABLE IF NOT EXISTS licenses (
    id            text COLLATE "C" PRIMARY KEY,
    order_ref     text COLLATE "C" NOT NULL REFERENCES orders (reference),
    software      text NOT NULL,
    edition       text NOT NULL,
    users         integer NOT NULL,
    -- The computer the license is activated on; '' until then.
    serial        text COLLATE "C" NOT NULL,
    purchased_at  timestamptz NOT NULL,
    support_start timestamptz NOT NULL,
    support_end   timestamptz NOT NULL,
    version       integer NOT NULL
);
CREATE INDEX IF NOT EXISTS licenses_by_order ON licenses (order_ref);
CREATE INDEX IF NOT EXISTS licenses_by_serial ON licenses (serial, id) WHERE serial <> '';

-- A license's history: seq keeps entries of the same instant in the order written.
CREATE TABLE IF NOT EXISTS history (
    seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    license_id     text COLLATE "C" NOT NULL REFERENCES licenses (id),
    at             timestamptz NOT NULL,
    kind           text NOT NULL,
    actor          text NOT NULL,
    note           text NOT NULL,
    -- The whole license before and after the change (domain.License as JSON).
    license_before jsonb NOT NULL,
    license_after  jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS history_by_license ON history (license_id, at, seq);

CREATE TABLE IF NOT EXISTS products (
    software                    text COLLATE "C" NOT NULL,
    edition                     text COLLATE "C" NOT NULL,
    upgradable                  boolean NOT NULL,
    currency                    text NOT NULL,
    seat_price                  bigint NOT NULL,
    support_price_per_seat_year bigint NOT NULL,
    retired                     boolean NOT NULL,
    PRIMARY KEY (software, edition)
);

-- A locked quote and what became of it.
CREATE TABLE IF NOT EXISTS purchases (
    id                   text COLLATE "C" PRIMARY KEY,
    kind                 text NOT NULL,
    email                text COLLATE "C" NOT NULL,
    license_id           text COLLATE "C" NOT NULL,
    order_ref            text COLLATE "C" NOT NULL,
    description          text NOT NULL,
    add_users            integer NOT NULL,
    amount               bigint NOT NULL,
    currency             text NOT NULL,
    status               text NOT NULL,
    created_at           timestamptz NOT NULL,
    expires_at           timestamptz NOT NULL,
    -- When a purchase still pending may be forgotten (domain.Purchase.KeepUntil).
    keep_until           timestamptz NOT NULL,
    license_version      integer NOT NULL,
    users_at_quote       integer NOT NULL,
    support_end_at_quote timestamptz NOT NULL,
    new_support_end      timestamptz,
    checkout_id          text NOT NULL,
    checkout_url         text NOT NULL,
    event_id             text NOT NULL,
    paid_amount          bigint NOT NULL,
    paid_at              timestamptz,
    new_order_ref        text NOT NULL,
    flag_reason          text NOT NULL
);
CREATE INDEX IF NOT EXISTS purchases_by_email ON purchases (email, created_at);
CREATE INDEX IF NOT EXISTS purchases_unpaid ON purchases (keep_until) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS purchases_flagged ON purchases (id) WHERE status = 'flagged';

-- Each payment provider's event is handled once.
CREATE TABLE IF NOT EXISTS payment_events (
    event_id    text COLLATE "C" PRIMARY KEY,
    purchase_id text COLLATE "C" NOT NULL REFERENCES purchases (id)
);

CREATE TABLE IF NOT EXISTS staff (
    email         text COLLATE "C" PRIMARY KEY,
    role          text NOT NULL,
    password_hash bytea,
    disabled      boolean NOT NULL,
    created_at    timestamptz NOT NULL,
    sessions_from timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS audit (
    seq    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at     timestamptz NOT NULL,
    staff  text NOT NULL,
    action text NOT NULL,
    detail text NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_time ON audit (at, seq);

-- Named numbers that only grow; order-number is the highest order number
-- counted. New references take the next one with this row locked, so they are
-- unique and without gaps whatever the number of instances.
CREATE TABLE IF NOT EXISTS counters (
    name  text COLLATE "C" PRIMARY KEY,
    value bigint NOT NULL
);
INSERT INTO counters (name, value) VALUES ('order-number', 0) ON CONFLICT (name) DO NOTHING;

-- Sessions under the SHA-256 of their cookie's token, until expires_at (the
-- database's clock, the same for every instance).
CREATE TABLE IF NOT EXISTS sessions (
    token_hash text COLLATE "C" PRIMARY KEY,
    email      text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions (expires_at);

CREATE TABLE IF NOT EXISTS staff_sessions (
    token_hash text COLLATE "C" PRIMARY KEY,
    email      text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS staff_sessions_by_expiry ON staff_sessions (expires_at);

-- Token buckets of the rate limits, shared by every instance. The key is bytes:
-- it comes from clients (addresses, emails as typed) and must never fail to store.
-- burst and every_seconds are the bucket's rate, so that full buckets can be forgotten.
CREATE TABLE IF NOT EXISTS rate_buckets (
    name          text COLLATE "C" NOT NULL,
    key           bytea NOT NULL,
    tokens        double precision NOT NULL,
    at            timestamptz NOT NULL,
    spent         boolean NOT NULL,
    burst         double precision NOT NULL,
    every_seconds double precision NOT NULL,
    PRIMARY KEY (name, key)
);
