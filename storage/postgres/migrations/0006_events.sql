-- Version 6: outbound events (PRODUCT.md section 16). The vendor's endpoints,
-- and each event's delivery to each endpoint: written in the transaction of
-- the change the event reports, claimed by one instance at a time through
-- next_attempt, kept a week once settled for the delivery log.
CREATE TABLE IF NOT EXISTS webhook_endpoints (
    id      text PRIMARY KEY,
    value   jsonb NOT NULL,
    enabled boolean NOT NULL,
    created timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS deliveries (
    id           text COLLATE "C" PRIMARY KEY,
    endpoint_id  text NOT NULL,
    value        jsonb NOT NULL,
    status       text NOT NULL,
    created      timestamptz NOT NULL,
    next_attempt timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (next_attempt, created, id) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS deliveries_by_endpoint ON deliveries (endpoint_id, created);
