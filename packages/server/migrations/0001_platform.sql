-- Platform: workspaces, identity, sessions, audit, outbox, notifications, mail, idempotency.
-- Every tenant table leads its keys with workspace_id (ARCHITECTURE §3).
-- Self-references are DEFERRABLE so `rapport restore` can load a table in any row order.

CREATE TABLE workspace (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  locale text NOT NULL DEFAULT 'en',
  currency text NOT NULL DEFAULT 'USD',
  timezone text NOT NULL DEFAULT 'UTC',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);

CREATE TABLE role (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  is_system boolean NOT NULL DEFAULT false,
  permissions jsonb NOT NULL,
  field_rules jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  deleted_at timestamptz,
  PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX role_name_key ON role (workspace_id, lower(name)) WHERE deleted_at IS NULL;

CREATE TABLE team (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  name text NOT NULL,
  kind text NOT NULL DEFAULT 'team' CHECK (kind IN ('department', 'branch', 'team')),
  parent_id uuid,
  head_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  deleted_at timestamptz,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, parent_id) REFERENCES team (workspace_id, id) DEFERRABLE
);
CREATE INDEX team_parent_idx ON team (workspace_id, parent_id);

CREATE TABLE app_user (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  email text NOT NULL,
  name text NOT NULL,
  password_hash text,
  locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'ru')),
  status text NOT NULL CHECK (status IN ('active', 'invited', 'disabled')),
  role_id uuid NOT NULL,
  team_id uuid,
  manager_id uuid,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  last_login_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  updated_by uuid,
  version integer NOT NULL DEFAULT 1,
  deleted_at timestamptz,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, role_id) REFERENCES role (workspace_id, id),
  FOREIGN KEY (workspace_id, team_id) REFERENCES team (workspace_id, id),
  FOREIGN KEY (workspace_id, manager_id) REFERENCES app_user (workspace_id, id) DEFERRABLE
);
-- Login is by e-mail alone, so an address belongs to one user across the installation.
CREATE UNIQUE INDEX app_user_email_key ON app_user (lower(email));
CREATE INDEX app_user_team_idx ON app_user (workspace_id, team_id);

CREATE TABLE session (
  id text PRIMARY KEY, -- sha256 of the cookie token
  workspace_id uuid NOT NULL,
  user_id uuid NOT NULL,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text,
  FOREIGN KEY (workspace_id, user_id) REFERENCES app_user (workspace_id, id)
);
CREATE INDEX session_user_idx ON session (workspace_id, user_id);
CREATE INDEX session_expires_idx ON session (expires_at);

CREATE TABLE user_token (
  id text PRIMARY KEY, -- sha256 of the emailed token
  workspace_id uuid NOT NULL,
  user_id uuid NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('invite', 'reset')),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  FOREIGN KEY (workspace_id, user_id) REFERENCES app_user (workspace_id, id)
);

CREATE TABLE api_key (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  user_id uuid NOT NULL,
  name text NOT NULL,
  prefix text NOT NULL,
  secret_hash text NOT NULL,
  permissions jsonb NOT NULL,
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, user_id) REFERENCES app_user (workspace_id, id)
);
CREATE UNIQUE INDEX api_key_prefix_key ON api_key (prefix);

CREATE TABLE audit_log (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id uuid,
  actor_type text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system')),
  action text NOT NULL,
  object_type text NOT NULL,
  object_id text,
  changes jsonb,
  meta jsonb,
  ip text,
  request_id text,
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX audit_log_at_idx ON audit_log (workspace_id, at DESC, id DESC);
CREATE INDEX audit_log_object_idx ON audit_log (workspace_id, object_type, object_id, at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (workspace_id, actor_id, at DESC);

-- The audit log is append-only: the database itself refuses updates and deletes.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE outbox (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  topic text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  dispatched_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX outbox_pending_idx ON outbox (created_at) WHERE dispatched_at IS NULL;

CREATE TABLE notification (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  user_id uuid NOT NULL,
  kind text NOT NULL,
  message_key text NOT NULL,
  params jsonb NOT NULL DEFAULT '{}',
  link text,
  read_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX notification_user_idx ON notification (workspace_id, user_id, id DESC);
CREATE INDEX notification_unread_idx ON notification (workspace_id, user_id) WHERE read_at IS NULL;

CREATE TABLE mail_message (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  to_address text NOT NULL,
  subject text NOT NULL,
  text text NOT NULL,
  status text NOT NULL CHECK (status IN ('held', 'queued', 'sent', 'failed')),
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX mail_message_created_idx ON mail_message (workspace_id, id DESC);

CREATE TABLE idempotency_key (
  workspace_id uuid NOT NULL,
  principal_id uuid NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status_code integer,
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, principal_id, key)
);
CREATE INDEX idempotency_key_created_idx ON idempotency_key (created_at);
