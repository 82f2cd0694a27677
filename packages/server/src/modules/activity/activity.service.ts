import {
  activityInputErrors,
  formatPhone,
  toE164,
  type Activity,
  type ActivityBody,
  type ActivityLinkInput,
  type ActivityListQuery,
  type ActivityUpdateBody,
  type ClientObject,
  type LoggedActivityKind,
  type PageOf,
} from '@rapport/shared';
import { accessScope, can, isInScope } from '../../core/access-scope.js';
import { AppError, requireVersion } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import { diffFields } from '../../core/diff.js';
import { assertWritable } from '../../core/field-rules.js';
import { decodeCursor, toPage } from '../../core/pagination.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import type { ActivityTable } from '../../infra/db-schema.js';
import type { Insertable } from 'kysely';
import { newId } from '../../infra/ids.js';
import type { DueSignal } from '../../infra/due-timers.js';
import { recordAudit } from '../audit/audit.service.js';
import { announceRecordChange, getWorkspaceCountry, loadRecord, userNames } from '../client-record/client-record.service.js';
import { planActivityReminders } from '../reminder/reminder.service.js';
import {
  activeUsers,
  activitiesByIds,
  addLinks,
  findActivity,
  insertActivity,
  isVisible,
  linksOf,
  listActivities,
  participantsOf,
  removeLinks,
  retimeLinks,
  setParticipants,
  softDeleteActivity,
  updateActivityRow,
  type ActivityRow,
} from './activity.repository.js';

const AUDITED = ['subject', 'body', 'occurred_at', 'status', 'direction', 'phone', 'duration_sec', 'result', 'recording_url', 'starts_at', 'ends_at', 'reminder_minutes', 'place', 'email_from', 'email_to', 'owner_id', 'team_id'] as const;
const LOGGED = new Set<string>(['call', 'meeting', 'email', 'sms']);

const iso = (value: Date | null) => (value ? value.toISOString() : null);
const linkKey = (link: { object: string; id: string }) => `${link.object}:${link.id}`;
const invalid = (path: string, message: string) => new AppError('validation', { message, errors: [{ path, message }] });

/** Whether the actor may read a record, judged from its owner and team (as loadRecord does, without a query per record). */
function canReadRecord(ctx: Ctx, link: { object: ClientObject; owner_id: string | null; deleted: boolean; team_id: string | null }): boolean {
  if (link.deleted || link.owner_id === null || !can(ctx.actor, link.object, 'read')) return false;
  return isInScope(accessScope(ctx.actor, link.object, 'read'), { ownerId: link.owner_id, teamId: link.team_id });
}

/** Activities as the API shows them; names of records the reader may not see are left out. */
export async function toActivities(ex: Executor, ctx: Ctx, rows: ActivityRow[]): Promise<Activity[]> {
  const { workspaceId } = ctx.actor;
  const ids = rows.map((row) => row.id);
  const links = await linksOf(ex, workspaceId, ids);
  const participants = await participantsOf(ex, workspaceId, ids);
  const names = await userNames(ex, workspaceId, rows.flatMap((row) => [row.owner_id, ...(row.author_id ? [row.author_id] : [])]));
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    body: row.body,
    occurredAt: row.occurred_at.toISOString(),
    status: row.status,
    direction: row.direction,
    phone: row.phone_raw !== null || row.phone !== null ? formatPhone(row.phone, row.phone_raw ?? '') : null,
    phoneE164: row.phone,
    durationSec: row.duration_sec,
    result: row.result,
    recordingUrl: row.recording_url,
    startsAt: iso(row.starts_at),
    endsAt: iso(row.ends_at),
    reminderMinutes: row.reminder_minutes,
    place: row.place,
    emailFrom: row.email_from,
    emailTo: row.email_to ?? [],
    ownerId: row.owner_id,
    ownerName: names.get(row.owner_id) ?? null,
    teamId: row.team_id,
    authorId: row.author_id,
    authorName: row.author_id ? (names.get(row.author_id) ?? null) : null,
    links: links.filter((link) => link.activity_id === row.id).map((link) => ({ object: link.object, id: link.id, title: canReadRecord(ctx, link) ? link.title : null })),
    participants: participants.filter((p) => p.activity_id === row.id).map((p) => ({ userId: p.user_id, name: p.name })),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  }));
}

/** Activities by id in the given order (the timeline picks them; the caller has already decided they are visible). */
export async function activitiesInOrder(ex: Executor, ctx: Ctx, ids: string[]): Promise<Map<string, Activity>> {
  const activities = await toActivities(ex, ctx, await activitiesByIds(ex, ctx.actor.workspaceId, ids));
  return new Map(activities.map((activity) => [activity.id, activity]));
}

/**
 * Who reads an activity: the `activity` read scope over its owner and team, its internal participants, and (so a
 * client's history does not vanish for a colleague) anyone with an activity read right who may read a record it is on.
 * Otherwise it does not exist for them.
 */
async function loadActivity(ex: Executor, ctx: Ctx, id: string, options: { forUpdate?: boolean } = {}): Promise<ActivityRow> {
  const { workspaceId } = ctx.actor;
  const row = await findActivity(ex, workspaceId, id, options);
  const readScope = accessScope(ctx.actor, 'activity', 'read');
  if (row && (await isVisible(ex, workspaceId, id, readScope))) return row;
  if (row && (await linksOf(ex, workspaceId, [id])).some((link) => canReadRecord(ctx, link))) return row;
  throw new AppError('not_found', { message: 'No such activity' });
}

/** A change needs the action's scope over the activity's owner and team; seeing it through a record is not enough. */
function assertMayChange(ctx: Ctx, row: ActivityRow, action: 'update' | 'delete'): void {
  if (!LOGGED.has(row.kind)) throw invalid('/params/id', 'notes are changed on the timeline');
  if (!isInScope(accessScope(ctx.actor, 'activity', action), { ownerId: row.owner_id, teamId: row.team_id })) {
    throw new AppError('forbidden', { message: `Your role does not allow ${action} on this activity` });
  }
}

/** The records named in a body: each must exist and be readable by the actor (else a 400 at its path, the same for both). */
async function checkLinks(ex: Executor, ctx: Ctx, links: ActivityLinkInput[], known: Set<string> = new Set()): Promise<ActivityLinkInput[]> {
  const unique = links.filter((link, index) => links.findIndex((other) => linkKey(other) === linkKey(link)) === index);
  for (const [index, link] of unique.entries()) {
    if (known.has(linkKey(link))) continue;
    try {
      await loadRecord(ex, ctx, link.object, link.id);
    } catch (error) {
      if (error instanceof AppError && (error.code === 'not_found' || error.code === 'forbidden')) throw invalid(`/body/links/${links.indexOf(unique[index]!)}/id`, `no such ${link.object}`);
      throw error;
    }
  }
  return unique;
}

/** The responsible user: the actor by default; someone else needs the activity assign right over that person. */
async function resolveOwner(ex: Executor, ctx: Ctx, ownerId: string | undefined): Promise<{ ownerId: string; teamId: string | null }> {
  const { actor } = ctx;
  if (ownerId === undefined || ownerId === actor.userId) return { ownerId: actor.userId, teamId: actor.teamId };
  const [user] = await activeUsers(ex, actor.workspaceId, [ownerId]);
  if (!user) throw invalid('/body/ownerId', 'no such active user');
  if (!isInScope(accessScope(actor, 'activity', 'assign'), { ownerId: user.id, teamId: user.team_id })) {
    throw new AppError('forbidden', { message: 'Your role cannot give activities to this user', errors: [{ path: '/body/ownerId', message: 'outside your assign scope' }] });
  }
  return { ownerId: user.id, teamId: user.team_id };
}

async function checkParticipants(ex: Executor, workspaceId: string, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const found = new Set((await activeUsers(ex, workspaceId, unique)).map((user) => user.id));
  const missing = ids.findIndex((id) => !found.has(id));
  if (missing >= 0) throw invalid(`/body/participantIds/${missing}`, 'no such active user');
  return unique;
}

/** A phone as E.164 plus as typed; a number that cannot be read is refused (the user re-types it). */
function readPhone(raw: string | null | undefined, country: string): { phone: string | null; phone_raw: string | null } | undefined {
  if (raw === undefined) return undefined;
  if (raw === null || raw.trim() === '') return { phone: null, phone_raw: null };
  const e164 = toE164(raw, country);
  if (!e164) throw invalid('/body/phone', 'not a phone number we can read');
  return { phone: e164, phone_raw: raw.trim() };
}

const trimmed = (value: string | null | undefined) => (value === undefined ? undefined : value?.trim() || null);

/** Start, end and timeline time of an activity from its kind's fields. */
function timing(kind: LoggedActivityKind, input: { startsAt?: string | undefined; endsAt?: string | undefined; occurredAt?: string | undefined; durationSec?: number | null | undefined }, fallback: { startsAt: Date | null; endsAt: Date | null; occurredAt: Date; durationSec: number | null }) {
  if (kind === 'call' || kind === 'meeting') {
    const startsAt = input.startsAt ? new Date(input.startsAt) : (fallback.startsAt ?? fallback.occurredAt);
    const duration = input.durationSec !== undefined ? input.durationSec : fallback.durationSec;
    const endsAt = kind === 'meeting' ? (input.endsAt ? new Date(input.endsAt) : fallback.endsAt) : duration !== null ? new Date(startsAt.getTime() + duration * 1000) : null;
    return { starts_at: startsAt, ends_at: endsAt, occurred_at: startsAt };
  }
  return { starts_at: null, ends_at: null, occurred_at: input.occurredAt ? new Date(input.occurredAt) : fallback.occurredAt };
}

function checkInput(kind: LoggedActivityKind, body: object, now: Date, current?: ActivityRow): void {
  const errors = activityInputErrors(kind, body, now, current ? { startsAt: iso(current.starts_at), endsAt: iso(current.ends_at), status: current.status, reminderMinutes: current.reminder_minutes } : undefined);
  if (errors.length > 0) throw new AppError('validation', { message: errors.map((error) => `${error.path.slice('/body/'.length)}: ${error.message}`).join('; '), errors });
}

/** An activity's reminder planned afresh for its owner and internal participants (see planActivityReminders). */
async function replanReminder(ex: Executor, ctx: Ctx, row: ActivityRow, participants: string[], now: Date): Promise<Date | null> {
  const recipients = [row.owner_id, ...participants];
  return planActivityReminders(ex, { workspaceId: row.workspace_id, id: row.id, minutes: row.reminder_minutes, startsAt: row.starts_at, planned: row.status === 'planned', recipients }, now, ctx.actor.userId);
}

/** What creating or changing activities needs besides the database: the due-timer loop's wake-up, for their reminders. */
export function createActivityService(deps: ServiceDeps & { dueSignal: DueSignal }) {
  const wake = (at: Date | null) => {
    if (at) deps.dueSignal.wake(at);
  };

  /** Audit entry of the activity, and a live "changed" event for each record whose timeline shows it. */
  async function changed(ex: Executor, ctx: Ctx, action: string, id: string, records: { object: ClientObject; id: string }[], entry: { changes?: Record<string, { from: unknown; to: unknown }>; meta?: Record<string, unknown> }) {
    await recordAudit(ex, ctx, { action: `activity.${action}`, objectType: 'activity', objectId: id, changes: entry.changes ?? null, meta: entry.meta ?? null });
    const unique = records.filter((record, index) => records.findIndex((other) => linkKey(other) === linkKey(record)) === index);
    for (const record of unique) await announceRecordChange(ex, ctx, record.object, record.id, 'activity');
  }

  async function get(ctx: Ctx, id: string): Promise<Activity> {
    const row = await loadActivity(deps.db, ctx, id);
    return (await toActivities(deps.db, ctx, [row]))[0]!;
  }

  async function list(ctx: Ctx, q: ActivityListQuery): Promise<PageOf<Activity>> {
    const limit = q.limit ?? 50;
    const rows = await listActivities(deps.db, {
      workspaceId: ctx.actor.workspaceId,
      scope: accessScope(ctx.actor, 'activity', 'read'),
      kind: q.kind,
      status: q.status,
      ownerId: q.ownerId,
      from: q.from,
      to: q.to,
      after: decodeCursor(q.cursor, ['timestamp', 'uuid']) as [string, string] | undefined,
      limit,
    });
    const page = toPage(rows, limit, (row) => [row.at_key, row.id]);
    return { items: await toActivities(deps.db, ctx, page.items), nextCursor: page.nextCursor };
  }

  /** Logs a call, meeting, e-mail or SMS on one or more records; each record's last interaction moves with it. */
  function create(ctx: Ctx, body: ActivityBody): Promise<Activity> {
    return deps.db.transaction().execute((trx) => createIn(trx, ctx, body));
  }

  /** `create` inside the caller's transaction (a robot's action runs in the one that marks its run done). */
  async function createIn(trx: Executor, ctx: Ctx, body: ActivityBody): Promise<Activity> {
    const { kind, ...input } = body;
    assertWritable(ctx.actor, 'activity', input);
    const now = deps.clock.now();
    checkInput(kind, input, now);
    const { workspaceId, userId } = ctx.actor;
    const links = await checkLinks(trx, ctx, input.links ?? []);
    const owner = await resolveOwner(trx, ctx, input.ownerId);
    const participants = await checkParticipants(trx, workspaceId, input.participantIds ?? []);
    const phone = readPhone(input.phone, await getWorkspaceCountry(trx, workspaceId));
    const time = timing(kind, input, { startsAt: null, endsAt: null, occurredAt: now, durationSec: null });
    const plannable = kind === 'call' || kind === 'meeting';
    const id = newId();
    const row: Insertable<ActivityTable> = {
      workspace_id: workspaceId,
      id,
      kind,
      subject: trimmed(input.subject) ?? null,
      body: trimmed(input.body) ?? null,
      ...time,
      status: plannable ? (input.status ?? (time.occurred_at.getTime() > now.getTime() ? 'planned' : 'done')) : null,
      direction: input.direction ?? null,
      ...(phone ?? {}),
      duration_sec: input.durationSec ?? null,
      result: trimmed(input.result) ?? null,
      recording_url: input.recordingUrl ?? null,
      reminder_minutes: input.reminderMinutes ?? null,
      place: trimmed(input.place) ?? null,
      email_from: input.emailFrom?.toLowerCase() ?? null,
      email_to: input.emailTo ? input.emailTo.map((address) => address.toLowerCase()) : null,
      owner_id: owner.ownerId,
      team_id: owner.teamId,
      author_id: ctx.actor.via === 'system' ? null : userId,
      created_by: userId,
      updated_by: userId,
    };
    await insertActivity(trx, row);
    await addLinks(trx, workspaceId, id, links);
    await setParticipants(trx, workspaceId, id, participants);
    await changed(trx, ctx, 'create', id, links, { meta: { kind, subject: row.subject ?? null, links } });
    const created = (await findActivity(trx, workspaceId, id))!;
    if (created.reminder_minutes !== null) wake(await replanReminder(trx, ctx, created, participants, now));
    return (await toActivities(trx, ctx, [created]))[0]!;
  }

  async function update(ctx: Ctx, id: string, patch: Omit<ActivityUpdateBody, 'version'>, version: number | undefined): Promise<Activity> {
    assertWritable(ctx.actor, 'activity', patch);
    const expected = requireVersion(version);
    const { workspaceId, userId } = ctx.actor;
    const now = deps.clock.now();
    return deps.db.transaction().execute(async (trx) => {
      const before = await loadActivity(trx, ctx, id, { forUpdate: true });
      assertMayChange(ctx, before, 'update');
      const kind = before.kind as LoggedActivityKind;
      checkInput(kind, patch, now, before);
      if (before.version !== expected) throw new AppError('version_conflict', { message: `The activity was changed by someone else (now version ${before.version}); reload it`, currentVersion: before.version });
      const oldLinks = (await linksOf(trx, workspaceId, [id])).map((link) => ({ ...link, readable: canReadRecord(ctx, link) }));
      let added: ActivityLinkInput[] = [];
      let removed: ActivityLinkInput[] = [];
      if (patch.links) {
        // Links to records the actor cannot see stay: they are not theirs to remove.
        const wanted = await checkLinks(trx, ctx, patch.links, new Set(oldLinks.filter((link) => link.readable).map(linkKey)));
        const wantedKeys = new Set(wanted.map(linkKey));
        const oldKeys = new Set(oldLinks.map(linkKey));
        added = wanted.filter((link) => !oldKeys.has(linkKey(link)));
        removed = oldLinks.filter((link) => link.readable && !wantedKeys.has(linkKey(link))).map((link) => ({ object: link.object, id: link.id }));
      }
      const owner = patch.ownerId !== undefined && patch.ownerId !== before.owner_id ? await resolveOwner(trx, ctx, patch.ownerId) : undefined;
      const participants = patch.participantIds ? await checkParticipants(trx, workspaceId, patch.participantIds) : undefined;
      const phone = readPhone(patch.phone, await getWorkspaceCountry(trx, workspaceId));
      const time = timing(kind, patch, { startsAt: before.starts_at, endsAt: before.ends_at, occurredAt: before.occurred_at, durationSec: before.duration_sec });
      const after = await updateActivityRow(trx, workspaceId, id, expected, {
        subject: trimmed(patch.subject),
        body: trimmed(patch.body),
        ...time,
        status: patch.status,
        direction: patch.direction,
        ...(phone ?? {}),
        duration_sec: patch.durationSec,
        result: trimmed(patch.result),
        recording_url: patch.recordingUrl,
        reminder_minutes: patch.reminderMinutes,
        place: trimmed(patch.place),
        email_from: patch.emailFrom === undefined ? undefined : (patch.emailFrom?.toLowerCase() ?? null),
        email_to: patch.emailTo?.map((address) => address.toLowerCase()),
        owner_id: owner?.ownerId,
        team_id: owner ? owner.teamId : undefined,
        updated_by: userId,
      });
      if (!after) throw new AppError('version_conflict', { message: 'The activity was changed by someone else; reload it', currentVersion: before.version + 1 });
      if (after.occurred_at.getTime() !== before.occurred_at.getTime()) await retimeLinks(trx, workspaceId, id, after.occurred_at);
      await removeLinks(trx, workspaceId, id, removed);
      await addLinks(trx, workspaceId, id, added);
      if (participants) await setParticipants(trx, workspaceId, id, participants);
      // The reminder follows what it depends on: its minutes, the start, the people and whether the activity is still planned.
      const moved = after.starts_at?.getTime() !== before.starts_at?.getTime();
      const reminderAffected = patch.reminderMinutes !== undefined || moved || after.owner_id !== before.owner_id || participants !== undefined || after.status !== before.status;
      if (reminderAffected && (after.reminder_minutes !== null || before.reminder_minutes !== null)) {
        const people = participants ?? (await participantsOf(trx, workspaceId, [id])).map((participant) => participant.user_id);
        wake(await replanReminder(trx, ctx, after, people, now));
      }
      const changes = diffFields(before, after, AUDITED);
      if (added.length > 0 || removed.length > 0) changes.links = { from: removed, to: added };
      if (participants) changes.participants = { from: null, to: participants };
      await changed(trx, ctx, 'update', id, [...oldLinks, ...added], { changes });
      return (await toActivities(trx, ctx, [after]))[0]!;
    });
  }

  async function remove(ctx: Ctx, id: string): Promise<void> {
    await deps.db.transaction().execute(async (trx) => {
      const row = await loadActivity(trx, ctx, id, { forUpdate: true });
      assertMayChange(ctx, row, 'delete');
      await softDeleteActivity(trx, ctx.actor.workspaceId, id, row.version, ctx.actor.userId);
      const links = await linksOf(trx, ctx.actor.workspaceId, [id]);
      await changed(trx, ctx, 'delete', id, links, { meta: { kind: row.kind, subject: row.subject ?? row.body?.slice(0, 200) ?? null } });
    });
  }

  return { get, list, create, createIn, update, remove };
}

export type ActivityService = ReturnType<typeof createActivityService>;
