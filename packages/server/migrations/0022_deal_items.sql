-- A deal's products (line items): quantity × price less a discount plus tax, in the deal's currency. Name, SKU, unit and
-- tax rate are copied from the catalog when the line is written, so a later catalog change never rewrites a sold deal.
CREATE TABLE deal_item (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  deal_id uuid NOT NULL,
  position integer NOT NULL,
  product_id uuid,
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  sku text,
  unit text NOT NULL DEFAULT '',
  quantity numeric(18, 2) NOT NULL CHECK (quantity > 0),
  price numeric(18, 2) NOT NULL CHECK (price >= 0),
  discount_percent numeric(5, 2) NOT NULL DEFAULT 0 CHECK (discount_percent BETWEEN 0 AND 100),
  tax_rate numeric(5, 2) NOT NULL DEFAULT 0 CHECK (tax_rate BETWEEN 0 AND 100),
  net numeric(20, 2) NOT NULL,
  tax numeric(20, 2) NOT NULL,
  total numeric(20, 2) NOT NULL,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, deal_id) REFERENCES deal (workspace_id, id) ON DELETE CASCADE,
  FOREIGN KEY (workspace_id, product_id) REFERENCES product (workspace_id, id)
);
CREATE INDEX deal_item_deal_idx ON deal_item (workspace_id, deal_id, position);
CREATE INDEX deal_item_product_idx ON deal_item (workspace_id, product_id) WHERE product_id IS NOT NULL;
