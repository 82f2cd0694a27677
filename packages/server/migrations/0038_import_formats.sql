-- Imports read XLSX workbooks and vCard files as well as CSV: how the stored file is parsed.
ALTER TABLE import_job ADD COLUMN format text NOT NULL DEFAULT 'csv' CHECK (format IN ('csv', 'xlsx', 'vcard'));
