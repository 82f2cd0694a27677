-- Price lists (Settings › Price lists): named lists in one currency ("Retail RUB", "Export EUR") holding a price per
-- catalog product, optionally valid from / to a date. At most one live list per currency is its default: a new deal in
-- that currency takes it, and a product line on the deal takes its price from the deal's list.
CREATE TABLE price_list (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  is_default boolean NOT NULL DEFAULT false,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX price_list_default_idx ON price_list (workspace_id, currency) WHERE is_default AND archived_at IS NULL;
CREATE INDEX price_list_name_idx ON price_list (workspace_id, name, id);

-- One price per product and list; the dates bound when it applies (either may be open).
CREATE TABLE price_list_item (
  workspace_id uuid NOT NULL,
  price_list_id uuid NOT NULL,
  product_id uuid NOT NULL,
  position integer NOT NULL,
  price numeric(18, 2) NOT NULL CHECK (price >= 0),
  valid_from date,
  valid_to date,
  CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to),
  PRIMARY KEY (workspace_id, price_list_id, product_id),
  FOREIGN KEY (workspace_id, price_list_id) REFERENCES price_list (workspace_id, id) ON DELETE CASCADE,
  FOREIGN KEY (workspace_id, product_id) REFERENCES product (workspace_id, id)
);
CREATE INDEX price_list_item_product_idx ON price_list_item (workspace_id, product_id);

-- A deal's price list (its lines' prices come from it) and its marketing campaign (free text, e.g. the utm_campaign of
-- the web form that brought the lead).
ALTER TABLE deal ADD COLUMN price_list_id uuid;
ALTER TABLE deal ADD CONSTRAINT deal_price_list_fk FOREIGN KEY (workspace_id, price_list_id) REFERENCES price_list (workspace_id, id);
ALTER TABLE deal ADD COLUMN campaign text CHECK (length(campaign) <= 200);
CREATE INDEX deal_campaign_idx ON deal (workspace_id, lower(campaign)) WHERE deleted_at IS NULL AND campaign IS NOT NULL;

-- The workspace's own requisites for documents (invoices, contracts): legal name, address, tax ids and bank account.
ALTER TABLE workspace ADD COLUMN payment_details jsonb NOT NULL DEFAULT '{}';
