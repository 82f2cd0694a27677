-- Comments and questions people leave on a process instance (its card): who may see the instance may read and add them.
CREATE TABLE process_comment (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  instance_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('comment', 'question')),
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid NOT NULL,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, instance_id) REFERENCES process_instance (workspace_id, id),
  FOREIGN KEY (workspace_id, created_by) REFERENCES app_user (workspace_id, id)
);
CREATE INDEX process_comment_instance_idx ON process_comment (workspace_id, instance_id, created_at, id);
