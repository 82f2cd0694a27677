import type { FollowUpBody, FollowUpResult, Locale, RotationItem, RotationPage, RotationQuery, Task, TaskBody } from '@rapport/shared';
import { AppError } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import { loadRecord, titleOf, userNames, type ClientRecordService } from '../client-record/client-record.service.js';
import { workspaceLocale } from '../timeline/timeline.service.js';

const DAY_MS = 86_400_000;
const FOLLOW_UP: Record<Locale, string> = { en: 'Follow up', ru: 'Связаться' };

/** What the rotation needs of the tasks module: its create function (assignee rights, audit, notification). */
export interface FollowUpTasks {
  create(ctx: Ctx, body: TaskBody): Promise<Pick<Task, 'id'>>;
}

/**
 * Base rotation: the client lists' own machinery (read scope, filter grammar, keyset pages, capped counts) with one
 * more condition — no interaction since the cutoff — and a bulk action creating follow-up tasks for the owners.
 */
export function createRotationService(deps: ServiceDeps, modules: { records: ClientRecordService; tasks: FollowUpTasks }) {
  async function list(ctx: Ctx, q: RotationQuery): Promise<RotationPage> {
    const days = q.days ?? 30;
    const now = deps.clock.now();
    const cutoff = new Date(now.getTime() - days * DAY_MS).toISOString();
    // Never contacted: counted from the record's creation, so a new record is not "neglected" on its first day.
    const idle = { or: [{ field: 'lastActivityAt', op: 'lt', value: cutoff }, { and: [{ field: 'lastActivityAt', op: 'empty' }, { field: 'createdAt', op: 'lt', value: cutoff }] }] };
    const parts: unknown[] = [idle, ...(q.ownerId ? [{ field: 'ownerId', op: 'eq', value: q.ownerId }] : [])];
    const userFilter = q.filter?.trim() ? q.filter : undefined;
    const filter = JSON.stringify({ and: userFilter ? [...parts, parseJson(userFilter)] : parts });
    const { page, total } = await modules.records
      .list(ctx, q.object, { filter, sort: 'lastActivityAt', q: q.q, limit: q.limit, cursor: q.cursor })
      .catch((error: unknown) => {
        // Problems of the caller's own filter point into it, not into the combined one.
        if (error instanceof AppError && error.code === 'bad_filter' && error.errors) {
          const prefix = `/query/filter/and/${parts.length}`;
          throw new AppError('bad_filter', { message: error.message, errors: error.errors.map((e) => ({ ...e, path: e.path.startsWith(prefix) ? `/query/filter${e.path.slice(prefix.length)}` : e.path })) });
        }
        throw error;
      });
    const owners = await userNames(deps.db, ctx.actor.workspaceId, page.items.map((row) => row.owner_id));
    const items = page.items.map((row): RotationItem => {
      const last = row.last_activity_at;
      const since = last ?? row.created_at;
      return {
        object: q.object,
        id: row.id,
        title: titleOf(q.object, row),
        ownerId: row.owner_id,
        ownerName: owners.get(row.owner_id) ?? null,
        lastActivityAt: last?.toISOString() ?? null,
        createdAt: row.created_at.toISOString(),
        idleDays: Math.max(0, Math.floor((now.getTime() - since.getTime()) / DAY_MS)),
      };
    });
    return { items, nextCursor: page.nextCursor, total };
  }

  /**
   * One task per record, for its owner, linked to it; each in its own transaction, so a record the caller may not see,
   * or an owner they may not give tasks to, fails alone with its reason while the others go through.
   */
  async function followUp(ctx: Ctx, body: FollowUpBody): Promise<FollowUpResult> {
    const result: FollowUpResult = { created: [], failed: [] };
    const prefix = body.title?.trim() ?? FOLLOW_UP[await workspaceLocale(deps.db, ctx.actor.workspaceId)];
    for (const id of new Set(body.ids)) {
      try {
        const row = await loadRecord(deps.db, ctx, body.object, id);
        const title = body.title ? prefix : `${prefix}: ${titleOf(body.object, row)}`;
        const task = await modules.tasks.create(ctx, { title: title.slice(0, 300), ownerId: row.owner_id, subject: { type: body.object, id }, dueAt: body.dueAt ?? null });
        result.created.push({ recordId: id, taskId: task.id });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        result.failed.push({ id, code: error.code, message: error.message });
      }
    }
    return result;
  }

  return { list, followUp };
}

/** The caller's filter as JSON; unreadable JSON is their mistake, reported at the parameter. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('bad_filter', { message: 'The filter is not valid', errors: [{ path: '/query/filter', message: 'filter is not valid JSON' }] });
  }
}

export type RotationService = ReturnType<typeof createRotationService>;
