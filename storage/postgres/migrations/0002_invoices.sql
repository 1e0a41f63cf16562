-- Version 2: invoices (PRODUCT.md section 11). An order carries its billing
-- details, its tax and every version of its invoice as JSON (read whole, never
-- searched); its first invoice number is a column of its own, unique, so that
-- no two orders share one. Orders stored before this version have none until
-- the portal numbers them at start (storage/postgres/invoices.go).
ALTER TABLE orders ADD COLUMN IF NOT EXISTS billing jsonb;
ALTER TABLE orders ADD COLUMN IF NOT EXISTS tax jsonb;
ALTER TABLE orders ADD COLUMN IF NOT EXISTS invoices jsonb;
ALTER TABLE orders ADD COLUMN IF NOT EXISTS invoice_number text COLLATE "C";
CREATE UNIQUE INDEX IF NOT EXISTS orders_by_invoice_number ON orders (invoice_number);
-- Finds those orders at start without reading the table.
CREATE INDEX IF NOT EXISTS orders_without_invoice ON orders (ordered_at, reference) WHERE invoices IS NULL;
