-- Activities: calls, meetings, e-mails and SMS join the notes on the shared timeline. Each has a responsible user
-- (owner_id, team_id) so the `activity` role scopes apply; planned calls and meetings carry a status and a time slot.
-- Base rotation: company, contact and lead remember when someone last interacted with them (last_activity_at).

ALTER TABLE activity DROP CONSTRAINT activity_kind_check;
ALTER TABLE activity ADD CONSTRAINT activity_kind_check CHECK (kind IN ('note', 'call', 'meeting', 'email', 'sms'));
-- A call or meeting may be logged without words; a note is its words.
ALTER TABLE activity ALTER COLUMN body DROP NOT NULL;
ALTER TABLE activity ADD CONSTRAINT activity_note_body_check CHECK (kind <> 'note' OR body IS NOT NULL);

ALTER TABLE activity
  ADD COLUMN subject text,
  ADD COLUMN direction text CHECK (direction IN ('inbound', 'outbound')),
  -- E.164; the number as typed stays in phone_raw (also when it could not be read and the caller kept it).
  ADD COLUMN phone text,
  ADD COLUMN phone_raw text,
  ADD COLUMN duration_sec integer CHECK (duration_sec >= 0),
  ADD COLUMN result text,
  ADD COLUMN recording_url text,
  ADD COLUMN starts_at timestamptz,
  ADD COLUMN ends_at timestamptz,
  ADD COLUMN place text,
  ADD COLUMN email_from text,
  ADD COLUMN email_to text[],
  ADD COLUMN status text CHECK (status IN ('planned', 'done', 'cancelled')),
  ADD COLUMN owner_id uuid,
  ADD COLUMN team_id uuid,
  ADD CONSTRAINT activity_time_check CHECK (ends_at >= starts_at),
  ADD CONSTRAINT activity_owner_fk FOREIGN KEY (workspace_id, owner_id) REFERENCES app_user (workspace_id, id),
  ADD CONSTRAINT activity_team_fk FOREIGN KEY (workspace_id, team_id) REFERENCES team (workspace_id, id);

-- Existing notes: the author is responsible; a system note (no author) belongs to the owner of its record.
UPDATE activity a SET owner_id = a.author_id, team_id = u.team_id
FROM app_user u WHERE u.workspace_id = a.workspace_id AND u.id = a.author_id;
UPDATE activity a SET owner_id = r.owner_id, team_id = r.team_id
FROM activity_link l
JOIN (
  SELECT workspace_id, 'company' AS object, id, owner_id, team_id FROM company
  UNION ALL SELECT workspace_id, 'contact', id, owner_id, team_id FROM contact
  UNION ALL SELECT workspace_id, 'lead', id, owner_id, team_id FROM lead
) r ON r.workspace_id = l.workspace_id AND r.object = l.subject_type AND r.id = l.subject_id
WHERE a.owner_id IS NULL AND l.workspace_id = a.workspace_id AND l.activity_id = a.id;
-- Anything left (a note whose record is gone) goes to the workspace's first user rather than being lost.
UPDATE activity a SET owner_id = (SELECT u.id FROM app_user u WHERE u.workspace_id = a.workspace_id ORDER BY u.created_at, u.id LIMIT 1)
WHERE a.owner_id IS NULL;
ALTER TABLE activity ALTER COLUMN owner_id SET NOT NULL;

CREATE INDEX activity_recent_idx ON activity (workspace_id, occurred_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX activity_owner_idx ON activity (workspace_id, owner_id, occurred_at DESC) WHERE deleted_at IS NULL;
-- The calendar reads planned and past calls and meetings by owner and time.
CREATE INDEX activity_calendar_idx ON activity (workspace_id, owner_id, starts_at) WHERE starts_at IS NOT NULL AND deleted_at IS NULL;

-- Colleagues taking part (external participants are activity_link rows to contacts).
CREATE TABLE activity_participant (
  workspace_id uuid NOT NULL,
  activity_id uuid NOT NULL,
  user_id uuid NOT NULL,
  PRIMARY KEY (workspace_id, activity_id, user_id),
  FOREIGN KEY (workspace_id, activity_id) REFERENCES activity (workspace_id, id),
  FOREIGN KEY (workspace_id, user_id) REFERENCES app_user (workspace_id, id)
);
CREATE INDEX activity_participant_user_idx ON activity_participant (workspace_id, user_id);

ALTER TABLE company ADD COLUMN last_activity_at timestamptz;
ALTER TABLE contact ADD COLUMN last_activity_at timestamptz;
ALTER TABLE lead ADD COLUMN last_activity_at timestamptz;
-- "No interaction for N days" compares coalesce(last_activity_at, created_at): a record nobody touched yet ages from its creation.
CREATE INDEX company_last_activity_idx ON company (workspace_id, (coalesce(last_activity_at, created_at))) WHERE deleted_at IS NULL;
CREATE INDEX contact_last_activity_idx ON contact (workspace_id, (coalesce(last_activity_at, created_at))) WHERE deleted_at IS NULL;
CREATE INDEX lead_last_activity_idx ON lead (workspace_id, (coalesce(last_activity_at, created_at))) WHERE deleted_at IS NULL;

-- last_activity_at is kept by the database because links are written from several places (notes, activities, merges moving
-- links to the survivor, lead conversion copying them); a trigger keeps every one of them in the writer's transaction.
-- An interaction is an activity that happened: not deleted, and not a planned or cancelled call or meeting.
CREATE FUNCTION activity_counts(ws uuid, act uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM activity a WHERE a.workspace_id = ws AND a.id = act AND a.deleted_at IS NULL AND (a.status IS NULL OR a.status = 'done'))
$$;

CREATE FUNCTION refresh_last_activity(ws uuid, object text, record uuid) RETURNS void LANGUAGE plpgsql AS $$
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
  END IF;
END
$$;

CREATE FUNCTION activity_link_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- The common case (a new interaction) only moves the date forward.
    IF activity_counts(NEW.workspace_id, NEW.activity_id) THEN
      IF NEW.subject_type = 'company' THEN
        UPDATE company SET last_activity_at = NEW.occurred_at WHERE workspace_id = NEW.workspace_id AND id = NEW.subject_id AND (last_activity_at IS NULL OR last_activity_at < NEW.occurred_at);
      ELSIF NEW.subject_type = 'contact' THEN
        UPDATE contact SET last_activity_at = NEW.occurred_at WHERE workspace_id = NEW.workspace_id AND id = NEW.subject_id AND (last_activity_at IS NULL OR last_activity_at < NEW.occurred_at);
      ELSIF NEW.subject_type = 'lead' THEN
        UPDATE lead SET last_activity_at = NEW.occurred_at WHERE workspace_id = NEW.workspace_id AND id = NEW.subject_id AND (last_activity_at IS NULL OR last_activity_at < NEW.occurred_at);
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
CREATE TRIGGER activity_link_last_activity AFTER INSERT OR UPDATE OR DELETE ON activity_link FOR EACH ROW EXECUTE FUNCTION activity_link_touch();

-- Deleting, restoring, completing or moving an activity in time changes what counts for each of its records.
CREATE FUNCTION activity_touch() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  link record;
BEGIN
  FOR link IN SELECT subject_type, subject_id FROM activity_link WHERE workspace_id = NEW.workspace_id AND activity_id = NEW.id LOOP
    PERFORM refresh_last_activity(NEW.workspace_id, link.subject_type, link.subject_id);
  END LOOP;
  RETURN NEW;
END
$$;
CREATE TRIGGER activity_last_activity AFTER UPDATE OF deleted_at, status ON activity FOR EACH ROW
  WHEN (OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION activity_touch();

-- Existing history counts from the start.
UPDATE company c SET last_activity_at = x.latest FROM (
  SELECT l.workspace_id, l.subject_id, max(l.occurred_at) AS latest FROM activity_link l
  JOIN activity a ON a.workspace_id = l.workspace_id AND a.id = l.activity_id AND a.deleted_at IS NULL
  WHERE l.subject_type = 'company' GROUP BY l.workspace_id, l.subject_id
) x WHERE c.workspace_id = x.workspace_id AND c.id = x.subject_id;
UPDATE contact c SET last_activity_at = x.latest FROM (
  SELECT l.workspace_id, l.subject_id, max(l.occurred_at) AS latest FROM activity_link l
  JOIN activity a ON a.workspace_id = l.workspace_id AND a.id = l.activity_id AND a.deleted_at IS NULL
  WHERE l.subject_type = 'contact' GROUP BY l.workspace_id, l.subject_id
) x WHERE c.workspace_id = x.workspace_id AND c.id = x.subject_id;
UPDATE lead c SET last_activity_at = x.latest FROM (
  SELECT l.workspace_id, l.subject_id, max(l.occurred_at) AS latest FROM activity_link l
  JOIN activity a ON a.workspace_id = l.workspace_id AND a.id = l.activity_id AND a.deleted_at IS NULL
  WHERE l.subject_type = 'lead' GROUP BY l.workspace_id, l.subject_id
) x WHERE c.workspace_id = x.workspace_id AND c.id = x.subject_id;
