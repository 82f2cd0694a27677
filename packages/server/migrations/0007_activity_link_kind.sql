-- A card's timeline narrowed to one kind ("calls only") walked every link of the record and looked each activity up
-- (a company with thousands of entries: ~90 ms under load). The kind on the link lets an index answer it.
-- An activity's kind never changes, so the copy cannot go stale.
ALTER TABLE activity_link ADD COLUMN kind text;
UPDATE activity_link l SET kind = a.kind FROM activity a WHERE a.workspace_id = l.workspace_id AND a.id = l.activity_id;
ALTER TABLE activity_link ALTER COLUMN kind SET NOT NULL;

-- Writers that copy links (merges move them to the survivor, lead conversion copies them) need not know: a new link
-- takes its activity's kind.
CREATE FUNCTION activity_link_kind() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT a.kind INTO NEW.kind FROM activity a WHERE a.workspace_id = NEW.workspace_id AND a.id = NEW.activity_id;
  RETURN NEW;
END
$$;
CREATE TRIGGER activity_link_kind BEFORE INSERT ON activity_link FOR EACH ROW EXECUTE FUNCTION activity_link_kind();

CREATE INDEX activity_link_kind_idx ON activity_link (workspace_id, subject_type, subject_id, kind, occurred_at DESC, activity_id DESC);
