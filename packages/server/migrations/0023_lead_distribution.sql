-- Lead distribution: workspace-wide rules every incoming lead (web form, API intake) goes through before the form's own
-- assignment, and the record of each distributed lead that drives "reassign when nobody takes it within N minutes".
CREATE TABLE lead_distribution_rule (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  -- Rules are tried in this order (1 first); the first enabled one whose conditions all hold wins.
  position integer NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  -- Conditions; an empty list (or no region field) does not restrict.
  sources text[] NOT NULL DEFAULT '{}',
  form_ids uuid[] NOT NULL DEFAULT '{}',
  product_ids uuid[] NOT NULL DEFAULT '{}',
  -- The lead custom field that holds the region, and the values (compared case-insensitively) that match.
  region_field text,
  region_values text[] NOT NULL DEFAULT '{}',
  assign_mode text NOT NULL CHECK (assign_mode IN ('user', 'round_robin', 'least_loaded')),
  assign_user_id uuid,
  assign_team_id uuid,
  -- Round-robin's place in the team: the member who got the previous lead. Not an edit: it does not bump `version`.
  last_assignee_id uuid,
  -- Working hours in the workspace's time zone: ISO weekdays (1 = Monday) and minutes from midnight; NULL days = always.
  work_days smallint[],
  work_from smallint,
  work_to smallint,
  -- Reassign when nobody takes the lead within this many minutes, at most reassign_max times; NULL = never.
  reassign_minutes integer CHECK (reassign_minutes > 0),
  reassign_max integer NOT NULL DEFAULT 0 CHECK (reassign_max >= 0),
  deleted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (workspace_id, id),
  CHECK ((assign_mode = 'user') = (assign_user_id IS NOT NULL)),
  CHECK ((assign_mode = 'user') = (assign_team_id IS NULL)),
  CHECK ((work_days IS NULL) = (work_from IS NULL) AND (work_days IS NULL) = (work_to IS NULL)),
  CHECK (work_from IS NULL OR (work_from >= 0 AND work_from < work_to AND work_to <= 1440))
);
CREATE INDEX lead_distribution_rule_position_idx ON lead_distribution_rule (workspace_id, position, id) WHERE deleted_at IS NULL;

-- One row per lead a rule assigned: whose it is, its callback task, and when it goes to the next person if untaken.
CREATE TABLE lead_assignment (
  workspace_id uuid NOT NULL,
  lead_id uuid NOT NULL,
  rule_id uuid NOT NULL,
  task_id uuid NOT NULL,
  owner_id uuid NOT NULL,
  product_id uuid,
  -- When the current owner got the lead.
  assigned_at timestamptz NOT NULL,
  -- The reassignment timer; NULL once the lead is taken, the limit is reached or the rule reassigns never.
  reassign_at timestamptz,
  reassign_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, lead_id)
);
CREATE INDEX lead_assignment_due_idx ON lead_assignment (reassign_at) WHERE reassign_at IS NOT NULL;
