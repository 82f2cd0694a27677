-- Sales pipelines and their stages (Settings › Pipelines). Deals come with the sales module and point at a stage.
CREATE TABLE pipeline (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
  position integer NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (workspace_id, id)
);
-- One default among the live pipelines of a workspace.
CREATE UNIQUE INDEX pipeline_default_idx ON pipeline (workspace_id) WHERE is_default AND archived_at IS NULL;

CREATE TABLE pipeline_stage (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  pipeline_id uuid NOT NULL,
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
  color text NOT NULL CHECK (color ~ '^#[0-9a-f]{6}$'),
  probability integer NOT NULL CHECK (probability BETWEEN 0 AND 100),
  kind text NOT NULL CHECK (kind IN ('open', 'won', 'lost')),
  rotting_days integer CHECK (rotting_days > 0),
  position integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, pipeline_id) REFERENCES pipeline (workspace_id, id)
);
CREATE INDEX pipeline_stage_pipeline_idx ON pipeline_stage (workspace_id, pipeline_id, position);

-- Workspaces made before pipelines existed get the same default pipeline a new one gets (setup.service.ts), in their
-- language. Ids are random (v4) here; the application makes UUIDv7 ones for everything created from now on.
WITH created AS (
  INSERT INTO pipeline (workspace_id, id, name, position, is_default)
  SELECT id, gen_random_uuid(), CASE WHEN locale = 'ru' THEN 'Продажи' ELSE 'Sales' END, 0, true FROM workspace
  RETURNING workspace_id, id
)
INSERT INTO pipeline_stage (workspace_id, id, pipeline_id, name, color, probability, kind, rotting_days, position)
SELECT c.workspace_id, gen_random_uuid(), c.id, CASE WHEN w.locale = 'ru' THEN s.name_ru ELSE s.name_en END, s.color, s.probability, s.kind, s.rotting_days, s.position
FROM created c JOIN workspace w ON w.id = c.workspace_id
CROSS JOIN (VALUES
  ('New request', 'Новая заявка', '#4dabf7', 10, 'open', 3, 0),
  ('Qualified', 'Квалификация', '#3bc9db', 25, 'open', 7, 1),
  ('Proposal', 'Предложение', '#fab005', 50, 'open', 10, 2),
  ('Negotiation', 'Переговоры', '#ff922b', 75, 'open', 10, 3),
  ('Won', 'Успешно', '#40c057', 100, 'won', NULL, 4),
  ('Lost', 'Проиграно', '#868e96', 0, 'lost', NULL, 5)
) AS s(name_en, name_ru, color, probability, kind, rotting_days, position);
