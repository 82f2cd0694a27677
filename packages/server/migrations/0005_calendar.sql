-- Calendar: private ICS feed addresses, the daily birthday reminder's timer, birthdays found by month and day, and
-- tasks found by assignee and due time whatever their status (the calendar shows done ones too).

-- A user's secret calendar address. Only the token's hash is kept; a new token revokes the old one.
CREATE TABLE calendar_feed (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  user_id uuid NOT NULL,
  token_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  revoked_at timestamptz,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, user_id) REFERENCES app_user (workspace_id, id)
);
-- The public address carries only the token, not the workspace: the lookup is by hash alone.
CREATE UNIQUE INDEX calendar_feed_token_idx ON calendar_feed (token_hash);
CREATE UNIQUE INDEX calendar_feed_live_idx ON calendar_feed (workspace_id, user_id) WHERE revoked_at IS NULL;

-- The first 09:00 in time zone `tz` after `after`.
CREATE FUNCTION birthday_reminder_after(tz text, after timestamptz) RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN today_nine > after THEN today_nine ELSE ((((after AT TIME ZONE tz)::date + 1) + time '09:00') AT TIME ZONE tz) END
  FROM (SELECT (((after AT TIME ZONE tz)::date + time '09:00') AT TIME ZONE tz) AS today_nine) nine
$$;

-- One timer per workspace for the daily birthday reminder, claimed by the due-timer loop like every other due row
-- (FOR UPDATE SKIP LOCKED, advanced in the same transaction): it fires once a day however many processes run.
-- `covered_through` is the last local day whose birthdays were announced, so days missed while the server was down
-- are announced when it comes back (marked late) rather than skipped.
CREATE TABLE birthday_reminder (
  workspace_id uuid PRIMARY KEY REFERENCES workspace (id),
  fire_at timestamptz NOT NULL,
  fired_at timestamptz,
  late boolean NOT NULL DEFAULT false,
  covered_through date
);
CREATE INDEX birthday_reminder_due_idx ON birthday_reminder (fire_at);

INSERT INTO birthday_reminder (workspace_id, fire_at) SELECT id, birthday_reminder_after(timezone, now()) FROM workspace;

CREATE FUNCTION birthday_reminder_for_workspace() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO birthday_reminder (workspace_id, fire_at) VALUES (NEW.id, birthday_reminder_after(NEW.timezone, now())) ON CONFLICT DO NOTHING;
  RETURN NEW;
END
$$;
CREATE TRIGGER workspace_birthday_reminder AFTER INSERT ON workspace FOR EACH ROW EXECUTE FUNCTION birthday_reminder_for_workspace();

-- Birthdays within the next N days: contacts whose month and day (as MMDD) are among the days asked for.
CREATE INDEX contact_birthday_idx ON contact (workspace_id, ((EXTRACT(MONTH FROM birthday) * 100 + EXTRACT(DAY FROM birthday))::int))
  WHERE birthday IS NOT NULL AND deleted_at IS NULL;

-- A person's tasks in a range of days (calendar, load, My day); 0004's index covers only open ones.
CREATE INDEX task_calendar_idx ON task (workspace_id, owner_id, due_at) WHERE deleted_at IS NULL AND due_at IS NOT NULL;
