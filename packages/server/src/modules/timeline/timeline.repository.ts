import { sql } from 'kysely';
import { ACTIVITY_KINDS, type ActivityKind, type ClientObject } from '@rapport/shared';
import type { Executor } from '../../infra/db.js';

/** A note belongs to its author; one written by the system belongs to the owner of its record. */
export async function insertNote(ex: Executor, row: { workspaceId: string; id: string; body: string; authorId: string | null; authorTeamId: string | null; subjectType: ClientObject; subjectId: string }): Promise<void> {
  const owner = row.authorId
    ? { owner_id: row.authorId, team_id: row.authorTeamId }
    : await ex.selectFrom(row.subjectType).select(['owner_id', 'team_id']).where('workspace_id', '=', row.workspaceId).where('id', '=', row.subjectId).executeTakeFirstOrThrow();
  await ex
    .insertInto('activity')
    .values({ workspace_id: row.workspaceId, id: row.id, kind: 'note', body: row.body, author_id: row.authorId, occurred_at: sql`now()`, created_by: row.authorId, updated_by: row.authorId, owner_id: owner.owner_id, team_id: owner.team_id })
    .execute();
  await sql`INSERT INTO activity_link (workspace_id, activity_id, subject_type, subject_id, occurred_at)
    SELECT workspace_id, id, ${row.subjectType}, ${row.subjectId}, occurred_at FROM activity WHERE workspace_id = ${row.workspaceId} AND id = ${row.id}`.execute(ex);
}

/**
 * Activities of the given kinds linked to a record, newest first, with the same microsecond cursor as the audit trail.
 * One kind is a range of the (record, kind, time) index; every kind, the record's own range.
 */
export async function listLinkedActivities(ex: Executor, workspaceId: string, subjectType: string, subjectId: string, kinds: ActivityKind[], after: [string, string] | undefined, limit: number) {
  if (kinds.length === 0) return [];
  const keyset = after ? sql`AND (l.occurred_at, l.activity_id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``;
  const ofKinds = kinds.length === ACTIVITY_KINDS.length ? sql`` : kinds.length === 1 ? sql`AND l.kind = ${kinds[0]}` : sql`AND l.kind = ANY(${kinds}::text[])`;
  const result = await sql<{ id: string; at_key: string }>`
    SELECT a.id, to_char(l.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key
    FROM activity_link l
    JOIN activity a ON a.workspace_id = l.workspace_id AND a.id = l.activity_id AND a.deleted_at IS NULL
    WHERE l.workspace_id = ${workspaceId} AND l.subject_type = ${subjectType} AND l.subject_id = ${subjectId} ${ofKinds} ${keyset}
    ORDER BY l.occurred_at DESC, l.activity_id DESC LIMIT ${limit + 1}`.execute(ex);
  return result.rows;
}

export async function findNote(ex: Executor, workspaceId: string, id: string) {
  const note = await ex.selectFrom('activity').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).where('kind', '=', 'note').where('deleted_at', 'is', null).executeTakeFirst();
  if (!note) return undefined;
  const links = await ex.selectFrom('activity_link').select(['subject_type', 'subject_id']).where('workspace_id', '=', workspaceId).where('activity_id', '=', id).execute();
  return { ...note, links };
}

export async function deleteNote(ex: Executor, workspaceId: string, id: string, by: string): Promise<void> {
  await ex.updateTable('activity').set({ deleted_at: sql`now()`, updated_by: by, updated_at: sql`now()`, version: sql`version + 1` }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}
