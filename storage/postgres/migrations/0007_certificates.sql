-- Version 7: the TLS certificates of a portal serving its own domain
-- (PRODUCT.md section 17, serve --domain), shared by every instance on the
-- database so that one asks the CA and the others use what it got: the files
-- of the certificate library's store, under keys named like paths, and the
-- locks that let one instance at a time obtain or renew a domain's
-- certificate. A lock is a row with an expiry, taken by one atomic statement
-- (no advisory lock): a holder that dies loses it when its time runs out.
CREATE TABLE IF NOT EXISTS certificates (
    key      text COLLATE "C" PRIMARY KEY,
    value    bytea NOT NULL,
    modified timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS certificate_locks (
    name    text PRIMARY KEY,
    holder  text NOT NULL,
    expires timestamptz NOT NULL
);
