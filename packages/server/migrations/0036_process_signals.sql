-- Signal events of processes: each deployed version lists the signals its instances can wait for (catch events,
-- boundaries, event-based gateways' targets), so a thrown signal finds the running instances to deliver it to without
-- reading every diagram. Versions deployed before had no signal events.
ALTER TABLE process_version ADD COLUMN signals text[] NOT NULL DEFAULT '{}';
CREATE INDEX process_version_signals_idx ON process_version (workspace_id) WHERE signals <> '{}';
