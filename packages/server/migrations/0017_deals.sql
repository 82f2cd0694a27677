-- Deals: a client record (owner, team, tags, custom fields, timeline, recycle bin) that moves through a pipeline's
-- stages. Money is numeric(18,2) with an ISO 4217 currency. The search_* columns follow the other client tables so the
-- shared list and search code reads deals the same way (a deal has no phones, e-mails or tax numbers: they stay empty).
CREATE TABLE deal (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 300),
  pipeline_id uuid NOT NULL,
  stage_id uuid NOT NULL,
  amount numeric(18, 2) NOT NULL DEFAULT 0 CHECK (amount >= 0),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  company_id uuid,
  expected_close_date date,
  source text CHECK (source IN ('website', 'call', 'email', 'campaign', 'referral', 'other')),
  lost_reason text,
  description text,
  stage_entered_at timestamptz NOT NULL DEFAULT now(),
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
  last_activity_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  deleted_at timestamptz,
  deleted_by uuid,
  -- Deals are never merged; the shared recycle-bin code reads the column.
  merged_into uuid,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, pipeline_id) REFERENCES pipeline (workspace_id, id),
  FOREIGN KEY (workspace_id, stage_id) REFERENCES pipeline_stage (workspace_id, id),
  FOREIGN KEY (workspace_id, company_id) REFERENCES company (workspace_id, id),
  FOREIGN KEY (workspace_id, owner_id) REFERENCES app_user (workspace_id, id),
  FOREIGN KEY (workspace_id, team_id) REFERENCES team (workspace_id, id)
);
CREATE INDEX deal_name_idx ON deal (workspace_id, lower(title), id) WHERE deleted_at IS NULL;
CREATE INDEX deal_updated_idx ON deal (workspace_id, updated_at DESC, id) WHERE deleted_at IS NULL;
CREATE INDEX deal_created_idx ON deal (workspace_id, created_at DESC, id) WHERE deleted_at IS NULL;
CREATE INDEX deal_owner_idx ON deal (workspace_id, owner_id) WHERE deleted_at IS NULL;
CREATE INDEX deal_owner_updated_idx ON deal (workspace_id, owner_id, updated_at DESC, id) WHERE deleted_at IS NULL;
CREATE INDEX deal_team_idx ON deal (workspace_id, team_id) WHERE deleted_at IS NULL;
CREATE INDEX deal_deleted_idx ON deal (workspace_id, deleted_at DESC, id) WHERE deleted_at IS NOT NULL;
CREATE INDEX deal_trgm_idx ON deal USING gin (search_name gin_trgm_ops);
CREATE INDEX deal_tsv_idx ON deal USING gin (search_tsv);
CREATE INDEX deal_tags_idx ON deal USING gin (tags) WHERE deleted_at IS NULL;
CREATE INDEX deal_custom_idx ON deal USING gin (custom jsonb_path_ops);
CREATE INDEX deal_last_activity_idx ON deal (workspace_id, (coalesce(last_activity_at, created_at))) WHERE deleted_at IS NULL;
-- The board reads one pipeline stage by stage (cards newest first, and each column's count and sums).
CREATE INDEX deal_board_idx ON deal (workspace_id, pipeline_id, stage_id, updated_at DESC, id) WHERE deleted_at IS NULL;
-- A stage's deals (a stage that holds deals cannot be removed) and a company card's deals.
CREATE INDEX deal_stage_idx ON deal (workspace_id, stage_id) WHERE deleted_at IS NULL;
CREATE INDEX deal_company_idx ON deal (workspace_id, company_id) WHERE company_id IS NOT NULL;

CREATE TRIGGER deal_search_words AFTER INSERT OR UPDATE OF search_name ON deal FOR EACH ROW EXECUTE FUNCTION collect_search_words();

-- The people on a deal and their role in it (decision maker, buyer, …).
CREATE TABLE deal_contact (
  workspace_id uuid NOT NULL,
  deal_id uuid NOT NULL,
  contact_id uuid NOT NULL,
  role text CHECK (length(role) <= 100),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, deal_id, contact_id),
  FOREIGN KEY (workspace_id, deal_id) REFERENCES deal (workspace_id, id),
  FOREIGN KEY (workspace_id, contact_id) REFERENCES contact (workspace_id, id)
);
CREATE INDEX deal_contact_contact_idx ON deal_contact (workspace_id, contact_id);

-- Each stay of a deal in a stage: time in stage is left_at (or now, for the current one) minus entered_at. Stage ids
-- carry no foreign key: a removed stage's past stays remain in the history.
CREATE TABLE deal_stage_history (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  deal_id uuid NOT NULL,
  from_stage_id uuid,
  to_stage_id uuid NOT NULL,
  entered_at timestamptz NOT NULL,
  left_at timestamptz,
  by_user_id uuid,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, deal_id) REFERENCES deal (workspace_id, id)
);
CREATE INDEX deal_stage_history_deal_idx ON deal_stage_history (workspace_id, deal_id, entered_at, id);

-- Deals join the objects that custom fields, saved views and attachments can be on.
ALTER TABLE custom_field DROP CONSTRAINT custom_field_object_check;
ALTER TABLE custom_field ADD CONSTRAINT custom_field_object_check CHECK (object IN ('company', 'contact', 'lead', 'deal'));
ALTER TABLE saved_view DROP CONSTRAINT saved_view_object_check;
ALTER TABLE saved_view ADD CONSTRAINT saved_view_object_check CHECK (object IN ('company', 'contact', 'lead', 'deal'));
ALTER TABLE attachment DROP CONSTRAINT attachment_subject_type_check;
ALTER TABLE attachment ADD CONSTRAINT attachment_subject_type_check CHECK (subject_type IN ('company', 'contact', 'lead', 'deal'));

-- last_activity_at of deals is kept like the other client records' (0003_activities.sql): the same functions, one
-- more table.
CREATE OR REPLACE FUNCTION refresh_last_activity(ws uuid, object text, record uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  latest timestamptz;
BEGIN
  SELECT max(l.occurred_at) INTO latest FROM activity_link l
  JOIN activity a ON a.workspace_id = l.workspace_id AND a.id = l.activity_id
  WHERE l.workspace_id = ws AND l.subject_type = object AND l.subject_id = record
    AND a.deleted_at IS NULL AND (a.status IS NULL OR a.status = 'done');
  IF object = 'company' THEN
    UPDATE company SET last_activity_at = latest WHERE workspace_id = ws AND id = record AND last_activity_at IS DISTINCT FROM latest;
  ELSIF object = 'contact' THEN
    UPDATE contact SET last_activity_at = latest WHERE workspace_id = ws AND id = record AND last_activity_at IS DISTINCT FROM latest;
  ELSIF object = 'lead' THEN
    UPDATE lead SET last_activity_at = latest WHERE workspace_id = ws AND id = record AND last_activity_at IS DISTINCT FROM latest;
  ELSIF object = 'deal' THEN
    UPDATE deal SET last_activity_at = latest WHERE workspace_id = ws AND id = record AND last_activity_at IS DISTINCT FROM latest;
  END IF;
END
$$;

CREATE OR REPLACE FUNCTION activity_link_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF activity_counts(NEW.workspace_id, NEW.activity_id) THEN
      IF NEW.subject_type = 'company' THEN
        UPDATE company SET last_activity_at = NEW.occurred_at WHERE workspace_id = NEW.workspace_id AND id = NEW.subject_id AND (last_activity_at IS NULL OR last_activity_at < NEW.occurred_at);
      ELSIF NEW.subject_type = 'contact' THEN
        UPDATE contact SET last_activity_at = NEW.occurred_at WHERE workspace_id = NEW.workspace_id AND id = NEW.subject_id AND (last_activity_at IS NULL OR last_activity_at < NEW.occurred_at);
      ELSIF NEW.subject_type = 'lead' THEN
        UPDATE lead SET last_activity_at = NEW.occurred_at WHERE workspace_id = NEW.workspace_id AND id = NEW.subject_id AND (last_activity_at IS NULL OR last_activity_at < NEW.occurred_at);
      ELSIF NEW.subject_type = 'deal' THEN
        UPDATE deal SET last_activity_at = NEW.occurred_at WHERE workspace_id = NEW.workspace_id AND id = NEW.subject_id AND (last_activity_at IS NULL OR last_activity_at < NEW.occurred_at);
      END IF;
    END IF;
    RETURN NEW;
  END IF;
  PERFORM refresh_last_activity(OLD.workspace_id, OLD.subject_type, OLD.subject_id);
  IF TG_OP = 'UPDATE' THEN
    PERFORM refresh_last_activity(NEW.workspace_id, NEW.subject_type, NEW.subject_id);
    RETURN NEW;
  END IF;
  RETURN OLD;
END
$$;
