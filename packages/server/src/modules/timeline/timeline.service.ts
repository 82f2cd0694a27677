import { ACTIVITY_KINDS, type ClientObject, type Locale, type PageOf, type TimelineEntry, type TimelineQuery } from '@rapport/shared';
import { can } from '../../core/access-scope.js';
import { hideFields } from '../../core/field-rules.js';
import { AppError } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import { encodeCursor, decodeCursor } from '../../core/pagination.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import { newId } from '../../infra/ids.js';
import { auditTrail, recordAudit } from '../audit/audit.service.js';
import { activitiesInOrder } from '../activity/activity.service.js';
import { aliasesOf, announceRecordChange, loadRecord } from '../client-record/client-record.service.js';
import { getWorkspace } from '../workspace/workspace.service.js';
import { deleteNote, findNote, insertNote, listLinkedActivities } from './timeline.repository.js';

/** Adds a note to a record's timeline in the caller's transaction. */
export async function addNote(ex: Executor, ctx: Ctx, object: ClientObject, id: string, body: string): Promise<string> {
  const noteId = newId();
  const authorId = ctx.actor.via === 'system' || ctx.actor.via === 'form' ? null : ctx.actor.userId;
  await insertNote(ex, { workspaceId: ctx.actor.workspaceId, id: noteId, body, authorId, authorTeamId: ctx.actor.teamId, subjectType: object, subjectId: id });
  await recordAudit(ex, ctx, { action: 'note.create', objectType: 'note', objectId: noteId, meta: { subjectType: object, subjectId: id } });
  await announceRecordChange(ex, ctx, object, id, 'note');
  return noteId;
}

export async function workspaceLocale(ex: Executor, workspaceId: string): Promise<Locale> {
  return (await getWorkspace(ex, workspaceId)).locale;
}

const KEPT_PREFIX: Record<Locale, string> = {
  en: 'Contact details that could not be recognised, kept as typed',
  ru: 'Нераспознанные контактные данные, сохранены как введены',
};

/** The note that keeps phones or e-mails the user insisted on, in the workspace's language. */
export function keptValuesNote(locale: Locale, values: string[]): string {
  return `${KEPT_PREFIX[locale]}: ${values.join(', ')}`;
}

const KIND_OF_ACTION: Record<string, TimelineEntry['kind']> = { create: 'created', update: 'updated', delete: 'deleted', restore: 'restored', merge: 'merged', convert: 'converted', attach: 'attached', detach: 'detached' };

export function createTimelineService(deps: ServiceDeps) {
  /**
   * A record's history, newest first: its activities (notes, calls, meetings, e-mails, SMS) and changes from the audit
   * trail (who, when, old → new), including those of records merged into it. Both sources share one cursor (time with
   * microseconds, id), so pages interleave exactly. Notes come with the record; other activities need an activity read
   * right (any scope: a client's history does not vanish for a colleague who may read the client).
   */
  async function list(ctx: Ctx, object: ClientObject, id: string, q: TimelineQuery): Promise<PageOf<TimelineEntry>> {
    await loadRecord(deps.db, ctx, object, id);
    const { workspaceId } = ctx.actor;
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, ['timestamp', 'uuid']) as [string, string] | undefined;
    const readable = ACTIVITY_KINDS.filter((kind) => kind === 'note' || can(ctx.actor, 'activity', 'read'));
    const kinds = q.kind === undefined ? readable : readable.filter((kind) => kind === q.kind);
    const entries: (TimelineEntry & { key: [string, string] })[] = [];
    const linked = await listLinkedActivities(deps.db, workspaceId, object, id, kinds, after, limit);
    const activities = await activitiesInOrder(deps.db, ctx, linked.map((row) => row.id));
    for (const row of linked) {
      const activity = activities.get(row.id)!;
      const shown = hideFields(ctx.actor, 'activity', activity);
      entries.push({ id: row.id, kind: activity.kind, at: activity.occurredAt, actorId: activity.authorId, actorName: activity.authorName, body: shown.body ?? null, changes: null, meta: null, activity: shown, key: [row.at_key, row.id] });
    }
    if (q.kind === undefined || q.kind === 'change') {
      const ids = [id, ...(await aliasesOf(deps.db, workspaceId, object, id))];
      for (const row of await auditTrail(deps.db, workspaceId, object, ids, after, limit)) {
        const kind = KIND_OF_ACTION[row.action.split('.')[1] ?? ''];
        if (!kind) continue;
        entries.push({ id: row.id, kind, at: row.at.toISOString(), actorId: row.actor_id, actorName: row.actor_name, body: null, activity: null, changes: row.changes, meta: { ...(row.meta ?? {}), ...(row.object_id !== id ? { recordId: row.object_id } : {}) }, key: [row.at_key, row.id] });
      }
    }
    entries.sort((a, b) => (a.key[0] === b.key[0] ? (a.key[1] < b.key[1] ? 1 : -1) : a.key[0] < b.key[0] ? 1 : -1));
    const items = entries.slice(0, limit);
    const last = items.at(-1);
    return { items: items.map(({ key: _key, ...entry }) => entry), nextCursor: entries.length > limit && last ? encodeCursor(last.key) : null };
  }

  async function createNote(ctx: Ctx, object: ClientObject, id: string, body: string): Promise<TimelineEntry> {
    return deps.db.transaction().execute(async (trx) => {
      // Adding to a record's history is a change to the record.
      await loadRecord(trx, ctx, object, id, 'update');
      const noteId = await addNote(trx, ctx, object, id, body.trim());
      const note = (await activitiesInOrder(trx, ctx, [noteId])).get(noteId)!;
      return { id: noteId, kind: 'note', at: note.occurredAt, actorId: note.authorId, actorName: note.authorName, body: note.body, changes: null, meta: null, activity: hideFields(ctx.actor, 'activity', note) };
    });
  }

  /** The author, or anyone who may edit every record the note is on, can delete it. */
  async function removeNote(ctx: Ctx, noteId: string): Promise<void> {
    await deps.db.transaction().execute(async (trx) => {
      const note = await findNote(trx, ctx.actor.workspaceId, noteId);
      if (!note) throw new AppError('not_found', { message: 'No such note' });
      for (const link of note.links) await loadRecord(trx, ctx, link.subject_type as ClientObject, link.subject_id, note.author_id === ctx.actor.userId ? 'read' : 'update');
      await deleteNote(trx, ctx.actor.workspaceId, noteId, ctx.actor.userId);
      await recordAudit(trx, ctx, { action: 'note.delete', objectType: 'note', objectId: noteId, meta: { body: (note.body ?? '').slice(0, 200) } });
    });
  }

  return { list, createNote, removeNote };
}

export type TimelineService = ReturnType<typeof createTimelineService>;
