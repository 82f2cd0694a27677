-- Import of contacts and companies from CSV: the uploaded file and the wizard's choices, the job's progress, every
-- record it created or updated (with the values it replaced, for undo), the rows it refused, and mappings saved for reuse.
CREATE TABLE import_job (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  object text NOT NULL CHECK (object IN ('contact', 'company')),
  status text NOT NULL CHECK (status IN ('draft', 'queued', 'running', 'done', 'cancelled', 'failed', 'undone')),
  file_name text NOT NULL,
  file_sha256 text NOT NULL,
  file_size integer NOT NULL,
  encoding text NOT NULL,
  delimiter text NOT NULL,
  -- The header row's cells, in column order.
  headers jsonb NOT NULL,
  -- Per column (same order as headers): the field it fills, or null to leave it out.
  mapping jsonb NOT NULL,
  default_country text NOT NULL,
  file_locale text NOT NULL CHECK (file_locale IN ('en', 'ru')),
  mode text NOT NULL CHECK (mode IN ('skip', 'update_empty', 'overwrite', 'create')),
  total_rows integer NOT NULL,
  rows_done integer NOT NULL DEFAULT 0,
  created_count integer NOT NULL DEFAULT 0,
  updated_count integer NOT NULL DEFAULT 0,
  skipped_count integer NOT NULL DEFAULT 0,
  rejected_count integer NOT NULL DEFAULT 0,
  error text,
  started_at timestamptz,
  finished_at timestamptz,
  undone_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid NOT NULL,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX import_job_created_idx ON import_job (workspace_id, created_at DESC, id);
CREATE INDEX import_job_active_idx ON import_job (status) WHERE status IN ('queued', 'running');

-- Every record an import touched: created ones are removed by undo, updated ones get `before` back.
CREATE TABLE import_record (
  workspace_id uuid NOT NULL,
  import_id uuid NOT NULL,
  object text NOT NULL CHECK (object IN ('contact', 'company')),
  record_id uuid NOT NULL,
  action text NOT NULL CHECK (action IN ('created', 'updated')),
  row_number integer NOT NULL,
  -- The columns the import changed, as they were (updated records only).
  before jsonb,
  -- The record's version right after the import wrote it: undo refuses records changed since.
  version_after integer NOT NULL,
  PRIMARY KEY (workspace_id, import_id, object, record_id),
  FOREIGN KEY (workspace_id, import_id) REFERENCES import_job (workspace_id, id)
);

-- Rows refused, with the file's own cells and the reason, for the downloadable report.
CREATE TABLE import_rejected_row (
  workspace_id uuid NOT NULL,
  import_id uuid NOT NULL,
  row_number integer NOT NULL,
  cells jsonb NOT NULL,
  reason text NOT NULL,
  PRIMARY KEY (workspace_id, import_id, row_number),
  FOREIGN KEY (workspace_id, import_id) REFERENCES import_job (workspace_id, id)
);

-- Column → field mappings saved for the next file with the same headers.
CREATE TABLE import_mapping (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  object text NOT NULL CHECK (object IN ('contact', 'company')),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  -- { "<header>": "<field>" }
  columns jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX import_mapping_name_idx ON import_mapping (workspace_id, object, lower(name));
