-- A rep with "own" scope opens their lists as `owner_id = me ORDER BY updated_at DESC`: with the owner leading the
-- index the page is read in order (bench, 1M contacts: ~54 ms cold → ~1.3 ms).
CREATE INDEX company_owner_updated_idx ON company (workspace_id, owner_id, updated_at DESC, id) WHERE deleted_at IS NULL;
CREATE INDEX contact_owner_updated_idx ON contact (workspace_id, owner_id, updated_at DESC, id) WHERE deleted_at IS NULL;
CREATE INDEX lead_owner_updated_idx ON lead (workspace_id, owner_id, updated_at DESC, id) WHERE deleted_at IS NULL;
