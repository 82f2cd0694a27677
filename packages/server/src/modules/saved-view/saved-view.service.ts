import { parseFilter, type ClientObject, type SavedView, type SavedViewBody, type SavedViewUpdateBody } from '@rapport/shared';
import { accessScope, can } from '../../core/access-scope.js';
import { AppError, requireVersion } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import { newId } from '../../infra/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { catalogue, customFieldsOf, type ObjectDef } from '../client-record/client-record.service.js';
import { findView, insertView, listViews, updateView } from './saved-view.repository.js';

type ViewRow = NonNullable<Awaited<ReturnType<typeof findView>>>;

function toView(row: ViewRow): SavedView {
  return {
    id: row.id,
    object: row.object,
    name: row.name,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    visibility: row.visibility,
    teamId: row.team_id,
    filter: row.filter,
    sort: row.sort,
    columns: row.columns,
    createdAt: row.created_at.toISOString(),
    version: row.version,
  };
}

/** Personal and shared list views. Sharing with the workspace is for those who may change settings. */
export function createSavedViewService(deps: ServiceDeps, defs: Record<ClientObject, ObjectDef>) {
  async function checkFilter(ex: Executor, ctx: Ctx, object: ClientObject, filter: string | null | undefined): Promise<void> {
    if (!filter) return;
    const { filterFields } = catalogue(defs[object], await customFieldsOf(ex, ctx.actor.workspaceId, object));
    const parsed = parseFilter(filter, filterFields, '/body/filter');
    if (!parsed.ok) throw new AppError('bad_filter', { message: 'The filter is not valid', errors: parsed.errors });
  }

  function checkVisibility(ctx: Ctx, visibility: SavedView['visibility'] | undefined): void {
    if (visibility === 'workspace' && !can(ctx.actor, 'settings', 'update')) throw new AppError('forbidden', { message: 'Only administrators share views with everyone', errors: [{ path: '/body/visibility', message: 'not allowed for your role' }] });
    if (visibility === 'team' && !ctx.actor.teamId) throw new AppError('validation', { message: 'You are in no team to share with', errors: [{ path: '/body/visibility', message: 'you have no team' }] });
  }

  async function list(ctx: Ctx, object: ClientObject): Promise<SavedView[]> {
    accessScope(ctx.actor, object, 'read');
    return (await listViews(deps.db, ctx.actor.workspaceId, object, ctx.actor.userId, ctx.actor.teamId)).map(toView);
  }

  async function create(ctx: Ctx, input: SavedViewBody): Promise<SavedView> {
    accessScope(ctx.actor, input.object, 'read');
    checkVisibility(ctx, input.visibility);
    const id = newId();
    return deps.db.transaction().execute(async (trx) => {
      await checkFilter(trx, ctx, input.object, input.filter);
      await insertView(trx, {
        workspace_id: ctx.actor.workspaceId,
        id,
        object: input.object,
        name: input.name.trim(),
        owner_id: ctx.actor.userId,
        visibility: input.visibility ?? 'private',
        team_id: input.visibility === 'team' ? ctx.actor.teamId : null,
        filter: input.filter ?? null,
        sort: input.sort ?? null,
        columns: input.columns ?? [],
        created_by: ctx.actor.userId,
        updated_by: ctx.actor.userId,
      });
      await recordAudit(trx, ctx, { action: 'saved_view.create', objectType: 'saved_view', objectId: id, meta: { object: input.object, name: input.name, visibility: input.visibility ?? 'private' } });
      return toView((await findView(trx, ctx.actor.workspaceId, id))!);
    });
  }

  /** A view the actor sees: their own, their team's or the workspace's; any other is "not found". */
  async function visibleView(ex: Executor, ctx: Ctx, id: string): Promise<ViewRow> {
    const view = await findView(ex, ctx.actor.workspaceId, id);
    const visible = view && (view.owner_id === ctx.actor.userId || view.visibility === 'workspace' || (view.visibility === 'team' && view.team_id === ctx.actor.teamId));
    if (!view || !visible) throw new AppError('not_found', { message: 'No such view' });
    return view;
  }

  async function get(ctx: Ctx, id: string): Promise<SavedView> {
    return toView(await visibleView(deps.db, ctx, id));
  }

  async function ownView(ex: Executor, ctx: Ctx, id: string): Promise<ViewRow> {
    const view = await visibleView(ex, ctx, id);
    if (view.owner_id !== ctx.actor.userId && !can(ctx.actor, 'settings', 'update')) throw new AppError('forbidden', { message: 'Only its owner changes a view' });
    return view;
  }

  async function update(ctx: Ctx, id: string, patch: Omit<SavedViewUpdateBody, 'version'>, version: number | undefined): Promise<SavedView> {
    const expected = requireVersion(version);
    return deps.db.transaction().execute(async (trx) => {
      const view = await ownView(trx, ctx, id);
      checkVisibility(ctx, patch.visibility);
      await checkFilter(trx, ctx, view.object, patch.filter);
      const visibility = patch.visibility ?? view.visibility;
      const updated = await updateView(trx, ctx.actor.workspaceId, id, expected, {
        name: patch.name?.trim(),
        visibility,
        team_id: visibility === 'team' ? (patch.visibility ? ctx.actor.teamId : view.team_id) : null,
        filter: patch.filter,
        sort: patch.sort,
        columns: patch.columns,
        updated_by: ctx.actor.userId,
      });
      if (!updated) throw new AppError('version_conflict', { message: 'The view was changed by someone else; reload it', currentVersion: view.version });
      await recordAudit(trx, ctx, { action: 'saved_view.update', objectType: 'saved_view', objectId: id, meta: { name: patch.name ?? view.name, visibility } });
      return toView((await findView(trx, ctx.actor.workspaceId, id))!);
    });
  }

  async function remove(ctx: Ctx, id: string): Promise<void> {
    await deps.db.transaction().execute(async (trx) => {
      const view = await ownView(trx, ctx, id);
      await updateView(trx, ctx.actor.workspaceId, id, view.version, { deleted_at: new Date(), updated_by: ctx.actor.userId });
      await recordAudit(trx, ctx, { action: 'saved_view.delete', objectType: 'saved_view', objectId: id, meta: { name: view.name } });
    });
  }

  return { list, get, create, update, remove };
}

export type SavedViewService = ReturnType<typeof createSavedViewService>;
