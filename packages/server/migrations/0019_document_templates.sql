-- Document templates (Settings › Document templates): a DOCX with merge fields, filled from a record into a DOCX or
-- PDF attached to it. The file lives in the content-addressed file storage under sha256, as attachments do; the merge
-- fields it uses are read once, at upload, and kept here.
CREATE TABLE document_template (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  object text NOT NULL CHECK (object IN ('company', 'contact', 'lead', 'deal')),
  locale text NOT NULL CHECK (locale IN ('en', 'ru')),
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  sha256 char(64) NOT NULL,
  size_bytes bigint NOT NULL CHECK (size_bytes > 0),
  fields text[] NOT NULL DEFAULT '{}',
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (workspace_id, id)
);
-- The template list, per kind of record, by name.
CREATE INDEX document_template_object_idx ON document_template (workspace_id, object, name, id);
