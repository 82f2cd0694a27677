-- A web form can open a deal for each request: the pipeline whose first stage the deal starts in, and, per submission,
-- the deal it opened.
ALTER TABLE web_form ADD COLUMN deal_pipeline_id uuid;
ALTER TABLE web_form_submission ADD COLUMN deal_id uuid;
