import { executeRaw } from '../../packages/server/src/infra/db.js';
import type { ClientBaseContext } from './context.js';
import { Params, pick, rnd, uuidv7At, weightedCase, workingMinute, workingTime, type WorkTables } from './work-sql.js';
import { WORK_TEXTS } from './work-texts.js';

/** Two years of history: activities spread evenly over the working hours of the last 730 days. */
export const HISTORY_DAYS = 730;
/** Calls and meetings planned ahead, as a share of all activities, over the next three weeks. */
const PLANNED_SHARE = 0.005;
const PLANNED_DAYS = 21;
/**
 * Whom an activity is with: a contact that existed that day, drawn as u^SKEW over them in order of creation, so
 * long-standing clients gather thousands of entries, most contacts a handful and a share of recent ones none yet.
 */
const SKEW = 2;
/** Activities logged by a colleague rather than the contact's owner. */
const COLLEAGUE_SHARE = 0.15;
const DELETED_SHARE = 0.01;
/** Meetings that bring an internal colleague along (activity_participant). */
const WITH_COLLEAGUE = 0.3;
const KINDS: readonly (readonly [string, number])[] = [
  ["'email'", 40],
  ["'call'", 20],
  ["'note'", 20],
  ["'sms'", 14],
  ["'meeting'", 6],
];
/**
 * A region's 46 active people logging ~200 activities a week each (e-mails, calls, notes, SMS, meetings) make about a
 * million over the two years; the default scale of a run with activities follows, so each person's calendar has a
 * realistic week (tens of calls and meetings) rather than a few hundred.
 */
export const ACTIVITIES_PER_REGION = 1_000_000;
export const scaleForActivities = (activities: number) => Math.max(1, Math.round(activities / ACTIVITIES_PER_REGION));

export interface ActivitiesResult {
  activities: number;
  links: number;
  participants: number;
  /** Contacts with at least one activity. */
  contactsReached: number;
}

/**
 * `count` activities on the live contacts (each also on the contact's primary company, notes excepted), generated in
 * SQL: a plan table (who, when, kind, status) drawn over generate_series, then the activity rows, their links and
 * meeting participants from it, in creation order (the heap is time-ordered as on a live database). The link triggers
 * (kind copy, last_activity_at) and foreign-key checks are switched off for the inserts only (session_replication_role,
 * this transaction) — the rows are consistent by construction — and last_activity_at of contacts and companies is then
 * set from the plan in one statement each, with the triggers' rule: the latest activity not deleted, not planned or cancelled.
 */
export async function generateActivities(ctx: ClientBaseContext, work: WorkTables, count: number, seed: number, log: (line: string) => void): Promise<ActivitiesResult> {
  if (count === 0) return { activities: 0, links: 0, participants: 0, contactsReached: 0 };
  if (work.contacts === 0 || work.owners === 0) throw new Error('activities need live contacts and active users');
  const started = performance.now();
  const step = (what: string) => log(`activities: ${what} (${Math.round((performance.now() - started) / 1000)} s)`);
  const planned = Math.round(count * PLANNED_SHARE);
  const past = count - planned;

  const plan = new Params();
  const [now, tz] = [`${plan.add(work.now)}::timestamptz`, `${plan.add(work.timezone)}::text`];
  const pastCount = plan.add(past);
  // Row numbers run in time order (past ones over the history, then the planned ones ahead), so the heap does too.
  const at = `CASE WHEN g > ${pastCount} THEN ${workingTime('now_minute', 'ahead_minute', `(g - ${pastCount} - 1 + ${rnd(5)}) / ${plan.add(Math.max(planned, 1))}`, tz)}
    ELSE ${workingTime('history_minute', 'now_minute', `(g - 1 + ${rnd(5)}) / ${pastCount}`, tz)} END`;
  // Computed once (OFFSET 0 keeps the planner from copying the expressions into every row).
  const axis = `${workingMinute(`${now} - interval '${HISTORY_DAYS} days'`, tz)} AS history_minute, ${workingMinute(now, tz)} AS now_minute,
    ${workingMinute(`${now} + interval '${PLANNED_DAYS} days'`, tz)} AS ahead_minute`;
  const kind = `CASE WHEN e.planned THEN (CASE WHEN ${rnd(4, 'e.g')} < 0.6 THEN 'call' ELSE 'meeting' END) ELSE ${weightedCase(rnd(4, 'e.g'), KINDS)} END`;
  await executeRaw(
    ctx.db,
    `CREATE TEMP TABLE bench_activity ON COMMIT DROP AS
     WITH d AS (
       SELECT g, seed, g > ${pastCount} AS planned, ${at} AS at,
         CASE WHEN ${rnd(2)} < ${COLLEAGUE_SHARE} THEN 1 + floor(${rnd(3)} * ${plan.add(work.owners)})::int END AS colleague
       FROM generate_series(1, ${plan.add(count)}) g CROSS JOIN (SELECT ${plan.add(seed)}::int8 AS seed, ${axis} OFFSET 0) s
     ), e AS (
       SELECT d.*, 1 + floor(greatest(day.existing, 1) * power(${rnd(1)}, ${SKEW}))::int AS n
       FROM d JOIN bench_day day ON day.day = (d.at AT TIME ZONE ${tz})::date
     ), x AS (
       SELECT e.g, e.seed, e.planned, greatest(e.at, c.created_at) AS at, c.id AS contact_id, c.company_id, c.phone, c.phone_raw, c.email AS contact_email,
         o.user_id AS owner_id, o.team_id, o.n AS owner_n, o.email AS owner_email,
         (CASE WHEN k.kind = 'sms' AND c.phone IS NULL THEN 'email' ELSE k.kind END) AS kind
       FROM e
       JOIN bench_contact c ON c.n = e.n
       JOIN bench_owner o ON o.n = coalesce(e.colleague, c.owner_n)
       CROSS JOIN LATERAL (SELECT ${kind} AS kind) k
     ), y AS (
       SELECT x.*,
         CASE WHEN kind IN ('call', 'meeting') THEN (CASE WHEN planned THEN 'planned' WHEN ${rnd(8)} < 0.95 THEN 'done' WHEN ${rnd(8)} < 0.99 THEN 'cancelled' ELSE 'planned' END) END AS status,
         ${rnd(9)} < ${DELETED_SHARE} AS deleted,
         CASE WHEN planned THEN ${now} - ${rnd(7)} * interval '10 days' ELSE least(at + ${rnd(7)} * interval '15 minutes', ${now}) END AS created_at
       FROM x
     )
     SELECT ${uuidv7At('created_at')} AS id, y.* FROM y`,
    plan.values,
  );
  step(`planned ${count.toLocaleString('en')} on ${work.contacts.toLocaleString('en')} live contacts`);

  // The links' kind copy and last-activity triggers, and foreign-key checks, would run per row: off for these inserts.
  await executeRaw(ctx.db, "SELECT set_config('session_replication_role', 'replica', true)", []);
  const texts = WORK_TEXTS[ctx.locale];
  const insert = new Params();
  const ws = insert.add(ctx.workspaceId);
  const text = (values: string[]) => `${insert.add(values)}::text[]`;
  const insertNow = `${insert.add(work.now)}::timestamptz`;
  const call = (salt: number) => rnd(salt, 'p.g');
  await executeRaw(
    ctx.db,
    `INSERT INTO activity (workspace_id, id, kind, subject, body, occurred_at, author_id, status, direction, phone, phone_raw, duration_sec, result,
       starts_at, ends_at, place, email_from, email_to, owner_id, team_id, created_at, updated_at, created_by, updated_by, deleted_at)
     SELECT ${ws}, p.id, p.kind,
       CASE p.kind WHEN 'meeting' THEN ${pick(text(texts.meetingSubjects), call(11))} WHEN 'email' THEN ${pick(text(texts.emailSubjects), call(11))}
         WHEN 'call' THEN (CASE WHEN ${call(12)} < 0.3 THEN ${pick(text(texts.callSubjects), call(11))} END) END,
       CASE p.kind WHEN 'note' THEN ${pick(text(texts.notes), call(13))} WHEN 'sms' THEN ${pick(text(texts.sms), call(13))} WHEN 'email' THEN ${pick(text(texts.emailBodies), call(13))}
         WHEN 'call' THEN (CASE WHEN p.status = 'done' AND ${call(14)} < 0.5 THEN ${pick(text(texts.callNotes), call(13))} END)
         WHEN 'meeting' THEN (CASE WHEN p.status = 'done' AND ${call(14)} < 0.4 THEN ${pick(text(texts.meetingNotes), call(13))} END) END,
       p.at, p.owner_id, p.status, r.direction,
       CASE WHEN p.kind IN ('call', 'sms') THEN p.phone END, CASE WHEN p.kind IN ('call', 'sms') THEN p.phone_raw END,
       r.duration, r.result,
       CASE WHEN p.kind IN ('call', 'meeting') THEN p.at END,
       CASE p.kind WHEN 'call' THEN p.at + r.duration * interval '1 second' WHEN 'meeting' THEN p.at + (30 * (1 + floor(${call(17)} * 4))) * interval '1 minute' END,
       CASE WHEN p.kind = 'meeting' AND ${call(18)} < 0.5 THEN ${pick(text(texts.places), call(19))} END,
       CASE WHEN p.kind = 'email' THEN (CASE r.direction WHEN 'inbound' THEN p.contact_email ELSE p.owner_email END) END,
       CASE WHEN p.kind = 'email' THEN (CASE r.direction WHEN 'inbound' THEN ARRAY[p.owner_email] ELSE (CASE WHEN p.contact_email IS NOT NULL THEN ARRAY[p.contact_email] END) END) END,
       p.owner_id, p.team_id, p.created_at, p.created_at, p.owner_id, p.owner_id,
       CASE WHEN p.deleted THEN least(p.created_at + interval '1 day', ${insertNow}) END
     FROM bench_activity p
     CROSS JOIN LATERAL (
       SELECT CASE WHEN p.kind IN ('call', 'email', 'sms') THEN (CASE WHEN ${call(10)} < 0.35 THEN 'inbound' ELSE 'outbound' END) END AS direction,
         q.result,
         CASE WHEN q.result = 'answered' THEN 30 + floor(${call(15)} * 1170)::int WHEN q.result IS NOT NULL THEN floor(${call(15)} * 30)::int END AS duration
       FROM (SELECT CASE WHEN p.kind = 'call' AND p.status = 'done' THEN ${weightedCase(call(16), [["'answered'", 60], ["'no_answer'", 25], ["'voicemail'", 10], ["'busy'", 5]])} END AS result) q
     ) r`,
    insert.values,
  );
  step('activity rows');
  await executeRaw(
    ctx.db,
    `INSERT INTO activity_link (workspace_id, activity_id, subject_type, subject_id, occurred_at, kind)
     SELECT $1, p.id, v.subject_type, v.subject_id, p.at, p.kind
     FROM bench_activity p CROSS JOIN LATERAL (VALUES ('contact', p.contact_id), ('company', CASE WHEN p.kind <> 'note' THEN p.company_id END)) AS v(subject_type, subject_id)
     WHERE v.subject_id IS NOT NULL`,
    [ctx.workspaceId],
  );
  step('links to contacts and their companies');
  if (work.owners > 1) {
    await executeRaw(
      ctx.db,
      // With the triggers off, the meeting's times are copied here as activity_participant_times would (migration 0015).
      `INSERT INTO activity_participant (workspace_id, activity_id, user_id, starts_at, ends_at)
       SELECT $1, p.id, o.user_id, a.starts_at, a.ends_at FROM bench_activity p
       JOIN activity a ON a.workspace_id = $1 AND a.id = p.id
       JOIN bench_owner o ON o.n = 1 + (p.owner_n + floor(${rnd(20, 'p.g')} * ($2 - 1))::int) % $2
       WHERE p.kind = 'meeting' AND ${rnd(21, 'p.g')} < ${WITH_COLLEAGUE}`,
      [ctx.workspaceId, work.owners],
    );
  }
  await executeRaw(ctx.db, "SELECT set_config('session_replication_role', 'origin', true)", []);
  step('meeting participants');

  // What activity_link_touch / refresh_last_activity keep: the latest activity that happened (not deleted, not planned or cancelled).
  const counted = 'NOT deleted AND (status IS NULL OR status = \'done\')';
  await executeRaw(
    ctx.db,
    `UPDATE contact c SET last_activity_at = x.at FROM (SELECT contact_id, max(at) AS at FROM bench_activity WHERE ${counted} GROUP BY contact_id) x
     WHERE c.workspace_id = $1 AND c.id = x.contact_id`,
    [ctx.workspaceId],
  );
  await executeRaw(
    ctx.db,
    `UPDATE company c SET last_activity_at = x.at FROM (SELECT company_id, max(at) AS at FROM bench_activity WHERE ${counted} AND kind <> 'note' AND company_id IS NOT NULL GROUP BY company_id) x
     WHERE c.workspace_id = $1 AND c.id = x.company_id`,
    [ctx.workspaceId],
  );
  step('last_activity_at of contacts and companies');
  const { rows } = await executeRaw(
    ctx.db,
    `SELECT count(*)::int AS activities, (count(*) + count(*) FILTER (WHERE kind <> 'note' AND company_id IS NOT NULL))::int AS links, count(DISTINCT contact_id)::int AS reached,
       (SELECT count(*) FROM activity_participant WHERE workspace_id = $1)::int AS participants
     FROM bench_activity`,
    [ctx.workspaceId],
  );
  const summary = rows[0]!;
  return { activities: Number(summary.activities), links: Number(summary.links), participants: Number(summary.participants), contactsReached: Number(summary.reached) };
}
