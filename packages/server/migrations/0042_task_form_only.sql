-- A process step whose form has required fields is done only through that form (the process card or the task drawer's
-- "Complete step"): marking it done in the task list would move the process on without the values it needs.
ALTER TABLE task ADD COLUMN form_only boolean NOT NULL DEFAULT false;
