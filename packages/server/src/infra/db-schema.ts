import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { FieldRules, PermissionMatrix } from '@rapport/shared';

/** Table shapes as Kysely sees them; migrations/ is the source of truth. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T extends object | null> = JSONColumnType<T, string, string>;

interface Tracked {
  created_at: Timestamp;
  updated_at: Timestamp;
  created_by: string | null;
  updated_by: string | null;
  version: Generated<number>;
}

export interface WorkspaceTable {
  id: string;
  name: string;
  locale: string;
  currency: string;
  timezone: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface RoleTable extends Tracked {
  workspace_id: string;
  id: string;
  name: string;
  description: string;
  is_system: boolean;
  permissions: Json<PermissionMatrix>;
  field_rules: Json<FieldRules>;
  deleted_at: Date | null;
}

export interface TeamTable extends Tracked {
  workspace_id: string;
  id: string;
  name: string;
  kind: 'department' | 'branch' | 'team';
  parent_id: string | null;
  head_id: string | null;
  deleted_at: Date | null;
}

export interface AppUserTable extends Tracked {
  workspace_id: string;
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  locale: 'en' | 'ru';
  status: 'active' | 'invited' | 'disabled';
  role_id: string;
  team_id: string | null;
  manager_id: string | null;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  last_login_at: Date | null;
  deleted_at: Date | null;
}

export interface SessionTable {
  id: string;
  workspace_id: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface UserTokenTable {
  id: string;
  workspace_id: string;
  user_id: string;
  purpose: 'invite' | 'reset';
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Date | null;
}

export interface ApiKeyTable {
  workspace_id: string;
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  permissions: Json<PermissionMatrix>;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
  created_at: Timestamp;
  created_by: string | null;
}

export interface AuditLogTable {
  workspace_id: string;
  id: string;
  at: Timestamp;
  actor_id: string | null;
  actor_type: 'user' | 'api_key' | 'system';
  action: string;
  object_type: string;
  object_id: string | null;
  changes: Json<Record<string, { from: unknown; to: unknown }>> | null;
  meta: Json<Record<string, unknown>> | null;
  ip: string | null;
  request_id: string | null;
}

export interface OutboxTable {
  workspace_id: string;
  id: string;
  topic: string;
  payload: Json<Record<string, unknown>>;
  created_at: Timestamp;
  dispatched_at: Date | null;
  attempts: Generated<number>;
  last_error: string | null;
}

export interface NotificationTable {
  workspace_id: string;
  id: string;
  user_id: string;
  kind: string;
  message_key: string;
  params: Json<Record<string, unknown>>;
  link: string | null;
  read_at: Date | null;
  created_at: Timestamp;
}

export interface MailMessageTable {
  workspace_id: string;
  id: string;
  to_address: string;
  subject: string;
  text: string;
  status: 'held' | 'queued' | 'sent' | 'failed';
  error: string | null;
  created_at: Timestamp;
  sent_at: Date | null;
}

export interface IdempotencyKeyTable {
  workspace_id: string;
  principal_id: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response: Json<object | null> | null;
  created_at: Timestamp;
}

export interface DB {
  workspace: WorkspaceTable;
  role: RoleTable;
  team: TeamTable;
  app_user: AppUserTable;
  session: SessionTable;
  user_token: UserTokenTable;
  api_key: ApiKeyTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  notification: NotificationTable;
  mail_message: MailMessageTable;
  idempotency_key: IdempotencyKeyTable;
}
