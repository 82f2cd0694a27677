-- Tasks in a calendar range: due from the range's start on, and started (or due) before its end. The old index
-- (owner, due) bounded only the first, so a past week read every later task of its people from the table to drop
-- them (~1,200 of ~1,450 rows for a 20-person team on the 10M base). With the start in the index entry, those are
-- dropped in the index, as task_member_calendar_idx (0015) and activity_calendar_end_idx (0013) do.
DROP INDEX task_calendar_idx;
CREATE INDEX task_calendar_idx ON task (workspace_id, owner_id, due_at, (coalesce(start_at, due_at))) WHERE deleted_at IS NULL AND due_at IS NOT NULL;
