-- The calendar finds the calls and meetings people join, and the tasks they co-execute, through activity_participant and
-- task_member, which held no time: every meeting the people ever joined and every task they ever shared was looked up to
-- keep the range's few (bench, 10M activities, 20 people's week: 7,757 meetings for 70, ~90 ms; 2,040 tasks, ~30 ms).
-- The membership rows now carry their item's times, so an index on (person, time) finds the range's rows alone.
-- Triggers keep the copies: writers replace members (delete + insert) and move items in several places (edits,
-- series, drag and drop), and the calendar must never show an item in a week it has left.
ALTER TABLE activity_participant ADD COLUMN starts_at timestamptz, ADD COLUMN ends_at timestamptz;
UPDATE activity_participant p SET starts_at = a.starts_at, ends_at = a.ends_at
FROM activity a WHERE a.workspace_id = p.workspace_id AND a.id = p.activity_id AND a.starts_at IS NOT NULL;

ALTER TABLE task_member ADD COLUMN start_at timestamptz, ADD COLUMN due_at timestamptz;
UPDATE task_member m SET start_at = t.start_at, due_at = t.due_at
FROM task t WHERE t.workspace_id = m.workspace_id AND t.id = m.task_id AND t.due_at IS NOT NULL;

-- A member row always takes its item's times, whatever the writer set: the copy has one source.
CREATE FUNCTION activity_participant_times() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT a.starts_at, a.ends_at INTO NEW.starts_at, NEW.ends_at FROM activity a WHERE a.workspace_id = NEW.workspace_id AND a.id = NEW.activity_id;
  RETURN NEW;
END
$$;
CREATE TRIGGER activity_participant_times BEFORE INSERT OR UPDATE ON activity_participant FOR EACH ROW EXECUTE FUNCTION activity_participant_times();

CREATE FUNCTION task_member_times() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT t.start_at, t.due_at INTO NEW.start_at, NEW.due_at FROM task t WHERE t.workspace_id = NEW.workspace_id AND t.id = NEW.task_id;
  RETURN NEW;
END
$$;
CREATE TRIGGER task_member_times BEFORE INSERT OR UPDATE ON task_member FOR EACH ROW EXECUTE FUNCTION task_member_times();

-- Moving an item moves its members' copies, in the writer's transaction.
CREATE FUNCTION activity_times_to_participants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE activity_participant SET starts_at = NEW.starts_at, ends_at = NEW.ends_at WHERE workspace_id = NEW.workspace_id AND activity_id = NEW.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER activity_times_to_participants AFTER UPDATE OF starts_at, ends_at ON activity FOR EACH ROW
  WHEN (OLD.starts_at IS DISTINCT FROM NEW.starts_at OR OLD.ends_at IS DISTINCT FROM NEW.ends_at) EXECUTE FUNCTION activity_times_to_participants();

CREATE FUNCTION task_times_to_members() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE task_member SET start_at = NEW.start_at, due_at = NEW.due_at WHERE workspace_id = NEW.workspace_id AND task_id = NEW.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER task_times_to_members AFTER UPDATE OF start_at, due_at ON task FOR EACH ROW
  WHEN (OLD.start_at IS DISTINCT FROM NEW.start_at OR OLD.due_at IS DISTINCT FROM NEW.due_at) EXECUTE FUNCTION task_times_to_members();

-- As 0013 for owners: ordered by the end, the scan starts at the range and checks the start in the index. Tasks are
-- bounded by their due time first (the calendar's overlap, the load view's and My day's due ranges all bound it).
CREATE INDEX activity_participant_calendar_idx ON activity_participant (workspace_id, user_id, (coalesce(ends_at, starts_at)), starts_at) WHERE starts_at IS NOT NULL;
CREATE INDEX task_member_calendar_idx ON task_member (workspace_id, user_id, due_at, (coalesce(start_at, due_at))) WHERE role = 'co_executor' AND due_at IS NOT NULL;
