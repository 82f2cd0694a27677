-- Lead capture: web forms built in Settings › Web forms, what each submission produced, and the campaign tags and
-- recognised contact a captured lead carries.
CREATE TABLE web_form (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  -- [{ key, label, required }] in the order the visitor sees them.
  fields jsonb NOT NULL,
  assign_mode text NOT NULL CHECK (assign_mode IN ('user', 'round_robin', 'least_loaded')),
  assign_user_id uuid,
  assign_team_id uuid,
  -- Round-robin's place in the team: the member who got the previous lead. Not an edit: it does not bump `version`.
  last_assignee_id uuid,
  success_message text NOT NULL DEFAULT '' CHECK (length(success_message) <= 1000),
  redirect_url text,
  allowed_origins text[] NOT NULL DEFAULT '{}',
  enabled boolean NOT NULL DEFAULT true,
  deleted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (workspace_id, id),
  CHECK ((assign_mode = 'user') = (assign_user_id IS NOT NULL)),
  CHECK ((assign_mode = 'user') = (assign_team_id IS NULL))
);
-- The public endpoint knows a form by its id alone (the workspace follows from it).
CREATE UNIQUE INDEX web_form_id_idx ON web_form (id);
CREATE INDEX web_form_name_idx ON web_form (workspace_id, name, id) WHERE deleted_at IS NULL;

CREATE TABLE web_form_submission (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  form_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  lead_id uuid NOT NULL,
  owner_id uuid NOT NULL,
  matched_contact_id uuid,
  utm jsonb NOT NULL DEFAULT '{}',
  referrer text,
  page_url text,
  ip text,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, form_id) REFERENCES web_form (workspace_id, id)
);
CREATE INDEX web_form_submission_form_idx ON web_form_submission (workspace_id, form_id, created_at DESC, id DESC);

ALTER TABLE lead ADD COLUMN utm jsonb NOT NULL DEFAULT '{}';
ALTER TABLE lead ADD COLUMN matched_contact_id uuid;

-- Submissions of a public form are audited as the form's doing, not a person's.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_actor_type_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_actor_type_check CHECK (actor_type IN ('user', 'api_key', 'system', 'form'));
