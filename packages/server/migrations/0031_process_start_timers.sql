-- Timer start events of deployed process versions ("every Monday at 9"): due rows fired by the due-timer loop with row
-- locks. Deploying a new version voids the previous version's pending rows; a cycle's next row is written when one fires.
CREATE TABLE process_start_timer (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  definition_id uuid NOT NULL,
  version_number integer NOT NULL,
  element_id text NOT NULL,
  due_at timestamptz NOT NULL,
  fired_at timestamptz,
  -- A cycle's interval and the repetitions left after this one (null: unbounded); null interval: fires once.
  interval_ms bigint,
  repeat integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX process_start_timer_due_idx ON process_start_timer (due_at) WHERE fired_at IS NULL;
CREATE INDEX process_start_timer_definition_idx ON process_start_timer (workspace_id, definition_id) WHERE fired_at IS NULL;
