import type { Benchmark } from '../lib/benchmark.js';
import { ACTIVITY_CEILING, interleave, runClientBaseBenchmark, type KindedRequest } from '../lib/client-base-bench.js';
import type { Target as PassTarget } from '../lib/results.js';

const TARGET: PassTarget = { field: 'value', op: '<=', threshold: 50 };
/** People whose calendars the week view shows side by side. */
const TEAM = 20;
/** Teams of TEAM drawn from the workspace's departments, each seen over WEEKS weeks around the data's "now". */
const TEAMS = 3;
const WEEKS = [-4, -3, -2, -1, 0, 1, 2];
/** What the calendar page asks for by default (packages/web/src/features/calendar). */
const TYPES = 'task,call,meeting';
const WEEK_MS = 7 * 86_400_000;

/** Monday 00:00 UTC of the week of `at` (the bench workspaces of the English locale keep UTC). */
function mondayOf(at: Date): Date {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * 86_400_000);
}

/**
 * The calendar's week view with a team of 20 people selected: GET /api/v1/calendar?from=…&to=…&users=<20 ids>&types=
 * task,call,meeting — their tasks, calls and meetings of the week (a few weeks before and after the data's "now", past
 * ones done, coming ones planned), the records they are on and the owners' names.
 */
export const calendarWeek: Benchmark = {
  name: 'calendar-week',
  description: 'GET /api/v1/calendar for one week and a team of 20 users: p95 vs bare Fastify + pg',
  run: (ctx) =>
    runClientBaseBenchmark(ctx, {
      name: 'calendar-week',
      metric: `p95 latency, GET /api/v1/calendar, one week of ${TEAM} people (${ctx.options.latencyConnections} connections)`,
      target: TARGET,
      mode: 'latency',
      endpoint: `GET /api/v1/calendar?from=<Monday>&to=<next Monday>&users=<${TEAM} ids>&types=${TYPES}`,
      base: 'activities',
      ceiling: ACTIVITY_CEILING,
      async workload(sql, fixture) {
        const seeded = (await sql("SELECT at FROM audit_log WHERE workspace_id = $1 AND action = 'workspace.seed_bench'", [fixture.workspaceId])).rows[0]?.at as Date | undefined;
        // Active people by department (the root of their team), then team and name: each run of TEAM works together.
        const people = await sql(
          `SELECT u.id FROM app_user u
           JOIN team t ON t.workspace_id = u.workspace_id AND t.id = u.team_id
           LEFT JOIN team p ON p.workspace_id = t.workspace_id AND p.id = t.parent_id
           LEFT JOIN team d ON d.workspace_id = p.workspace_id AND d.id = p.parent_id
           WHERE u.workspace_id = $1 AND u.status = 'active' AND u.deleted_at IS NULL
           ORDER BY coalesce(d.id, p.id, t.id), t.id, u.name, u.id`,
          [fixture.workspaceId],
        );
        const ids = people.rows.map((row) => String(row.id));
        const teams = Array.from({ length: Math.min(TEAMS, Math.floor(ids.length / TEAM)) }, (_, i) => ids.slice(i * TEAM, (i + 1) * TEAM));
        if (teams.length === 0) throw new Error(`calendar-week needs ${TEAM} active users`);
        const monday = mondayOf(seeded ?? new Date());
        const kinds = WEEKS.map((week) =>
          teams.map((team): KindedRequest => {
            const from = new Date(monday.getTime() + week * WEEK_MS);
            const query = new URLSearchParams({ from: from.toISOString(), to: new Date(from.getTime() + WEEK_MS).toISOString(), users: team.join(','), types: TYPES });
            return { kind: week < 0 ? 'past week' : week === 0 ? 'this week' : 'coming week', path: `/api/v1/calendar?${query.toString()}` };
          }),
        );
        return {
          requests: interleave(kinds),
          notes: { team: TEAM, teams: teams.length, weeks: WEEKS, weeksNote: "weeks from the data's generation week (0: its Monday, UTC); teams are active people of one department by team" },
        };
      },
      serve(services, ctx, request) {
        const params = new URL(request.path, 'http://bench').searchParams;
        return services.calendar.range(ctx, { from: params.get('from')!, to: params.get('to')!, users: params.get('users')!, types: params.get('types')! });
      },
    }),
};
