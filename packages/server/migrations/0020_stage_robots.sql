-- Stage robots (Settings › Pipelines › a stage's Robots): rules that run actions of the action library when a deal
-- enters the stage or stays in it without activity for some hours, and the log of every action a rule ran on a deal. The actions run as durable jobs; the log row is
-- also their state (queued → running → done or failed), so nothing a robot tried is dropped without a trace.
CREATE TABLE stage_rule (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  stage_id uuid NOT NULL,
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  trigger text NOT NULL CHECK (trigger IN ('on_enter', 'idle_hours')),
  -- For idle_hours: hours in the stage without activity (neither moved nor touched) before the rule runs.
  idle_hours integer CHECK (idle_hours BETWEEN 1 AND 8760),
  -- A FEEL expression over the deal's fields; null: always.
  condition text,
  -- The ordered actions: [{ type, config }], each config checked against its action's schema when saved.
  actions jsonb NOT NULL,
  position integer NOT NULL DEFAULT 0,
  deleted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (workspace_id, id),
  CHECK ((trigger = 'idle_hours') = (idle_hours IS NOT NULL))
);
-- A stage's rules in order, as the stage-entry trigger and the editor read them.
CREATE INDEX stage_rule_stage_idx ON stage_rule (workspace_id, stage_id, position, id) WHERE deleted_at IS NULL;

CREATE TABLE robot_run (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  deal_id uuid NOT NULL,
  rule_id uuid NOT NULL,
  -- The deal_stage_history row of the stay that triggered it: one run per (rule, entry, action).
  stage_entry_id uuid NOT NULL,
  action_index integer NOT NULL,
  action_type text NOT NULL,
  status text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'skipped')),
  attempts integer NOT NULL DEFAULT 0,
  error text,
  -- What the action made, for the log: e.g. the task's title and id.
  result jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, rule_id, stage_entry_id, action_index)
);
-- A deal card's "Robot runs", newest first.
CREATE INDEX robot_run_deal_idx ON robot_run (workspace_id, deal_id, created_at DESC, id);
-- The idle scan: live idle rules across workspaces.
CREATE INDEX stage_rule_idle_idx ON stage_rule (trigger) WHERE deleted_at IS NULL AND trigger = 'idle_hours';
