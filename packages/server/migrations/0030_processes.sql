-- Business processes (BPMN): definitions edited as a draft, deployed versions (immutable XML), running instances with
-- their tokens, the event log, durable timers (also the queue of service-task runs) and the user tasks they created.
-- The engine runs each step in a transaction that locks the instance row, so any number of processes can run steps.
CREATE TABLE process_definition (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  key text NOT NULL,
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  description text,
  draft_xml text NOT NULL,
  latest_version integer,
  -- The CRM events that start the latest deployed version: [{ event, object, stageId?, field?, condition?, elementId }].
  start_triggers jsonb NOT NULL DEFAULT '[]',
  deleted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX process_definition_name_idx ON process_definition (workspace_id, name, id) WHERE deleted_at IS NULL;
-- Definitions whose latest version starts on a CRM event, as the outbox dispatcher looks them up.
CREATE INDEX process_definition_trigger_idx ON process_definition (workspace_id) WHERE deleted_at IS NULL AND start_triggers <> '[]';

CREATE TABLE process_version (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  definition_id uuid NOT NULL,
  number integer NOT NULL,
  xml text NOT NULL,
  deployed_by uuid,
  deployed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, definition_id, number)
);

CREATE TABLE process_instance (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  definition_id uuid NOT NULL,
  version_id uuid NOT NULL,
  version_number integer NOT NULL,
  state text NOT NULL CHECK (state IN ('running', 'suspended', 'completed', 'cancelled', 'failed')),
  record_type text CHECK (record_type IN ('deal', 'contact', 'company', 'lead')),
  record_id uuid,
  variables jsonb NOT NULL DEFAULT '{}',
  -- Why the instance failed (a step that kept failing, an error no boundary caught).
  error text,
  -- Who started it (the access scope "own"); a CRM event's start is owned by the record's owner.
  owner_id uuid NOT NULL,
  team_id uuid,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (workspace_id, id),
  CHECK ((record_type IS NULL) = (record_id IS NULL))
);
-- The monitoring list: newest first, by definition and version, by record.
CREATE INDEX process_instance_list_idx ON process_instance (workspace_id, started_at DESC, id DESC);
CREATE INDEX process_instance_definition_idx ON process_instance (workspace_id, definition_id, version_number, started_at DESC, id DESC);
CREATE INDEX process_instance_record_idx ON process_instance (workspace_id, record_type, record_id) WHERE record_id IS NOT NULL;

-- A token: where a path of an instance is (or was). Tokens inside an embedded sub-process point at the sub-process's token.
CREATE TABLE process_token (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  instance_id uuid NOT NULL,
  element_id text NOT NULL,
  parent_id uuid,
  -- active: passing through within a step; waiting: a wait state (task, timer, join, sub-process); done / cancelled / failed: history.
  state text NOT NULL CHECK (state IN ('active', 'waiting', 'done', 'cancelled', 'failed')),
  -- The sequence flow it arrived by (joins count arrivals per flow).
  via_flow text,
  error text,
  entered_at timestamptz NOT NULL,
  left_at timestamptz,
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX process_token_instance_idx ON process_token (workspace_id, instance_id, entered_at, id);
-- The definition map's counters: live tokens by element.
CREATE INDEX process_token_live_idx ON process_token (workspace_id, instance_id, element_id) WHERE state IN ('waiting', 'failed');

CREATE TABLE process_event (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  instance_id uuid NOT NULL,
  at timestamptz NOT NULL,
  kind text NOT NULL,
  element_id text,
  user_id uuid,
  data jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX process_event_instance_idx ON process_event (workspace_id, instance_id, at, id);

-- Due work of the engine, fired by the due-timer loop with row locks (exactly once): timer events and service-task runs.
CREATE TABLE process_timer (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  instance_id uuid NOT NULL,
  token_id uuid NOT NULL,
  -- The timer event (catch, boundary, or an event-based gateway's target) or the service task.
  element_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('timer', 'service')),
  due_at timestamptz NOT NULL,
  fired_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  -- A cycle's remaining repetitions and interval; a service task's last error.
  data jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX process_timer_due_idx ON process_timer (due_at) WHERE fired_at IS NULL;
CREATE INDEX process_timer_token_idx ON process_timer (workspace_id, token_id) WHERE fired_at IS NULL;

-- The tasks (task module) user tasks created; the task's completion moves the token on.
CREATE TABLE process_user_task (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  task_id uuid NOT NULL,
  instance_id uuid NOT NULL,
  token_id uuid NOT NULL,
  element_id text NOT NULL,
  assignee_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
  form jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL,
  completed_at timestamptz,
  PRIMARY KEY (workspace_id, task_id)
);
CREATE INDEX process_user_task_instance_idx ON process_user_task (workspace_id, instance_id, created_at);
