-- Data quality: likely duplicates waiting for a person (from imports and from scans of the base), and partial indexes
-- that let the data-quality page count records with unreadable phones or e-mails without reading the whole table.

-- A pair of records of one object judged likely duplicates. The pair is stored once, in id order, whatever found it:
-- a dismissed pair ("not duplicates") keeps its row, so neither an import nor a scan proposes it again.
CREATE TABLE data_review_item (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  object text NOT NULL CHECK (object IN ('company', 'contact', 'lead')),
  record_a uuid NOT NULL,
  record_b uuid NOT NULL,
  reasons text[] NOT NULL,
  source text NOT NULL CHECK (source IN ('import', 'scan')),
  import_id uuid,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'merged', 'dismissed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  resolved_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, object, record_a, record_b),
  CHECK (record_a < record_b)
);
CREATE INDEX data_review_item_open_idx ON data_review_item (workspace_id, object, created_at DESC, id) WHERE status = 'open';
CREATE INDEX data_review_item_import_idx ON data_review_item (workspace_id, import_id) WHERE import_id IS NOT NULL;

-- A stored phone is unreadable when it has no E.164 form (or a malformed one); an e-mail when it is not an address.
-- The e-mail pattern is the one the application checks with (packages/shared/src/phone.ts).
CREATE FUNCTION dq_bad_phones(phones jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT EXISTS (SELECT 1 FROM jsonb_array_elements(phones) p WHERE coalesce(p->>'e164', '') !~ '^\+[1-9][0-9]{6,14}$')
$$;
CREATE FUNCTION dq_bad_emails(emails jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT EXISTS (SELECT 1 FROM jsonb_array_elements(emails) e WHERE coalesce(e->>'email', '') !~ '^[^[:space:]@]+@[^[:space:]@]+\.[^[:space:]@]+$' OR length(e->>'email') > 254)
$$;

CREATE INDEX company_bad_phones_idx ON company (workspace_id, owner_id) WHERE deleted_at IS NULL AND dq_bad_phones(phones);
CREATE INDEX company_bad_emails_idx ON company (workspace_id, owner_id) WHERE deleted_at IS NULL AND dq_bad_emails(emails);
CREATE INDEX contact_bad_phones_idx ON contact (workspace_id, owner_id) WHERE deleted_at IS NULL AND dq_bad_phones(phones);
CREATE INDEX contact_bad_emails_idx ON contact (workspace_id, owner_id) WHERE deleted_at IS NULL AND dq_bad_emails(emails);
CREATE INDEX lead_bad_phones_idx ON lead (workspace_id, owner_id) WHERE deleted_at IS NULL AND dq_bad_phones(phones);
CREATE INDEX lead_bad_emails_idx ON lead (workspace_id, owner_id) WHERE deleted_at IS NULL AND dq_bad_emails(emails);
