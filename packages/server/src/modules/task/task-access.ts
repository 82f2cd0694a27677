import type { PermissionAction, TaskMemberRole } from '@rapport/shared';
import { accessScope, can, isInScope } from '../../core/access-scope.js';
import { AppError } from '../../core/app-error.js';
import type { Actor, Ctx } from '../../core/context.js';
import type { Executor } from '../../infra/db.js';
import { findTask, memberRole, type TaskRow } from './task.repository.js';

/** What one reader may do with one task. */
export interface TaskRights {
  read: boolean;
  update: boolean;
  delete: boolean;
  comment: boolean;
  /** Tick checklist items: editors, and co-executors, who do the work with the assignee. */
  tick: boolean;
}

/**
 * The role's `task` scope applies to the assignee (owner_id) and team. Beyond it, the author, co-executors and watchers
 * read and comment; the author may also edit (they set the task), if their role lets them edit tasks at all.
 */
export function rightsOf(actor: Actor, task: Pick<TaskRow, 'owner_id' | 'team_id' | 'created_by'>, role: TaskMemberRole | undefined): TaskRights {
  const inScope = (action: PermissionAction) => can(actor, 'task', action) && isInScope(accessScope(actor, 'task', action), { ownerId: task.owner_id, teamId: task.team_id });
  const author = task.created_by === actor.userId;
  const read = inScope('read') || author || role !== undefined;
  const update = inScope('update') || (author && can(actor, 'task', 'update'));
  return { read, update, delete: inScope('delete'), comment: read, tick: update || role === 'co_executor' };
}

/**
 * A task the actor may read (else 404: its existence is not revealed), and may do `need` with (else 403).
 * `forUpdate` locks the row until the caller's transaction ends; `deleted` looks in the recycle bin instead.
 */
export async function loadTask(ex: Executor, ctx: Ctx, id: string, need: keyof TaskRights = 'read', options: { forUpdate?: boolean; deleted?: boolean } = {}): Promise<{ task: TaskRow; rights: TaskRights; role: TaskMemberRole | undefined }> {
  const task = await findTask(ex, ctx.actor.workspaceId, id, options);
  const role = task ? await memberRole(ex, ctx.actor.workspaceId, id, ctx.actor.userId) : undefined;
  const rights = task ? rightsOf(ctx.actor, task, role) : undefined;
  if (!task || !rights?.read) throw new AppError('not_found', { message: 'No such task' });
  if (!rights[need]) throw new AppError('forbidden', { message: `You may not ${need} this task` });
  return { task, rights, role };
}
