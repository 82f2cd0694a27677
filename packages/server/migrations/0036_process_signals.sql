-- Signal events and call activities of processes.
-- Each deployed version lists the signals its instances can wait for (catch events, boundaries, event-based gateways'
-- targets), so a thrown signal finds the running instances to deliver it to without reading every diagram; and its
-- BPMN process id, the name a call activity calls it by. Versions deployed before had neither signal events nor calls.
ALTER TABLE process_version ADD COLUMN signals text[] NOT NULL DEFAULT '{}';
ALTER TABLE process_version ADD COLUMN process_id text;
CREATE INDEX process_version_signals_idx ON process_version (workspace_id) WHERE signals <> '{}';
-- An instance a call activity started: its parent instance and the call activity's token, which waits for it to end.
ALTER TABLE process_instance ADD COLUMN parent_instance_id uuid;
ALTER TABLE process_instance ADD COLUMN parent_token_id uuid;
CREATE INDEX process_instance_parent_idx ON process_instance (workspace_id, parent_token_id) WHERE parent_token_id IS NOT NULL;
CREATE INDEX process_instance_children_idx ON process_instance (workspace_id, parent_instance_id, started_at) WHERE parent_instance_id IS NOT NULL;
