-- The product catalog (Settings › Products): what deals sell, with its SKU, unit, price and tax rate. Money is
-- numeric(18,2) with an ISO 4217 currency (the application checks the code against the list the runtime knows).
CREATE TABLE product (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  sku text NOT NULL CHECK (length(btrim(sku)) BETWEEN 1 AND 64),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
  unit text NOT NULL DEFAULT '' CHECK (length(unit) <= 20),
  price numeric(18, 2) NOT NULL CHECK (price >= 0),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  tax_rate numeric(5, 2) NOT NULL DEFAULT 0 CHECK (tax_rate BETWEEN 0 AND 100),
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (workspace_id, id)
);
-- A SKU names one live product, whatever its case; archived ones keep theirs and may be restored if it is still free.
CREATE UNIQUE INDEX product_sku_idx ON product (workspace_id, lower(sku)) WHERE archived_at IS NULL;
-- The catalog list: by name, then id (the keyset).
CREATE INDEX product_name_idx ON product (workspace_id, name, id);
