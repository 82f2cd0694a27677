-- The funnel counts, per stage, the deals of a period that reached it: each deal's furthest stage (the highest position
-- among the non-lost stages of its current pipeline that it ever entered). Worked out from the stage history on every
-- report, that read every period deal's history (a month of a million-deal pipeline: 1.5 s); kept on the deal, the
-- report reads the period's deals alone. Triggers keep it in the writing transaction: a stage entered raises it, a
-- change of pipeline works it out again; a reordered pipeline is recomputed by its writer (deal_reach_recompute).
ALTER TABLE deal ADD COLUMN reached_position integer;

CREATE FUNCTION deal_reach_of(ws uuid, deal uuid, pipeline uuid) RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT max(s.position) FROM deal_stage_history h
  JOIN pipeline_stage s ON s.workspace_id = h.workspace_id AND s.id = h.to_stage_id AND s.pipeline_id = pipeline AND s.kind <> 'lost'
  WHERE h.workspace_id = ws AND h.deal_id = deal
$$;

-- Every deal of a workspace, or of one pipeline, at once (a backfill, a bulk load, a reordered pipeline).
CREATE FUNCTION deal_reach_recompute(ws uuid, pipeline uuid) RETURNS void LANGUAGE sql AS $$
  UPDATE deal d SET reached_position = x.top
  FROM (
    SELECT r.id, max(s.position) FILTER (WHERE s.pipeline_id = r.pipeline_id AND s.kind <> 'lost') AS top
    FROM deal r
    LEFT JOIN deal_stage_history h ON h.workspace_id = r.workspace_id AND h.deal_id = r.id
    LEFT JOIN pipeline_stage s ON s.workspace_id = h.workspace_id AND s.id = h.to_stage_id
    WHERE r.workspace_id = ws AND (pipeline IS NULL OR r.pipeline_id = pipeline)
    GROUP BY r.id, r.pipeline_id
  ) x
  WHERE d.workspace_id = ws AND d.id = x.id AND d.reached_position IS DISTINCT FROM x.top
$$;

CREATE FUNCTION deal_reach_entered() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE deal d SET reached_position = s.position
  FROM pipeline_stage s
  WHERE d.workspace_id = NEW.workspace_id AND d.id = NEW.deal_id
    AND s.workspace_id = NEW.workspace_id AND s.id = NEW.to_stage_id AND s.pipeline_id = d.pipeline_id AND s.kind <> 'lost'
    AND (d.reached_position IS NULL OR d.reached_position < s.position);
  RETURN NULL;
END
$$;
CREATE TRIGGER deal_reach_entered AFTER INSERT ON deal_stage_history FOR EACH ROW EXECUTE FUNCTION deal_reach_entered();

CREATE FUNCTION deal_reach_pipeline() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.reached_position := deal_reach_of(NEW.workspace_id, NEW.id, NEW.pipeline_id);
  RETURN NEW;
END
$$;
CREATE TRIGGER deal_reach_pipeline BEFORE UPDATE OF pipeline_id ON deal FOR EACH ROW
  WHEN (OLD.pipeline_id IS DISTINCT FROM NEW.pipeline_id) EXECUTE FUNCTION deal_reach_pipeline();

SELECT deal_reach_recompute(id, NULL) FROM workspace;

-- The funnel's read: a pipeline's deals created in the period, from the index alone (with what scopes filter by).
CREATE INDEX deal_funnel_idx ON deal (workspace_id, pipeline_id, created_at) INCLUDE (reached_position, stage_id, owner_id, team_id) WHERE deleted_at IS NULL;
