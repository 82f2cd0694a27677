import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../infra/db.js';
import type { ProcessCommentTable } from '../../infra/db-schema.js';

export type CommentRow = Selectable<ProcessCommentTable> & { author_name: string | null };

/** An instance's comments and questions, oldest first, with their authors' names. */
export async function listComments(ex: Executor, workspaceId: string, instanceId: string): Promise<CommentRow[]> {
  return ex
    .selectFrom('process_comment as c')
    .leftJoin('app_user as u', (join) => join.onRef('u.workspace_id', '=', 'c.workspace_id').onRef('u.id', '=', 'c.created_by'))
    .selectAll('c')
    .select('u.name as author_name')
    .where('c.workspace_id', '=', workspaceId)
    .where('c.instance_id', '=', instanceId)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute();
}

export async function insertComment(ex: Executor, row: Insertable<ProcessCommentTable>): Promise<Selectable<ProcessCommentTable>> {
  return ex.insertInto('process_comment').values(row).returningAll().executeTakeFirstOrThrow();
}
