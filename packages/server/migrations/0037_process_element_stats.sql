-- The definition map's counters per version and element, kept up to date by triggers, so the map of a version reads a
-- few rows instead of aggregating every token of every instance: tokens waiting in a live (running or suspended)
-- instance, failed tokens, done tokens and their total time. A token counts for its instance's current version (a
-- migrated instance takes its counts along). Each instance adds to one of 16 slots, so concurrent steps of one process
-- rarely wait for the same counter row; the map sums the slots.
CREATE TABLE process_element_stat (
  workspace_id uuid NOT NULL,
  version_id uuid NOT NULL,
  element_id text NOT NULL,
  slot smallint NOT NULL,
  active bigint NOT NULL DEFAULT 0,
  failed bigint NOT NULL DEFAULT 0,
  done bigint NOT NULL DEFAULT 0,
  -- Seconds from entering to leaving, summed over the done tokens (numeric: exact under additions and subtractions).
  done_seconds numeric NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, version_id, element_id, slot)
);

CREATE FUNCTION process_element_stat_slot(instance_id uuid) RETURNS smallint LANGUAGE sql IMMUTABLE AS $$
  SELECT (abs(hashtext(instance_id::text)) % 16)::smallint
$$;

CREATE FUNCTION process_element_stat_add(ws uuid, ver uuid, el text, sl smallint, d_active bigint, d_failed bigint, d_done bigint, d_seconds numeric) RETURNS void LANGUAGE sql AS $$
  INSERT INTO process_element_stat AS s (workspace_id, version_id, element_id, slot, active, failed, done, done_seconds)
  VALUES (ws, ver, el, sl, d_active, d_failed, d_done, d_seconds)
  ON CONFLICT (workspace_id, version_id, element_id, slot) DO UPDATE
  SET active = s.active + excluded.active, failed = s.failed + excluded.failed, done = s.done + excluded.done, done_seconds = s.done_seconds + excluded.done_seconds
$$;

-- A token inserted or changed: its old contribution leaves the counters, its new one enters (element moves included).
CREATE FUNCTION process_token_stat() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  inst record;
  live boolean;
  sl smallint;
BEGIN
  SELECT version_id, state INTO inst FROM process_instance WHERE workspace_id = NEW.workspace_id AND id = NEW.instance_id;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  live := inst.state IN ('running', 'suspended');
  sl := process_element_stat_slot(NEW.instance_id);
  IF TG_OP = 'UPDATE' THEN
    IF OLD.state = NEW.state AND OLD.element_id = NEW.element_id AND OLD.left_at IS NOT DISTINCT FROM NEW.left_at AND OLD.entered_at = NEW.entered_at THEN
      RETURN NULL;
    END IF;
    IF (OLD.state = 'waiting' AND live) OR OLD.state IN ('failed', 'done') THEN
      PERFORM process_element_stat_add(OLD.workspace_id, inst.version_id, OLD.element_id, sl,
        -(OLD.state = 'waiting' AND live)::int, -(OLD.state = 'failed')::int, -(OLD.state = 'done')::int,
        CASE WHEN OLD.state = 'done' THEN -extract(epoch FROM OLD.left_at - OLD.entered_at) ELSE 0 END);
    END IF;
  END IF;
  IF (NEW.state = 'waiting' AND live) OR NEW.state IN ('failed', 'done') THEN
    PERFORM process_element_stat_add(NEW.workspace_id, inst.version_id, NEW.element_id, sl,
      (NEW.state = 'waiting' AND live)::int, (NEW.state = 'failed')::int, (NEW.state = 'done')::int,
      CASE WHEN NEW.state = 'done' THEN extract(epoch FROM NEW.left_at - NEW.entered_at) ELSE 0 END);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER process_token_stat AFTER INSERT OR UPDATE ON process_token FOR EACH ROW EXECUTE FUNCTION process_token_stat();

-- An instance that stops or starts being live moves its waiting tokens out of or into "active"; one migrated to
-- another version moves all its counts there.
CREATE FUNCTION process_instance_stat() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_live boolean := OLD.state IN ('running', 'suspended');
  new_live boolean := NEW.state IN ('running', 'suspended');
  sl smallint := process_element_stat_slot(NEW.id);
  r record;
BEGIN
  IF OLD.version_id <> NEW.version_id THEN
    FOR r IN
      SELECT element_id, count(*) FILTER (WHERE state = 'waiting') AS waiting, count(*) FILTER (WHERE state = 'failed') AS failed, count(*) FILTER (WHERE state = 'done') AS done,
             coalesce(sum(extract(epoch FROM left_at - entered_at)) FILTER (WHERE state = 'done'), 0) AS seconds
      FROM process_token WHERE workspace_id = NEW.workspace_id AND instance_id = NEW.id AND state IN ('waiting', 'failed', 'done') GROUP BY element_id
    LOOP
      PERFORM process_element_stat_add(NEW.workspace_id, OLD.version_id, r.element_id, sl, -(r.waiting * old_live::int), -r.failed, -r.done, -r.seconds);
      PERFORM process_element_stat_add(NEW.workspace_id, NEW.version_id, r.element_id, sl, r.waiting * new_live::int, r.failed, r.done, r.seconds);
    END LOOP;
  ELSIF old_live <> new_live THEN
    FOR r IN
      SELECT element_id, count(*) AS waiting FROM process_token WHERE workspace_id = NEW.workspace_id AND instance_id = NEW.id AND state = 'waiting' GROUP BY element_id
    LOOP
      PERFORM process_element_stat_add(NEW.workspace_id, NEW.version_id, r.element_id, sl, r.waiting * (new_live::int - old_live::int), 0, 0, 0);
    END LOOP;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER process_instance_stat AFTER UPDATE OF state, version_id ON process_instance FOR EACH ROW EXECUTE FUNCTION process_instance_stat();

-- The counts of the instances there already.
INSERT INTO process_element_stat (workspace_id, version_id, element_id, slot, active, failed, done, done_seconds)
SELECT t.workspace_id, i.version_id, t.element_id, process_element_stat_slot(t.instance_id),
  count(*) FILTER (WHERE t.state = 'waiting' AND i.state IN ('running', 'suspended')),
  count(*) FILTER (WHERE t.state = 'failed'),
  count(*) FILTER (WHERE t.state = 'done'),
  coalesce(sum(extract(epoch FROM t.left_at - t.entered_at)) FILTER (WHERE t.state = 'done'), 0)
FROM process_token t
JOIN process_instance i ON i.workspace_id = t.workspace_id AND i.id = t.instance_id
GROUP BY t.workspace_id, i.version_id, t.element_id, process_element_stat_slot(t.instance_id);
