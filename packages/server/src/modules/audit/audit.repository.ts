import type { Executor } from '../../infra/db.js';
import type { AuditLogTable } from '../../infra/db-schema.js';
import { sql, type Insertable } from 'kysely';

/** One entry, or many in one statement (a batch of records written together). */
export async function insertAudit(ex: Executor, rows: Insertable<AuditLogTable> | Insertable<AuditLogTable>[]): Promise<void> {
  if (Array.isArray(rows) && rows.length === 0) return;
  await ex.insertInto('audit_log').values(rows).execute();
}

export interface AuditQuery {
  workspaceId: string;
  limit: number;
  after: [string, string] | undefined;
  actorId?: string | undefined;
  objectType?: string | undefined;
  objectId?: string | undefined;
  /** Any of these objects: a record and the ids merged into it. */
  objectIds?: string[] | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export async function listAudit(ex: Executor, q: AuditQuery) {
  let query = ex
    .selectFrom('audit_log as a')
    .leftJoin('app_user as u', (join) => join.onRef('u.workspace_id', '=', 'a.workspace_id').onRef('u.id', '=', 'a.actor_id'))
    .select(['a.id', 'a.at', 'a.actor_id', 'a.actor_type', 'a.action', 'a.object_type', 'a.object_id', 'a.changes', 'a.meta', 'a.ip', 'a.request_id', 'u.name as actor_name'])
    // The cursor key keeps PostgreSQL's microseconds: a JS Date has milliseconds only, and entries written in one
    // transaction share one timestamp, so a truncated key skipped the rest of a group at a page edge.
    .select(sql<string>`to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('at_key'))
    .where('a.workspace_id', '=', q.workspaceId);
  if (q.actorId) query = query.where('a.actor_id', '=', q.actorId);
  if (q.objectType) query = query.where('a.object_type', '=', q.objectType);
  if (q.objectId) query = query.where('a.object_id', '=', q.objectId);
  if (q.objectIds) query = query.where('a.object_id', 'in', q.objectIds);
  if (q.action) query = query.where('a.action', 'like', `${q.action.replace(/[%_\\]/g, '\\$&')}%`);
  if (q.from) query = query.where('a.at', '>=', new Date(q.from));
  if (q.to) query = query.where('a.at', '<', new Date(q.to));
  if (q.after) {
    const [at, id] = q.after;
    const key = sql<Date>`${at}::timestamptz`;
    query = query.where((eb) => eb.or([eb('a.at', '<', key), eb.and([eb('a.at', '=', key), eb('a.id', '<', id)])]));
  }
  return query.orderBy('a.at', 'desc').orderBy('a.id', 'desc').limit(q.limit + 1).execute();
}

/** How many entries of one actor whose action ends with `suffix` were written since `since`. */
export async function countActorActions(ex: Executor, workspaceId: string, actorId: string, suffix: string, since: Date): Promise<number> {
  const row = await ex
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('actor_id', '=', actorId)
    .where('at', '>=', since)
    .where('action', 'like', `%${suffix.replace(/[%_\\]/g, '\\$&')}`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
