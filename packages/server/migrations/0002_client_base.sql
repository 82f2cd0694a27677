-- Client base: companies, contacts (with their companies), leads, notes on a shared timeline, custom fields, saved views.
-- Search: a lower-cased `search_name` with a trigram index (typos, word forms, partial input) and a tsvector over the
-- simple, russian and english configurations; phones in E.164, e-mails lower-cased and tax numbers as arrays (GIN).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Local phone numbers are read in the workspace's country.
ALTER TABLE workspace ADD COLUMN country text NOT NULL DEFAULT 'US';

CREATE TABLE company (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  name text NOT NULL,
  legal_name text,
  kind text NOT NULL DEFAULT 'prospect' CHECK (kind IN ('prospect', 'customer', 'partner', 'competitor', 'supplier')),
  industry text,
  vat text,
  inn text,
  kpp text,
  ogrn text,
  legal_address text,
  actual_address text,
  phones jsonb NOT NULL DEFAULT '[]',
  emails jsonb NOT NULL DEFAULT '[]',
  website text,
  parent_id uuid,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  owner_id uuid NOT NULL,
  team_id uuid,
  tags text[] NOT NULL DEFAULT '{}',
  custom jsonb NOT NULL DEFAULT '{}',
  search_name text NOT NULL,
  search_phones text[] NOT NULL DEFAULT '{}',
  search_emails text[] NOT NULL DEFAULT '{}',
  search_tax_ids text[] NOT NULL DEFAULT '{}',
  search_tsv tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', search_name) || to_tsvector('russian', search_name) || to_tsvector('english', search_name)
  ) STORED,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  deleted_at timestamptz,
  deleted_by uuid,
  merged_into uuid,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, parent_id) REFERENCES company (workspace_id, id) DEFERRABLE,
  FOREIGN KEY (workspace_id, owner_id) REFERENCES app_user (workspace_id, id),
  FOREIGN KEY (workspace_id, team_id) REFERENCES team (workspace_id, id)
);
CREATE INDEX company_name_idx ON company (workspace_id, lower(name), id) WHERE deleted_at IS NULL;
CREATE INDEX company_updated_idx ON company (workspace_id, updated_at DESC, id) WHERE deleted_at IS NULL;
CREATE INDEX company_owner_idx ON company (workspace_id, owner_id) WHERE deleted_at IS NULL;
CREATE INDEX company_team_idx ON company (workspace_id, team_id) WHERE deleted_at IS NULL;
CREATE INDEX company_parent_idx ON company (workspace_id, parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX company_deleted_idx ON company (workspace_id, deleted_at DESC, id) WHERE deleted_at IS NOT NULL;
CREATE INDEX company_trgm_idx ON company USING gin (search_name gin_trgm_ops);
CREATE INDEX company_tsv_idx ON company USING gin (search_tsv);
CREATE INDEX company_phones_idx ON company USING gin (search_phones);
CREATE INDEX company_emails_idx ON company USING gin (search_emails);
CREATE INDEX company_tax_idx ON company USING gin (search_tax_ids);
CREATE INDEX company_custom_idx ON company USING gin (custom jsonb_path_ops);

CREATE TABLE contact (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  first_name text NOT NULL,
  middle_name text,
  last_name text,
  full_name text NOT NULL,
  position text,
  phones jsonb NOT NULL DEFAULT '[]',
  emails jsonb NOT NULL DEFAULT '[]',
  messengers jsonb NOT NULL DEFAULT '[]',
  birthday date,
  address text,
  photo_url text,
  source text,
  email_opt_in boolean NOT NULL DEFAULT false,
  sms_opt_in boolean NOT NULL DEFAULT false,
  owner_id uuid NOT NULL,
  team_id uuid,
  tags text[] NOT NULL DEFAULT '{}',
  custom jsonb NOT NULL DEFAULT '{}',
  search_name text NOT NULL,
  search_phones text[] NOT NULL DEFAULT '{}',
  search_emails text[] NOT NULL DEFAULT '{}',
  search_tax_ids text[] NOT NULL DEFAULT '{}',
  search_tsv tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', search_name) || to_tsvector('russian', search_name) || to_tsvector('english', search_name)
  ) STORED,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  deleted_at timestamptz,
  deleted_by uuid,
  merged_into uuid,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, owner_id) REFERENCES app_user (workspace_id, id),
  FOREIGN KEY (workspace_id, team_id) REFERENCES team (workspace_id, id)
);
CREATE INDEX contact_name_idx ON contact (workspace_id, lower(full_name), id) WHERE deleted_at IS NULL;
CREATE INDEX contact_updated_idx ON contact (workspace_id, updated_at DESC, id) WHERE deleted_at IS NULL;
CREATE INDEX contact_owner_idx ON contact (workspace_id, owner_id) WHERE deleted_at IS NULL;
CREATE INDEX contact_team_idx ON contact (workspace_id, team_id) WHERE deleted_at IS NULL;
CREATE INDEX contact_deleted_idx ON contact (workspace_id, deleted_at DESC, id) WHERE deleted_at IS NOT NULL;
CREATE INDEX contact_trgm_idx ON contact USING gin (search_name gin_trgm_ops);
CREATE INDEX contact_tsv_idx ON contact USING gin (search_tsv);
CREATE INDEX contact_phones_idx ON contact USING gin (search_phones);
CREATE INDEX contact_emails_idx ON contact USING gin (search_emails);
CREATE INDEX contact_custom_idx ON contact USING gin (custom jsonb_path_ops);

-- A person's place in a company, with their role there.
CREATE TABLE contact_company (
  workspace_id uuid NOT NULL,
  contact_id uuid NOT NULL,
  company_id uuid NOT NULL,
  role text,
  is_primary boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, contact_id, company_id),
  FOREIGN KEY (workspace_id, contact_id) REFERENCES contact (workspace_id, id),
  FOREIGN KEY (workspace_id, company_id) REFERENCES company (workspace_id, id)
);
CREATE INDEX contact_company_company_idx ON contact_company (workspace_id, company_id);

CREATE TABLE lead (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  name text NOT NULL,
  company_name text,
  position text,
  phones jsonb NOT NULL DEFAULT '[]',
  emails jsonb NOT NULL DEFAULT '[]',
  source text NOT NULL DEFAULT 'other' CHECK (source IN ('website', 'call', 'email', 'campaign', 'referral', 'other')),
  status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_work', 'qualified', 'disqualified')),
  disqualify_reason text,
  description text,
  converted_at timestamptz,
  converted_contact_id uuid,
  converted_company_id uuid,
  owner_id uuid NOT NULL,
  team_id uuid,
  tags text[] NOT NULL DEFAULT '{}',
  custom jsonb NOT NULL DEFAULT '{}',
  search_name text NOT NULL,
  search_phones text[] NOT NULL DEFAULT '{}',
  search_emails text[] NOT NULL DEFAULT '{}',
  search_tax_ids text[] NOT NULL DEFAULT '{}',
  search_tsv tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', search_name) || to_tsvector('russian', search_name) || to_tsvector('english', search_name)
  ) STORED,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  deleted_at timestamptz,
  deleted_by uuid,
  merged_into uuid,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, owner_id) REFERENCES app_user (workspace_id, id),
  FOREIGN KEY (workspace_id, team_id) REFERENCES team (workspace_id, id),
  FOREIGN KEY (workspace_id, converted_contact_id) REFERENCES contact (workspace_id, id),
  FOREIGN KEY (workspace_id, converted_company_id) REFERENCES company (workspace_id, id)
);
CREATE INDEX lead_name_idx ON lead (workspace_id, lower(name), id) WHERE deleted_at IS NULL;
CREATE INDEX lead_updated_idx ON lead (workspace_id, updated_at DESC, id) WHERE deleted_at IS NULL;
CREATE INDEX lead_owner_idx ON lead (workspace_id, owner_id) WHERE deleted_at IS NULL;
CREATE INDEX lead_team_idx ON lead (workspace_id, team_id) WHERE deleted_at IS NULL;
CREATE INDEX lead_deleted_idx ON lead (workspace_id, deleted_at DESC, id) WHERE deleted_at IS NOT NULL;
CREATE INDEX lead_trgm_idx ON lead USING gin (search_name gin_trgm_ops);
CREATE INDEX lead_tsv_idx ON lead USING gin (search_tsv);
CREATE INDEX lead_phones_idx ON lead USING gin (search_phones);
CREATE INDEX lead_emails_idx ON lead USING gin (search_emails);
CREATE INDEX lead_custom_idx ON lead USING gin (custom jsonb_path_ops);

-- The timeline's own entries (notes now; calls, meetings, e-mails with the activities issue), linked to any record.
-- Changes come from audit_log; a merged record's entries follow it through record_alias.
CREATE TABLE activity (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('note')),
  body text NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  author_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  deleted_at timestamptz,
  PRIMARY KEY (workspace_id, id)
);

CREATE TABLE activity_link (
  workspace_id uuid NOT NULL,
  activity_id uuid NOT NULL,
  subject_type text NOT NULL,
  subject_id uuid NOT NULL,
  occurred_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, activity_id, subject_type, subject_id),
  FOREIGN KEY (workspace_id, activity_id) REFERENCES activity (workspace_id, id)
);
CREATE INDEX activity_link_subject_idx ON activity_link (workspace_id, subject_type, subject_id, occurred_at DESC, activity_id DESC);

-- Merged records: their old ids keep resolving to the survivor (links from e-mails, the audit trail's history).
CREATE TABLE record_alias (
  workspace_id uuid NOT NULL,
  object_type text NOT NULL,
  alias_id uuid NOT NULL,
  record_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, object_type, alias_id)
);
CREATE INDEX record_alias_record_idx ON record_alias (workspace_id, object_type, record_id);

CREATE TABLE custom_field (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  object text NOT NULL CHECK (object IN ('company', 'contact', 'lead')),
  key text NOT NULL,
  label text NOT NULL,
  kind text NOT NULL,
  options jsonb NOT NULL DEFAULT '[]',
  relation_object text,
  currency text,
  required boolean NOT NULL DEFAULT false,
  filterable boolean NOT NULL DEFAULT true,
  show_in_list boolean NOT NULL DEFAULT false,
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  deleted_at timestamptz,
  PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX custom_field_key_idx ON custom_field (workspace_id, object, key) WHERE deleted_at IS NULL;

CREATE TABLE saved_view (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  object text NOT NULL CHECK (object IN ('company', 'contact', 'lead')),
  name text NOT NULL,
  owner_id uuid NOT NULL,
  visibility text NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'team', 'workspace')),
  team_id uuid,
  filter text,
  sort text,
  columns text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  deleted_at timestamptz,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, owner_id) REFERENCES app_user (workspace_id, id)
);
CREATE INDEX saved_view_object_idx ON saved_view (workspace_id, object) WHERE deleted_at IS NULL;
