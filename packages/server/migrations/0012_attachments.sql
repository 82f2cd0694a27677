-- Files attached to client records. The content lives in file storage under its SHA-256 (the same file attached twice
-- is stored once); this table is what people see: which record, the name they gave it, who added it and when.
CREATE TABLE attachment (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  subject_type text NOT NULL CHECK (subject_type IN ('company', 'contact', 'lead')),
  subject_id uuid NOT NULL,
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  content_type text NOT NULL,
  size_bytes integer NOT NULL CHECK (size_bytes >= 0),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  deleted_at timestamptz,
  deleted_by uuid,
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX attachment_subject_idx ON attachment (workspace_id, subject_type, subject_id, created_at DESC) WHERE deleted_at IS NULL;
