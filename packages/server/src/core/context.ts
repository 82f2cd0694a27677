import type { FieldRules, PermissionMatrix } from '@rapport/shared';

/** Who is acting, resolved once per request (or job) and passed to every service call. */
export interface Actor {
  workspaceId: string;
  userId: string;
  name: string;
  roleId: string;
  /** The user's own team, or null. */
  teamId: string | null;
  /** The user's team and every team below it in the hierarchy. */
  teamTreeIds: string[];
  permissions: PermissionMatrix;
  fieldRules: FieldRules;
  /** `form`: a public web form's submission, done on behalf of the lead's new owner. */
  via: 'session' | 'api_key' | 'system' | 'form';
  apiKeyId: string | null;
}

export interface RequestMeta {
  ip: string | null;
  requestId: string | null;
}

export interface Ctx {
  actor: Actor;
  meta: RequestMeta;
}
