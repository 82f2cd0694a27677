-- Sales reports: the forecast reads open deals by expected close date, won/lost reads deals by when they entered
-- their (closing) stage; both over a period, so a range index each instead of a scan of every deal.
CREATE INDEX deal_expected_close_idx ON deal (workspace_id, expected_close_date) WHERE deleted_at IS NULL AND expected_close_date IS NOT NULL;
CREATE INDEX deal_stage_entered_idx ON deal (workspace_id, stage_entered_at) WHERE deleted_at IS NULL;
