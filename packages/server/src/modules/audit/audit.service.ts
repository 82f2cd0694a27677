import type { AuditEntry, PageOf } from '@rapport/shared';
import { accessScope } from '../../core/access-scope.js';
import type { Ctx } from '../../core/context.js';
import type { FieldChanges } from '../../core/diff.js';
import { decodeCursor, toPage } from '../../core/pagination.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import { newId } from '../../infra/ids.js';
import { countActorActions, insertAudit, listAudit } from './audit.repository.js';

export interface AuditInput {
  action: string;
  objectType: string;
  objectId?: string | null;
  changes?: FieldChanges | null;
  meta?: Record<string, unknown> | null;
}

export interface AuditOrigin {
  workspaceId: string;
  actorId: string | null;
  actorType: 'user' | 'api_key' | 'system' | 'form';
  ip: string | null;
  requestId: string | null;
}

export function originOf(ctx: Ctx): AuditOrigin {
  return {
    workspaceId: ctx.actor.workspaceId,
    actorId: ctx.actor.via === 'system' || ctx.actor.via === 'form' ? null : ctx.actor.userId,
    actorType: ctx.actor.via === 'session' ? 'user' : ctx.actor.via,
    ip: ctx.meta.ip,
    requestId: ctx.meta.requestId,
  };
}

/** Appends one entry in the caller's transaction, so the audit trail commits or rolls back with the change. */
export async function recordAudit(ex: Executor, origin: AuditOrigin | Ctx, entry: AuditInput): Promise<void> {
  await recordAudits(ex, origin, [entry]);
}

/** Appends one entry per change of a batch in one statement, in the caller's transaction. */
export async function recordAudits(ex: Executor, origin: AuditOrigin | Ctx, entries: AuditInput[]): Promise<void> {
  await recordAuditsOf(ex, entries.map((entry) => ({ origin, entry })));
}

/** Entries of different origins (e.g. the engine's and the user's in one step) in one statement. */
export async function recordAuditsOf(ex: Executor, items: { origin: AuditOrigin | Ctx; entry: AuditInput }[]): Promise<void> {
  await insertAudit(
    ex,
    items.map(({ origin, entry }) => {
      const o = 'actor' in origin ? originOf(origin) : origin;
      return {
        workspace_id: o.workspaceId,
        id: newId(),
        actor_id: o.actorId,
        actor_type: o.actorType,
        action: entry.action,
        object_type: entry.objectType,
        object_id: entry.objectId ?? null,
        changes: entry.changes && Object.keys(entry.changes).length > 0 ? JSON.stringify(entry.changes) : null,
        meta: entry.meta ? JSON.stringify(entry.meta) : null,
        ip: o.ip,
        request_id: o.requestId,
      };
    }),
  );
}

/** How often an actor did something lately (e.g. `.export` since an hour ago): the audit log is the record of it. */
export function countRecentActions(ex: Executor, workspaceId: string, actorId: string, actionSuffix: string, since: Date): Promise<number> {
  return countActorActions(ex, workspaceId, actorId, actionSuffix, since);
}

/** The audit entries of one record (and the records merged into it), newest first: the changes half of a timeline. */
export function auditTrail(ex: Executor, workspaceId: string, objectType: string, objectIds: string[], after: [string, string] | undefined, limit: number) {
  return listAudit(ex, { workspaceId, objectType, objectIds, after, limit });
}

export interface AuditListQuery {
  limit?: number | undefined;
  cursor?: string | undefined;
  actorId?: string | undefined;
  objectType?: string | undefined;
  objectId?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export function createAuditService(deps: ServiceDeps) {
  async function list(ctx: Ctx, q: AuditListQuery): Promise<PageOf<AuditEntry>> {
    const scope = accessScope(ctx.actor, 'audit', 'read');
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, ['timestamp', 'uuid']) as [string, string] | undefined;
    // The audit trail is workspace-wide: a narrower scope still sees only its own actions.
    const actorId = scope.kind === 'all' ? q.actorId : ctx.actor.userId;
    const rows = await listAudit(deps.db, { ...q, actorId, workspaceId: ctx.actor.workspaceId, limit, after });
    const page = toPage(rows, limit, (row) => [row.at_key, row.id]);
    return {
      nextCursor: page.nextCursor,
      items: page.items.map((row) => ({
        id: row.id,
        at: row.at.toISOString(),
        actorId: row.actor_id,
        actorName: row.actor_name,
        action: row.action,
        objectType: row.object_type,
        objectId: row.object_id,
        changes: row.changes,
        meta: row.meta,
        ip: row.ip,
        requestId: row.request_id,
      })),
    };
  }

  return { list };
}

export type AuditService = ReturnType<typeof createAuditService>;
