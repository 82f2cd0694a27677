-- Tasks: assignee (owner_id, so role scopes own/team apply to the one who does the work), co-executors and watchers,
-- checklist, comments, templates, recurring series and reminders. Durable timers (reminders, overdue and escalation
-- notices, series occurrences) are rows with a "fired" column claimed by the due-timer loop with FOR UPDATE SKIP LOCKED,
-- so each fires once however many server processes run, and late after downtime.

-- After this many hours overdue the assignee's manager is told too; NULL = no escalation.
ALTER TABLE workspace ADD COLUMN overdue_escalation_hours integer CHECK (overdue_escalation_hours BETWEEN 0 AND 8760);

-- Notification kind → send an e-mail too; kinds left out use the default the server decides per kind.
ALTER TABLE app_user ADD COLUMN notify_email jsonb NOT NULL DEFAULT '{}';

CREATE TABLE task_template (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  name text NOT NULL,
  title text NOT NULL,
  description text,
  priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  checklist jsonb NOT NULL DEFAULT '[]',
  -- Due this long after the task is created from the template; NULL = no due date.
  due_offset_minutes integer CHECK (due_offset_minutes >= 0),
  assignee_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  deleted_at timestamptz,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, assignee_id) REFERENCES app_user (workspace_id, id)
);
CREATE INDEX task_template_name_idx ON task_template (workspace_id, lower(name), id) WHERE deleted_at IS NULL;

-- A recurring task: the rule (RFC 5545 RRULE, read in `timezone`) gives due times; each occurrence's task is created at
-- next_run_at (its start, or a day ahead when the tasks have no start) from the template fields kept here.
CREATE TABLE task_series (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  rule text NOT NULL,
  dtstart timestamptz NOT NULL,
  timezone text NOT NULL,
  -- The tasks start this long before they are due; NULL = they have no start.
  start_offset_minutes integer CHECK (start_offset_minutes >= 0),
  title text NOT NULL,
  description text,
  priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  owner_id uuid NOT NULL,
  team_id uuid,
  all_day boolean NOT NULL DEFAULT false,
  subject_type text,
  subject_id uuid,
  checklist jsonb NOT NULL DEFAULT '[]',
  -- [{userId, role}] copied to each occurrence.
  members jsonb NOT NULL DEFAULT '[]',
  -- Minutes before each occurrence's due time at which its assignee is reminded.
  reminder_minutes integer[] NOT NULL DEFAULT '{}',
  template_id uuid,
  next_occurrence_at timestamptz,
  next_run_at timestamptz,
  last_run_at timestamptz,
  occurrences integer NOT NULL DEFAULT 0,
  ended_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  deleted_at timestamptz,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, owner_id) REFERENCES app_user (workspace_id, id),
  FOREIGN KEY (workspace_id, team_id) REFERENCES team (workspace_id, id),
  CHECK ((subject_type IS NULL) = (subject_id IS NULL))
);
CREATE INDEX task_series_due_idx ON task_series (next_run_at) WHERE next_run_at IS NOT NULL AND ended_at IS NULL AND deleted_at IS NULL;

CREATE TABLE task (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  title text NOT NULL,
  description text,
  owner_id uuid NOT NULL,
  team_id uuid,
  priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done', 'cancelled')),
  start_at timestamptz,
  due_at timestamptz,
  all_day boolean NOT NULL DEFAULT false,
  completed_at timestamptz,
  subject_type text,
  subject_id uuid,
  checklist jsonb NOT NULL DEFAULT '[]',
  series_id uuid,
  template_id uuid,
  overdue_notified_at timestamptz,
  -- When the manager is to be told (due + the workspace's escalation hours), set with the overdue notice.
  escalate_at timestamptz,
  escalated_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  deleted_at timestamptz,
  deleted_by uuid,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, owner_id) REFERENCES app_user (workspace_id, id),
  FOREIGN KEY (workspace_id, team_id) REFERENCES team (workspace_id, id),
  FOREIGN KEY (workspace_id, series_id) REFERENCES task_series (workspace_id, id),
  FOREIGN KEY (workspace_id, template_id) REFERENCES task_template (workspace_id, id),
  CHECK (due_at >= start_at),
  CHECK ((subject_type IS NULL) = (subject_id IS NULL))
);
CREATE INDEX task_owner_due_idx ON task (workspace_id, owner_id, due_at) WHERE status IN ('open', 'in_progress') AND deleted_at IS NULL;
CREATE INDEX task_owner_idx ON task (workspace_id, owner_id, id) WHERE deleted_at IS NULL;
CREATE INDEX task_team_idx ON task (workspace_id, team_id) WHERE deleted_at IS NULL;
CREATE INDEX task_author_idx ON task (workspace_id, created_by, id) WHERE deleted_at IS NULL;
CREATE INDEX task_subject_idx ON task (workspace_id, subject_type, subject_id) WHERE subject_id IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX task_series_idx ON task (workspace_id, series_id) WHERE series_id IS NOT NULL;
-- The due-timer loop's scans: open tasks not yet reported overdue, and reported ones awaiting escalation.
CREATE INDEX task_overdue_idx ON task (due_at) WHERE status IN ('open', 'in_progress') AND overdue_notified_at IS NULL AND deleted_at IS NULL;
CREATE INDEX task_escalate_idx ON task (escalate_at) WHERE status IN ('open', 'in_progress') AND escalate_at IS NOT NULL AND escalated_at IS NULL AND deleted_at IS NULL;

CREATE TABLE task_member (
  workspace_id uuid NOT NULL,
  task_id uuid NOT NULL,
  user_id uuid NOT NULL,
  role text NOT NULL CHECK (role IN ('co_executor', 'watcher')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, task_id, user_id),
  FOREIGN KEY (workspace_id, task_id) REFERENCES task (workspace_id, id),
  FOREIGN KEY (workspace_id, user_id) REFERENCES app_user (workspace_id, id)
);
CREATE INDEX task_member_user_idx ON task_member (workspace_id, user_id, task_id);

CREATE TABLE task_comment (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  task_id uuid NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  deleted_at timestamptz,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, task_id) REFERENCES task (workspace_id, id)
);
CREATE INDEX task_comment_task_idx ON task_comment (workspace_id, task_id, id) WHERE deleted_at IS NULL;

-- A reminder to one user about a task (or an activity). `before_minutes` set = relative to the task's due time and moved
-- with it. `late` = fired more than a minute after fire_at (the server was down).
CREATE TABLE reminder (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  user_id uuid NOT NULL,
  task_id uuid,
  activity_id uuid,
  fire_at timestamptz NOT NULL,
  before_minutes integer CHECK (before_minutes >= 0),
  fired_at timestamptz,
  late boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, user_id) REFERENCES app_user (workspace_id, id),
  FOREIGN KEY (workspace_id, task_id) REFERENCES task (workspace_id, id),
  FOREIGN KEY (workspace_id, activity_id) REFERENCES activity (workspace_id, id)
);
CREATE INDEX reminder_pending_idx ON reminder (fire_at) WHERE fired_at IS NULL;
CREATE INDEX reminder_task_idx ON reminder (workspace_id, task_id) WHERE task_id IS NOT NULL;
CREATE INDEX reminder_activity_idx ON reminder (workspace_id, activity_id) WHERE activity_id IS NOT NULL;
