/**
 * Child process: the ceiling of the activity benchmarks (timeline, calendar-week, base-rotation). A bare Fastify app (no
 * plugins, hooks or schemas) running, per request, the statements Rapport runs for it through
 * `openDatabase(...).executeSql` (a pg.Pool of 10 on PostgreSQL, with JIT off as Rapport's; PGlite's pg pool on the embedded backend), and
 * answering the same JSON:
 *
 *   GET /api/v1/timeline/:object/:id   session, the record, its linked activities (one keyset page), their rows, links,
 *                                      participants and people's names, the record's aliases and its audit entries
 *   GET /api/v1/calendar               session, tasks and calls/meetings of the users overlapping the range, repeating
 *                                      tasks' series, the records they are on, the owners' names
 *   GET /api/v1/rotation               session, custom fields, the idle records' page beside the planner's estimate of
 *                                      them and, under ten times the cap, their capped count (two connections, as
 *                                      Rapport's Promise.all), the owners' names
 *
 * The SQL is copied from Rapport's repositories as Kysely compiles it (timeline, activity, audit, client-record,
 * calendar). Only what the benchmarks send is implemented: the head of sales (scope `all`, no hidden fields), timelines
 * of every kind, the calendar's default kinds, the rotation without a filter or quick search. The benchmarks compare
 * these statements with the ones Rapport's services run (bench/lib/capture.ts) and the answers with Rapport's; when
 * they drift apart, update the SQL here.
 *
 * GET /__statements answers the statements of the last request.
 * Config: BENCH_CLIENT_BASE_CEILING_ENV = { "port": number, "target": DatabaseTarget }.
 */
import { formatPhone } from '@rapport/shared';
import Fastify from 'fastify';
import { openDatabase, PREPARED, type DatabaseTarget } from '../../packages/server/src/infra/db.js';
import { statementRoutes, type Recorder, type Row } from './ceiling-session.js';
import { serveChild } from './child-server.js';

const { port, target } = JSON.parse(process.env.BENCH_CLIENT_BASE_CEILING_ENV ?? '{}') as { port: number; target: DatabaseTarget };
const DAY_MS = 86_400_000;
/** client-record.service.ts LIST_COUNT_CAP and calendar MAX_CALENDAR_ITEMS. */
const LIST_COUNT_CAP = 1_000;
const MAX_CALENDAR_ITEMS = 2_000;

const placeholders = (from: number, count: number) => Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ');
const iso = (value: unknown) => (value === null ? null : (value as Date).toISOString());
const cursorOf = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
/** Ids in first-seen order without repeats, as the services pass them. */
const unique = (ids: string[]) => [...new Set(ids)];

const SQL = {
  record: (table: string) => `SELECT r.* FROM "${table}" r WHERE r.workspace_id = $1 AND r.id = $2 AND r.deleted_at IS NULL`,
  userNames: (count: number) => `select "id", "name" from "app_user" where "workspace_id" = $1 and "id" in (${placeholders(2, count)})`,
  linked:
    `SELECT a.id, to_char(l.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key FROM activity_link l ` +
    'JOIN activity a ON a.workspace_id = l.workspace_id AND a.id = l.activity_id AND a.deleted_at IS NULL ' +
    'WHERE l.workspace_id = $1 AND l.subject_type = $2 AND l.subject_id = $3 ORDER BY l.occurred_at DESC, l.activity_id DESC LIMIT $4',
  activities: (count: number) => `select * from "activity" where "workspace_id" = $1 and "id" in (${placeholders(2, count)})`,
  links:
    'SELECT l.activity_id, l.subject_type AS object, l.subject_id AS id, coalesce(co.name, ct.full_name, ld.name, dl.title) AS title, ' +
    'coalesce(co.owner_id, ct.owner_id, ld.owner_id, dl.owner_id) AS owner_id, coalesce(co.team_id, ct.team_id, ld.team_id, dl.team_id) AS team_id, ' +
    'coalesce(co.id, ct.id, ld.id, dl.id) IS NULL OR coalesce(co.deleted_at, ct.deleted_at, ld.deleted_at, dl.deleted_at) IS NOT NULL AS deleted FROM activity_link l ' +
    "LEFT JOIN company co ON l.subject_type = 'company' AND co.workspace_id = l.workspace_id AND co.id = l.subject_id " +
    "LEFT JOIN contact ct ON l.subject_type = 'contact' AND ct.workspace_id = l.workspace_id AND ct.id = l.subject_id " +
    "LEFT JOIN lead ld ON l.subject_type = 'lead' AND ld.workspace_id = l.workspace_id AND ld.id = l.subject_id " +
    "LEFT JOIN deal dl ON l.subject_type = 'deal' AND dl.workspace_id = l.workspace_id AND dl.id = l.subject_id " +
    'WHERE l.workspace_id = $1 AND l.activity_id = ANY($2::uuid[]) ORDER BY l.subject_type, 4',
  participants: (count: number) =>
    'select "p"."activity_id", "p"."user_id", "u"."name" from "activity_participant" as "p" left join "app_user" as "u" on "u"."workspace_id" = "p"."workspace_id" and "u"."id" = "p"."user_id" ' +
    `where "p"."workspace_id" = $1 and "p"."activity_id" in (${placeholders(2, count)}) order by "u"."name"`,
  aliases: 'select "alias_id" from "record_alias" where "workspace_id" = $1 and "object_type" = $2 and "record_id" = $3',
  audit: (count: number) =>
    'select "a"."id", "a"."at", "a"."actor_id", "a"."actor_type", "a"."action", "a"."object_type", "a"."object_id", "a"."changes", "a"."meta", "a"."ip", "a"."request_id", "u"."name" as "actor_name", ' +
    `to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "at_key" from "audit_log" as "a" left join "app_user" as "u" on "u"."workspace_id" = "a"."workspace_id" and "u"."id" = "a"."actor_id" ` +
    `where "a"."workspace_id" = $1 and "a"."object_type" = $2 and "a"."object_id" in (${placeholders(3, count)}) order by "a"."at" desc, "a"."id" desc limit $${3 + count}`,
  customFields: 'select * from "custom_field" where "workspace_id" = $1 and "deleted_at" is null and "object" = $2 order by "object", "position", "label"',
};

/** The benchmarks sign in as the head of sales: only scope `all` is implemented. */
function assertScopeAll(principal: Row, objects: string[]): void {
  const permissions = principal.permissions as Record<string, Record<string, string> | undefined>;
  for (const object of objects) {
    for (const action of ['read', 'update']) {
      if (permissions[object]?.[action] !== 'all') throw new Error(`the ceiling implements scope "all" only, the session has ${String(permissions[object]?.[action])} for ${object}.${action}`);
    }
  }
}

async function userNames(db: Recorder, workspaceId: string, ids: string[]): Promise<Map<string, string>> {
  const wanted = unique(ids);
  if (wanted.length === 0) return new Map();
  return new Map((await db.query(SQL.userNames(wanted.length), [workspaceId, ...wanted])).map((row) => [row.id as string, row.name as string]));
}

// ---- timeline (timeline.service.ts list, activity.service.ts toActivities, audit.service.ts auditTrail)

const KIND_OF_ACTION: Record<string, string> = { create: 'created', update: 'updated', delete: 'deleted', restore: 'restored', merge: 'merged', convert: 'converted', attach: 'attached', detach: 'detached' };

/** activity.service.ts toActivities: the API's Activity, with the names of records the reader may see (all of them). */
async function activityDtos(db: Recorder, workspaceId: string, rows: Row[]): Promise<Map<string, Row>> {
  const ids = rows.map((row) => row.id as string);
  const links = ids.length === 0 ? [] : await db.query(SQL.links, [workspaceId, ids]);
  const participants = ids.length === 0 ? [] : await db.query(SQL.participants(ids.length), [workspaceId, ...ids]);
  const names = await userNames(db, workspaceId, rows.flatMap((row) => [row.owner_id as string, ...(row.author_id ? [row.author_id as string] : [])]));
  return new Map(
    rows.map((row) => [
      row.id as string,
      {
        id: row.id,
        kind: row.kind,
        subject: row.subject,
        body: row.body,
        occurredAt: iso(row.occurred_at),
        status: row.status,
        direction: row.direction,
        phone: row.phone_raw !== null || row.phone !== null ? formatPhone(row.phone as string | null, (row.phone_raw as string | null) ?? '') : null,
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
        ownerName: names.get(row.owner_id as string) ?? null,
        teamId: row.team_id,
        authorId: row.author_id,
        authorName: row.author_id ? (names.get(row.author_id as string) ?? null) : null,
        links: links.filter((link) => link.activity_id === row.id).map((link) => ({ object: link.object, id: link.id, title: link.deleted || link.owner_id === null ? null : link.title })),
        participants: participants.filter((p) => p.activity_id === row.id).map((p) => ({ userId: p.user_id, name: p.name })),
        createdAt: iso(row.created_at),
        updatedAt: iso(row.updated_at),
        version: row.version,
      },
    ]),
  );
}

async function timeline(db: Recorder, principal: Row, object: string, id: string, limit: number): Promise<Row | undefined> {
  assertScopeAll(principal, [object, 'activity']);
  const workspaceId = principal.workspace_id as string;
  if ((await db.query(SQL.record(object), [workspaceId, id])).length === 0) return undefined;
  const linked = await db.query(SQL.linked, [workspaceId, object, id, limit + 1]);
  const ids = linked.map((row) => row.id as string);
  const activities = await activityDtos(db, workspaceId, ids.length === 0 ? [] : await db.query(SQL.activities(ids.length), [workspaceId, ...ids]));
  const entries: (Row & { key: [string, string] })[] = linked.map((row) => {
    const activity = activities.get(row.id as string)!;
    return { id: row.id, kind: activity.kind, at: activity.occurredAt, actorId: activity.authorId, actorName: activity.authorName, body: activity.body ?? null, changes: null, meta: null, activity, key: [row.at_key as string, row.id as string] };
  });
  const ids2 = [id, ...(await db.query(SQL.aliases, [workspaceId, object, id])).map((row) => row.alias_id as string)];
  for (const row of await db.query(SQL.audit(ids2.length), [workspaceId, object, ...ids2, limit + 1])) {
    const kind = KIND_OF_ACTION[(row.action as string).split('.')[1] ?? ''];
    if (!kind) continue;
    const meta = { ...((row.meta as Row | null) ?? {}), ...(row.object_id !== id ? { recordId: row.object_id } : {}) };
    entries.push({ id: row.id, kind, at: iso(row.at), actorId: row.actor_id, actorName: row.actor_name, body: null, activity: null, changes: row.changes, meta, key: [row.at_key as string, row.id as string] });
  }
  entries.sort((a, b) => (a.key[0] === b.key[0] ? (a.key[1] < b.key[1] ? 1 : -1) : a.key[0] < b.key[0] ? 1 : -1));
  const items = entries.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(({ key: _key, ...entry }) => entry), nextCursor: entries.length > limit && last ? cursorOf(last.key) : null };
}

// ---- calendar (calendar.service.ts range / itemsFor / toItems, calendar.repository.ts)

/** taskVisible / activityVisible with scope `all`: the scope arm is `true`. */
const TASK_VISIBLE = (reader: string, member: string) => `(true OR t.created_by = ${reader} OR EXISTS (SELECT 1 FROM task_member m WHERE m.workspace_id = t.workspace_id AND m.task_id = t.id AND m.user_id = ${member}))`;
const TASK_COLUMNS = 't.id, t.title, t.start_at, t.due_at, t.all_day, t.status, t.priority, t.owner_id, t.team_id, t.subject_type, t.subject_id, t.version';
/** The time bounds, on the item for its owner and on the membership row's copy of its times (`t`/`m`, `a`/`p`) for the others. */
const TASK_OVERLAP = (row: string, to: string, from: string) => `coalesce(${row}.start_at, ${row}.due_at) < ${to} AND ${row}.due_at >= ${from}`;
const TASK_LIVE = "t.due_at IS NOT NULL AND t.status <> 'cancelled'";
const ACTIVITY_COLUMNS = 'a.id, a.kind, a.subject, a.starts_at, a.ends_at, a.status, a.owner_id, a.team_id, a.place, a.phone_raw, a.version';
const ACTIVITY_OVERLAP = (row: string, to: string, from: string) => `${row}.starts_at < ${to} AND coalesce(${row}.ends_at, ${row}.starts_at) >= ${from}`;
const ACTIVITY_KINDS = (kinds: string) => `a.kind = ANY(${kinds}::text[]) AND a.starts_at IS NOT NULL AND a.status IS DISTINCT FROM 'cancelled' AND true`;
/**
 * calendar.repository.ts itemRows around each statement's rows `x` (from `$n` on): the owner's name, the record's
 * title, owner and team, and the item as JSON text written by the database (scope `all` everywhere: every record's
 * title is readable and every item movable).
 */
const UTC_ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const isoSql = (at: string) => `to_char(${at} AT TIME ZONE 'UTC', ${UTC_ISO})`;
const ITEM_ROWS = (inner: string, n: number, parts: { kind: string; title: string; start: string; end: string; allDay: string; status: string; priority: string; overdue: string; place: string; editable: string; extra?: string; columns?: string }) =>
  `${PREPARED} SELECT x.id, i.start, row_to_json(i)::text AS item ${parts.columns ?? ''} FROM ( ${inner}) x ` +
  `LEFT JOIN app_user own ON own.workspace_id = $${n} AND own.id = x.owner_id LEFT JOIN LATERAL ( ` +
  `SELECT c.name AS title, c.owner_id, c.team_id FROM company c WHERE x.subject_type = 'company' AND c.workspace_id = $${n + 1} AND c.id = x.subject_id AND c.deleted_at IS NULL ` +
  `UNION ALL SELECT c.full_name, c.owner_id, c.team_id FROM contact c WHERE x.subject_type = 'contact' AND c.workspace_id = $${n + 2} AND c.id = x.subject_id AND c.deleted_at IS NULL ` +
  `UNION ALL SELECT l.name, l.owner_id, l.team_id FROM lead l WHERE x.subject_type = 'lead' AND l.workspace_id = $${n + 3} AND l.id = x.subject_id AND l.deleted_at IS NULL ` +
  `UNION ALL SELECT d.title, d.owner_id, d.team_id FROM deal d WHERE x.subject_type = 'deal' AND d.workspace_id = $${n + 4} AND d.id = x.subject_id AND d.deleted_at IS NULL ) rec ON true ` +
  `CROSS JOIN LATERAL ( SELECT ${parts.kind} AS kind, x.id, ${parts.title} AS title, ${isoSql(parts.start)} AS start, ${parts.end} AS "end", ${parts.allDay} AS "allDay", ` +
  `${parts.status} AS status, ${parts.priority} AS priority, ${parts.overdue} AS overdue, x.owner_id AS "ownerId", own.name AS "ownerName", ${parts.place} AS place, ` +
  "CASE WHEN x.subject_type IS NOT NULL AND x.subject_id IS NOT NULL THEN json_build_object('object', x.subject_type, 'id', x.subject_id, 'title', " +
  "CASE WHEN rec.owner_id IS NOT NULL AND CASE x.subject_type WHEN 'company' THEN true WHEN 'contact' THEN true WHEN 'lead' THEN true WHEN 'deal' THEN true ELSE false END THEN rec.title END) END AS subject, " +
  `${parts.editable} AS editable, x.version ${parts.extra ?? ''} ) i`;
const CALENDAR_SQL = {
  tasks: ITEM_ROWS(
    `SELECT * FROM ( SELECT ${TASK_COLUMNS} FROM task t WHERE t.workspace_id = $1 AND t.owner_id = ANY($2::uuid[]) AND t.deleted_at IS NULL AND ${TASK_OVERLAP('t', '$3', '$4')} AND ${TASK_LIVE} AND ${TASK_VISIBLE('$5', '$6')} ` +
      `UNION SELECT ${TASK_COLUMNS} FROM task_member m JOIN task t ON t.workspace_id = m.workspace_id AND t.id = m.task_id WHERE m.workspace_id = $7 AND m.role = 'co_executor' AND m.user_id = ANY($8::uuid[]) AND ${TASK_OVERLAP('m', '$9', '$10')} AND t.deleted_at IS NULL AND ${TASK_LIVE} AND ${TASK_VISIBLE('$11', '$12')}) x ` +
      'ORDER BY coalesce(x.start_at, x.due_at), x.id LIMIT $13',
    14,
    {
      kind: "'task'",
      title: 'x.title',
      start: 'coalesce(x.start_at, x.due_at)',
      end: `CASE WHEN x.start_at IS NOT NULL THEN ${isoSql('x.due_at')} END`,
      allDay: 'x.all_day',
      status: 'x.status',
      priority: 'x.priority',
      overdue: "(x.status IN ('open', 'in_progress') AND x.due_at < $19)",
      place: 'NULL::text',
      editable: 'true',
    },
  ),
  activities: ITEM_ROWS(
    `SELECT x.*, l.subject_type, l.subject_id FROM ( SELECT ${ACTIVITY_COLUMNS} FROM activity a WHERE a.workspace_id = $1 AND a.owner_id = ANY($2::uuid[]) AND a.deleted_at IS NULL AND ${ACTIVITY_OVERLAP('a', '$3', '$4')} AND ${ACTIVITY_KINDS('$5')} ` +
      `UNION SELECT ${ACTIVITY_COLUMNS} FROM activity_participant p JOIN activity a ON a.workspace_id = p.workspace_id AND a.id = p.activity_id WHERE p.workspace_id = $6 AND p.user_id = ANY($7::uuid[]) AND ${ACTIVITY_OVERLAP('p', '$8', '$9')} AND a.deleted_at IS NULL AND ${ACTIVITY_KINDS('$10')}) x ` +
      "LEFT JOIN LATERAL ( SELECT subject_type, subject_id FROM activity_link WHERE workspace_id = $11 AND activity_id = x.id ORDER BY subject_type = 'contact' DESC, subject_type, subject_id LIMIT 1 ) l ON true ORDER BY x.starts_at, x.id LIMIT $12",
    13,
    {
      kind: 'x.kind',
      title: "coalesce(x.subject, x.phone_raw, '')",
      start: 'x.starts_at',
      end: `CASE WHEN x.ends_at IS NOT NULL THEN ${isoSql('x.ends_at')} END`,
      allDay: 'false',
      status: 'x.status',
      priority: 'NULL::text',
      overdue: 'false',
      place: 'x.place',
      editable: 'true',
    },
  ),
  series: ITEM_ROWS(
    'SELECT s.id, s.rule, s.dtstart, s.timezone, s.start_offset_minutes, s.title, s.priority, s.owner_id, s.team_id, s.all_day, s.subject_type, s.subject_id, s.next_occurrence_at, s.version FROM task_series s ' +
      'WHERE s.workspace_id = $1 AND s.ended_at IS NULL AND s.deleted_at IS NULL AND s.next_occurrence_at IS NOT NULL AND s.next_occurrence_at - make_interval(mins => coalesce(s.start_offset_minutes, 0)) < $2 ' +
      "AND (s.owner_id = ANY($3::uuid[]) OR EXISTS (SELECT 1 FROM jsonb_array_elements(s.members) m WHERE m->>'role' = 'co_executor' AND m->>'userId' = ANY($4::text[]))) " +
      "AND (true OR s.created_by = $5 OR EXISTS (SELECT 1 FROM jsonb_array_elements(s.members) m WHERE m->>'userId' = $6)) ORDER BY s.next_occurrence_at, s.id LIMIT $7",
    8,
    {
      kind: "'task'",
      title: 'x.title',
      start: 'x.next_occurrence_at',
      end: 'NULL::text',
      allDay: 'x.all_day',
      status: "'open'",
      priority: 'x.priority',
      overdue: 'false',
      place: 'NULL::text',
      editable: 'false',
      extra: ', true AS projected, x.id AS "seriesId"',
      columns: ', x.rule, x.dtstart, x.timezone, x.start_offset_minutes, x.next_occurrence_at',
    },
  ),
};

async function calendar(db: Recorder, principal: Row, query: { from: string; to: string; users?: string; types?: string }): Promise<string> {
  assertScopeAll(principal, ['task', 'activity', 'company', 'contact', 'lead', 'deal']);
  const workspaceId = principal.workspace_id as string;
  const reader = principal.user_id as string;
  const from = new Date(query.from);
  const to = new Date(query.to);
  const users = query.users ? unique(query.users.toLowerCase().split(',')) : [reader];
  const kinds = query.types ? unique(query.types.split(',')) : ['task', 'call', 'meeting'];
  if (!kinds.includes('task')) throw new Error('ceiling: the calendar without tasks is not implemented');
  const limit = MAX_CALENDAR_ITEMS + 1;
  const activityKinds = kinds.filter((kind) => kind !== 'task');
  const names = (n: number) => Array.from({ length: n }, () => workspaceId);
  const [tasks, activities, series] = await Promise.all([
    db.query(CALENDAR_SQL.tasks, [workspaceId, users, to, from, reader, reader, workspaceId, users, to, from, reader, reader, limit, ...names(5), new Date()]),
    activityKinds.length === 0 ? [] : db.query(CALENDAR_SQL.activities, [workspaceId, users, to, from, activityKinds, workspaceId, users, to, from, activityKinds, workspaceId, limit, ...names(5)]),
    db.query(CALENDAR_SQL.series, [workspaceId, to, users, users, reader, reader, limit, ...names(5)]),
  ]);
  if (series.length > 0) throw new Error("ceiling: repeating tasks' projected occurrences are not implemented (the bench data has no series)");
  const rows = [...tasks, ...activities].map((row) => ({ id: row.id as string, start: row.start as string, item: row.item as string }));
  rows.sort((a, b) => (a.start === b.start ? a.id.localeCompare(b.id) : a.start < b.start ? -1 : 1));
  return `{"items":[${rows
    .slice(0, MAX_CALENDAR_ITEMS)
    .map((row) => row.item)
    .join(',')}],"truncated":${rows.length > MAX_CALENDAR_ITEMS}}`;
}

// ---- base rotation (rotation.service.ts list over client-record.service.ts list)

const IDLE =
  '(("r"."last_activity_at" < $2 OR (("r"."last_activity_at" IS NULL OR "r"."last_activity_at"::text = \'\') AND "r"."created_at" < $3))';
const ROTATION_SQL = {
  page: (table: string, where: string, limit: string) =>
    `SELECT r.*, to_char(coalesce(r.last_activity_at, r.created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS sort_key FROM "${table}" r ` +
    `WHERE r.workspace_id = $1 AND r.deleted_at IS NULL AND true AND ${where} ORDER BY coalesce(r.last_activity_at, r.created_at) ASC, r.id ASC LIMIT ${limit}`,
  estimate: (table: string, where: string) => `EXPLAIN (FORMAT JSON) SELECT 1 FROM "${table}" r WHERE r.workspace_id = $1 AND r.deleted_at IS NULL AND true AND ${where}`,
  ranked: (table: string, where: string, limit: string) =>
    `SELECT r.id FROM "${table}" r WHERE r.workspace_id = $1 AND r.deleted_at IS NULL AND true AND ${where} ORDER BY coalesce(r.last_activity_at, r.created_at) ASC, r.id ASC LIMIT ${limit}`,
  inOrder: (table: string) =>
    `SELECT r.*, to_char(coalesce(r.last_activity_at, r.created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS sort_key FROM "${table}" r WHERE r.workspace_id = $1 AND r.id = ANY($2::uuid[]) AND r.deleted_at IS NULL`,
};
/** client-record.service.ts ESTIMATE_INSTEAD_OF_COUNT. */
const ESTIMATE_INSTEAD_OF_COUNT = 2 * LIST_COUNT_CAP;

async function rotation(db: Recorder, principal: Row, query: { object: string; days?: string; ownerId?: string; limit?: string; filter?: string; q?: string; cursor?: string }): Promise<Row> {
  if (query.filter || query.q || query.cursor) throw new Error('ceiling: the rotation with a filter, quick search or cursor is not implemented');
  if (query.object !== 'contact' && query.object !== 'company') throw new Error(`ceiling: the rotation of ${query.object} is not implemented`);
  assertScopeAll(principal, [query.object]);
  const workspaceId = principal.workspace_id as string;
  const now = Date.now();
  const cutoff = new Date(now - Number(query.days ?? 30) * DAY_MS).toISOString();
  const limit = query.limit ? Number(query.limit) : 50;
  await db.query(SQL.customFields, [workspaceId, query.object]);
  const values: unknown[] = [workspaceId, cutoff, cutoff, ...(query.ownerId ? [query.ownerId] : [])];
  const where = query.ownerId ? `${IDLE} AND "r"."owner_id" = $4)` : `${IDLE})`;
  const last = `$${values.length + 1}`;
  // client-record.service.ts pageAndCount, first page: the planner's estimate; a large list's page alone ("1,000+"),
  // a smaller one's ids counted up to the cap in list order, its page read from the first of them.
  const raw = (await db.query(ROTATION_SQL.estimate(query.object, where), values))[0]?.['QUERY PLAN'];
  const estimate = ((typeof raw === 'string' ? JSON.parse(raw) : raw) as [{ Plan: { 'Plan Rows': number } }])[0].Plan['Plan Rows'];
  let rows: Row[];
  let counted: number;
  if (estimate > ESTIMATE_INSTEAD_OF_COUNT) {
    rows = await db.query(ROTATION_SQL.page(query.object, where, last), [...values, limit + 1]);
    counted = LIST_COUNT_CAP + 1;
  } else {
    const ranked = (await db.query(ROTATION_SQL.ranked(query.object, where, last), [...values, LIST_COUNT_CAP + 1])).map((row) => row.id as string);
    const byId = new Map<string, Row>((ranked.length === 0 ? [] : await db.query(ROTATION_SQL.inOrder(query.object), [workspaceId, ranked.slice(0, limit + 1)])).map((row) => [row.id as string, row]));
    rows = ranked.slice(0, limit + 1).flatMap((id): Row[] => {
      const row = byId.get(id);
      return row ? [row] : [];
    });
    counted = ranked.length;
  }
  // A first page holding every match is the exact count.
  const count = rows.length <= limit ? rows.length : counted;
  const page = rows.slice(0, limit);
  const owners = await userNames(db, workspaceId, page.map((row) => row.owner_id as string));
  const final = page.at(-1);
  return {
    items: page.map((row) => {
      const since = (row.last_activity_at as Date | null) ?? (row.created_at as Date);
      return {
        object: query.object,
        id: row.id,
        title: query.object === 'contact' ? row.full_name : row.name,
        ownerId: row.owner_id,
        ownerName: owners.get(row.owner_id as string) ?? null,
        lastActivityAt: iso(row.last_activity_at),
        createdAt: iso(row.created_at),
        idleDays: Math.max(0, Math.floor((now - since.getTime()) / DAY_MS)),
      };
    }),
    nextCursor: rows.length > limit && final ? cursorOf([final.sort_key, final.id]) : null,
    total: { value: Math.min(count, LIST_COUNT_CAP), exact: count <= LIST_COUNT_CAP },
  };
}

// ---- HTTP

const database = await openDatabase(target);
const app = Fastify({ logger: false });
const route = statementRoutes(app, database);

type TimelineRoute = { Params: { object: string; id: string }; Querystring: { limit?: string; kind?: string; cursor?: string } };
app.get<TimelineRoute>(
  '/api/v1/timeline/:object/:id',
  route<TimelineRoute>((db, principal, request) => {
    if (request.query.kind || request.query.cursor) throw new Error('ceiling: timelines of one kind or past the first page are not implemented');
    return timeline(db, principal, request.params.object, request.params.id, request.query.limit ? Number(request.query.limit) : 50);
  }),
);
type CalendarRoute = { Querystring: { from: string; to: string; users?: string; types?: string } };
const calendarRoute = route<CalendarRoute>((db, principal, request) => calendar(db, principal, request.query));
// The answer is JSON text written by the database, as Rapport's: sent as it is.
app.get<CalendarRoute>('/api/v1/calendar', (request, reply) => calendarRoute(request, reply.type('application/json; charset=utf-8')));
type RotationRoute = { Querystring: { object: string; days?: string; ownerId?: string; limit?: string; filter?: string; q?: string; cursor?: string } };
app.get<RotationRoute>('/api/v1/rotation', route<RotationRoute>((db, principal, request) => rotation(db, principal, request.query)));
await serveChild(app, port, () => database.close());
