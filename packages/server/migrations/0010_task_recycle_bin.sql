-- Deleted tasks join the recycle bin: its list pages through a workspace's deleted tasks, most recently deleted first.
CREATE INDEX task_deleted_idx ON task (workspace_id, deleted_at DESC, id) WHERE deleted_at IS NOT NULL;
