-- Version 3: settings an admin changes on the portal's pages, one row each,
-- the value as JSON. "seller" holds the seller details that invoices show
-- (domain.Seller); without the row they come from the PORTAL_SELLER_* settings.

CREATE TABLE IF NOT EXISTS settings (
    name  text PRIMARY KEY,
    value jsonb NOT NULL
);
