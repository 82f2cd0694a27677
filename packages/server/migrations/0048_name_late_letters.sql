-- "Name contains" with a Cyrillic (or any later) letter, in name order: every name that begins with such a letter sorts
-- after the Latin ones, so the list's page is found by walking the name index from 'а' on, plus the few earlier names
-- that hold such a letter somewhere ("Ivan Петров", "«Ромашка»"), indexed here on their own
-- (client-record.repository.ts pageByNameWalk). The predicate is written exactly as the query writes it.

CREATE INDEX contact_name_late_letters_idx ON contact (workspace_id, name_key, id)
  WHERE deleted_at IS NULL AND name_key < 'а' AND regexp_like(name_key, '[^\x01-\u042f]');
CREATE INDEX company_name_late_letters_idx ON company (workspace_id, name_key, id)
  WHERE deleted_at IS NULL AND name_key < 'а' AND regexp_like(name_key, '[^\x01-\u042f]');
CREATE INDEX lead_name_late_letters_idx ON lead (workspace_id, name_key, id)
  WHERE deleted_at IS NULL AND name_key < 'а' AND regexp_like(name_key, '[^\x01-\u042f]');
