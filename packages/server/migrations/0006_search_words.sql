-- Search at a million records (bench: search p95 was ~1.2 s). A trigram match of the query against every record's
-- name (`text <% search_name` at a low threshold, needed for typos) reads a large part of the trigram index. Instead,
-- typos are corrected against the workspace's vocabulary of name words (tens of thousands of rows, not millions),
-- and records are then found through the full-text index with the corrected words.
CREATE TABLE search_word (
  workspace_id uuid NOT NULL,
  word text NOT NULL,
  PRIMARY KEY (workspace_id, word)
);
CREATE INDEX search_word_trgm_idx ON search_word USING gin (word gin_trgm_ops);

-- Words are collected by a trigger so that every way rows arrive (the API, imports, bulk loads) feeds the vocabulary.
-- Words are never removed: a stale word only yields a full-text query that finds nothing.
CREATE FUNCTION collect_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.search_name IS DISTINCT FROM OLD.search_name THEN
    INSERT INTO search_word (workspace_id, word)
    SELECT NEW.workspace_id, w FROM unnest(regexp_split_to_array(NEW.search_name, '[^[:alnum:]]+')) AS w WHERE length(w) >= 3
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER company_search_words AFTER INSERT OR UPDATE OF search_name ON company FOR EACH ROW EXECUTE FUNCTION collect_search_words();
CREATE TRIGGER contact_search_words AFTER INSERT OR UPDATE OF search_name ON contact FOR EACH ROW EXECUTE FUNCTION collect_search_words();
CREATE TRIGGER lead_search_words AFTER INSERT OR UPDATE OF search_name ON lead FOR EACH ROW EXECUTE FUNCTION collect_search_words();

INSERT INTO search_word (workspace_id, word)
SELECT DISTINCT workspace_id, w FROM (
  SELECT workspace_id, search_name FROM company
  UNION ALL SELECT workspace_id, search_name FROM contact
  UNION ALL SELECT workspace_id, search_name FROM lead
) r, unnest(regexp_split_to_array(r.search_name, '[^[:alnum:]]+')) AS w
WHERE length(w) >= 3
ON CONFLICT DO NOTHING;

-- Lists sorted by creation time (newest first is a common saved view) page through an index, as updated_at does.
CREATE INDEX company_created_idx ON company (workspace_id, created_at DESC, id) WHERE deleted_at IS NULL;
CREATE INDEX contact_created_idx ON contact (workspace_id, created_at DESC, id) WHERE deleted_at IS NULL;
CREATE INDEX lead_created_idx ON lead (workspace_id, created_at DESC, id) WHERE deleted_at IS NULL;
