import { executeRaw } from '../../packages/server/src/infra/db.js';
import type { ClientBaseContext } from './context.js';

/**
 * SQL pieces of the server-side generators (activities, tasks): millions of rows are drawn by INSERT … SELECT over
 * generate_series inside the database, so node sends a few statements instead of the rows. Random draws hash the row
 * number with a salt and the run's seed (a column `seed` in scope): the same seed gives the same rows.
 */

/** A uniform number in [0, 1) for row `row` (an int column); `salt` gives each draw its own stream. */
export const rnd = (salt: number, row = 'g') => `((hashint4extended(${row}, seed * 1000 + ${salt}) & 2147483647)::float8 / 2147483648)`;

/** One of the texts of the array expression `options`, picked by a draw in [0, 1). */
export const pick = (options: string, draw: string) => `(${options})[1 + floor(${draw} * cardinality(${options}))::int]`;

/** `CASE` over cumulative weights: the first value whose share the draw falls in. */
export function weightedCase(draw: string, options: readonly (readonly [string, number])[]): string {
  const total = options.reduce((sum, [, weight]) => sum + weight, 0);
  let cumulative = 0;
  const arms = options.slice(0, -1).map(([value, weight]) => {
    cumulative += weight / total;
    return `WHEN ${draw} < ${cumulative} THEN ${value}`;
  });
  return `CASE ${arms.join(' ')} ELSE ${options.at(-1)![0]} END`;
}

// Working time as one axis of minutes: 600 a working day (08:00–18:00 local), Monday to Friday, day 0 = 2000-01-03 (a
// Monday). A weekend or evening time maps to the start of the next working period. Draws spread over the axis fall evenly
// on working hours.
const DAY_ZERO = "date '2000-01-03'";
const MINUTES_A_DAY = 600;

/** Where the time `at` falls on the working-minute axis (float8). */
export function workingMinute(at: string, tz: string): string {
  const local = `((${at}) AT TIME ZONE ${tz})`;
  const k = `(${local}::date - ${DAY_ZERO})`;
  const intoDay = `least(greatest(date_part('epoch', ${local} - (${local}::date + time '08:00')) / 60, 0), ${MINUTES_A_DAY})`;
  return `(CASE WHEN ${k} % 7 >= 5 THEN (${k} / 7 * 5 + 5) * ${MINUTES_A_DAY} ELSE (${k} / 7 * 5 + ${k} % 7) * ${MINUTES_A_DAY} + ${intoDay} END)::float8`;
}

/**
 * The time at the share `draw` ∈ [0, 1) of the working time from working minute `first` to `last` (see workingMinute),
 * in time zone `tz`; `step` rounds the time of day down to whole steps of minutes (tasks fall due on the half hour).
 */
export function workingTime(first: string, last: string, draw: string, tz: string, step?: number): string {
  const w = `(${first} + (${draw}) * (${last} - ${first}))`;
  const day = `floor(${w} / ${MINUTES_A_DAY})::int`;
  const minute = step ? `floor((${w} - ${day} * ${MINUTES_A_DAY}) / ${step}) * ${step}` : `(${w} - ${day} * ${MINUTES_A_DAY})`;
  return `((${DAY_ZERO} + ${day} / 5 * 7 + ${day} % 5 + time '08:00' + ${minute} * interval '1 minute') AT TIME ZONE ${tz})`;
}

/**
 * A time-ordered id (UUID version 7, as the server's newId makes them) for a row created at `at`: the millisecond time,
 * then 74 bits of an md5 of the row number and seed.
 */
export const uuidv7At = (at: string, row = 'g') =>
  `overlay(overlay(md5(${row}::text || ':' || seed) PLACING lpad(to_hex(floor(date_part('epoch', ${at}) * 1000)::bigint), 12, '0') || '7' FROM 1 FOR 13) PLACING '8' FROM 17 FOR 1)::uuid`;

/** Positional parameters of one statement, numbered as they are added. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Who the generated work is about, as temp tables of the run's transaction (numbered, so a draw picks a row by number). */
export interface WorkTables {
  /** Active users: bench_owner (n, user_id, team_id, email). */
  owners: number;
  /**
   * Live contacts, numbered in order of creation: bench_contact (n, id, created_at, owner_n, company_id, phone, phone_raw,
   * email); bench_day (day, existing) says how many existed when a (local) day began, so work on a day picks among those.
   */
  contacts: number;
  /** The generation's "now" (ISO) and the workspace's time zone. */
  now: string;
  timezone: string;
}

/** How far around `now` bench_day reaches, in days. */
const DAYS_BACK = 800;
const DAYS_AHEAD = 60;

/** Creates bench_owner, bench_contact and bench_day (dropped at commit). */
export async function createWorkTables(ctx: ClientBaseContext): Promise<WorkTables> {
  const now = new Date().toISOString();
  const { timezone } = await ctx.db.selectFrom('workspace').select('timezone').where('id', '=', ctx.workspaceId).executeTakeFirstOrThrow();
  await executeRaw(
    ctx.db,
    `CREATE TEMP TABLE bench_owner ON COMMIT DROP AS
     SELECT o.n::int AS n, o.user_id, o.team_id, u.email
     FROM unnest($2::uuid[], $3::uuid[]) WITH ORDINALITY AS o(user_id, team_id, n)
     JOIN app_user u ON u.workspace_id = $1 AND u.id = o.user_id`,
    [ctx.workspaceId, ctx.owners.map((owner) => owner.userId), ctx.owners.map((owner) => owner.teamId)],
  );
  await executeRaw(ctx.db, 'ALTER TABLE bench_owner ADD PRIMARY KEY (n)', []);
  await executeRaw(
    ctx.db,
    `CREATE TEMP TABLE bench_contact ON COMMIT DROP AS
     SELECT (row_number() OVER (ORDER BY c.created_at, c.id))::int AS n, c.id, c.created_at, o.n AS owner_n, cc.company_id,
       c.phones->0->>'e164' AS phone, c.phones->0->>'number' AS phone_raw, c.emails->0->>'email' AS email
     FROM contact c
     JOIN bench_owner o ON o.user_id = c.owner_id
     LEFT JOIN contact_company cc ON cc.workspace_id = c.workspace_id AND cc.contact_id = c.id AND cc.is_primary
     WHERE c.workspace_id = $1 AND c.deleted_at IS NULL`,
    [ctx.workspaceId],
  );
  await executeRaw(ctx.db, 'ALTER TABLE bench_contact ADD PRIMARY KEY (n)', []);
  await executeRaw(ctx.db, 'CREATE INDEX ON bench_contact (created_at, n)', []);
  await executeRaw(
    ctx.db,
    `CREATE TEMP TABLE bench_day ON COMMIT DROP AS
     SELECT s.day::date AS day, coalesce((
       SELECT c.n FROM bench_contact c WHERE c.created_at < (s.day::date::timestamp AT TIME ZONE $2) ORDER BY c.created_at DESC, c.n DESC LIMIT 1
     ), 0) AS existing
     FROM generate_series(($1::timestamptz AT TIME ZONE $2)::date - ${DAYS_BACK}, ($1::timestamptz AT TIME ZONE $2)::date + ${DAYS_AHEAD}, interval '1 day') AS s(day)`,
    [now, timezone],
  );
  await executeRaw(ctx.db, 'ALTER TABLE bench_day ADD PRIMARY KEY (day)', []);
  await executeRaw(ctx.db, 'ANALYZE bench_owner, bench_contact, bench_day', []);
  const { rows } = await executeRaw(ctx.db, 'SELECT (SELECT count(*) FROM bench_owner)::int AS owners, (SELECT count(*) FROM bench_contact)::int AS contacts', []);
  return { owners: Number(rows[0]?.owners), contacts: Number(rows[0]?.contacts), now, timezone };
}
