import { executeRaw } from '../../packages/server/src/infra/db.js';
import { HISTORY_DAYS } from './activities.js';
import type { ClientBaseContext } from './context.js';
import { Params, pick, rnd, uuidv7At, weightedCase, workingMinute, workingTime, type WorkTables } from './work-sql.js';
import { WORK_TEXTS } from './work-texts.js';

/** Tasks each active user gets a week (calls back, quotes, contracts…), over the history and four weeks ahead. */
export const TASKS_PER_USER_WEEK = 12;
const AHEAD_DAYS = 28;
/** Tasks on a contact (the rest stand alone). */
const ON_CONTACT = 0.6;
/** Tasks shared with a colleague: as co-executor (on their calendar too) or as watcher. */
const CO_EXECUTED = 0.08;
const WATCHED = 0.04;

export const taskCount = (owners: number) => Math.round((owners * TASKS_PER_USER_WEEK * (HISTORY_DAYS + AHEAD_DAYS)) / 7);

export interface TasksResult {
  tasks: number;
  members: number;
}

/**
 * The users' tasks (TASKS_PER_USER_WEEK each), due on working days at full or half hours from two years ago to four
 * weeks ahead, in due order, in SQL as the activities are. Past ones are mostly done (open ones were reported overdue
 * then: overdue_notified_at is set, so the server's overdue timer does not fire for years of history while it is
 * measured); a quarter have a start time; some are shared with a colleague (task_member).
 */
export async function generateTasks(ctx: ClientBaseContext, work: WorkTables, seed: number): Promise<TasksResult> {
  const count = taskCount(work.owners);
  if (count === 0) return { tasks: 0, members: 0 };
  const texts = WORK_TEXTS[ctx.locale];
  const p = new Params();
  const ws = p.add(ctx.workspaceId);
  const now = `${p.add(work.now)}::timestamptz`;
  const tz = `${p.add(work.timezone)}::text`;
  const total = p.add(count);
  const status = `CASE WHEN due_at < ${now} THEN ${weightedCase(rnd(43), [["'done'", 88], ["'cancelled'", 4], ["'open'", 6], ["'in_progress'", 2]])} ELSE (CASE WHEN ${rnd(43)} < 0.9 THEN 'open' ELSE 'in_progress' END) END`;
  await executeRaw(
    ctx.db,
    `INSERT INTO task (workspace_id, id, title, description, owner_id, team_id, priority, status, start_at, due_at, completed_at, subject_type, subject_id,
       overdue_notified_at, created_at, updated_at, created_by, updated_by)
     SELECT ${ws}, ${uuidv7At('t.created_at')}, t.title, t.description, t.owner_id, t.team_id, t.priority, t.status,
       CASE WHEN ${rnd(46)} < 0.25 THEN t.due_at - (1 + floor(${rnd(47)} * 4)) * interval '1 hour' END,
       t.due_at,
       CASE WHEN t.status = 'done' THEN t.created_at + ${rnd(48)} * (t.due_at - t.created_at) END,
       CASE WHEN t.contact_id IS NOT NULL THEN 'contact' END, t.contact_id,
       CASE WHEN t.status IN ('open', 'in_progress') AND t.due_at < ${now} THEN t.due_at + interval '1 minute' END,
       t.created_at, t.created_at, t.owner_id, t.owner_id
     FROM (
       SELECT s.*, ${status} AS status FROM (
         SELECT d.g, d.seed, d.due_at, o.user_id AS owner_id, o.team_id, c.id AS contact_id,
           least(d.due_at - (1 + ${rnd(44, 'd.g')} * 13) * interval '1 day', ${now}) AS created_at,
           ${pick(`${p.add(texts.taskTitles)}::text[]`, rnd(45, 'd.g'))} AS title,
           CASE WHEN ${rnd(49, 'd.g')} < 0.4 THEN ${pick(`${p.add(texts.taskDescriptions)}::text[]`, rnd(50, 'd.g'))} END AS description,
           ${weightedCase(rnd(51, 'd.g'), [["'normal'", 70], ["'high'", 20], ["'low'", 7], ["'urgent'", 3]])} AS priority
         FROM (
           SELECT g, seed, ${workingTime('first_minute', 'last_minute', `((g - 1) + ${rnd(40)}) / ${total}`, tz, 30)} AS due_at
           FROM generate_series(1, ${total}) g
           CROSS JOIN (SELECT ${p.add(seed)}::int8 AS seed, ${workingMinute(`${now} - interval '${HISTORY_DAYS} days'`, tz)} AS first_minute,
             ${workingMinute(`${now} + interval '${AHEAD_DAYS} days'`, tz)} AS last_minute OFFSET 0) s
         ) d
         JOIN bench_owner o ON o.n = 1 + floor(${rnd(42, 'd.g')} * ${p.add(work.owners)})::int
         JOIN bench_day day ON day.day = (d.due_at AT TIME ZONE ${tz})::date
         -- A task is about a contact that existed by then.
         LEFT JOIN bench_contact c ON ${rnd(52, 'd.g')} < ${ON_CONTACT} AND day.existing > 0 AND c.n = 1 + floor(${rnd(53, 'd.g')} * day.existing)::int
       ) s
     ) t`,
    p.values,
  );
  let members = 0;
  if (work.owners > 1) {
    const share = `((hashtext(t.id::text) & 2147483647)::float8 / 2147483648)`;
    const { rows } = await executeRaw(
      ctx.db,
      `WITH added AS (
         INSERT INTO task_member (workspace_id, task_id, user_id, role, created_at)
         SELECT t.workspace_id, t.id, o2.user_id, CASE WHEN ${share} < ${CO_EXECUTED} THEN 'co_executor' ELSE 'watcher' END, t.created_at
         FROM task t
         JOIN bench_owner o ON o.user_id = t.owner_id
         JOIN bench_owner o2 ON o2.n = 1 + (o.n + floor(${share} * 1e6)::int % ($2 - 1)) % $2
         WHERE t.workspace_id = $1 AND ${share} < ${CO_EXECUTED + WATCHED}
         RETURNING 1
       ) SELECT count(*)::int AS n FROM added`,
      [ctx.workspaceId, work.owners],
    );
    members = Number(rows[0]?.n);
  }
  return { tasks: count, members };
}
