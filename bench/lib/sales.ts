import { presetPeriod, type PeriodPreset } from '@rapport/shared';
import type { Database } from '../../packages/server/src/infra/db.js';

/** The sales benchmarks' shared pieces: which pipeline they read and the report periods around the data's today. */

/** The live pipeline holding the most live deals (by the board's kept totals): the biggest board, the heaviest report. */
export async function biggestPipeline(sql: Database['executeSql'], workspaceId: string): Promise<{ id: string; name: string; deals: number }> {
  const { rows } = await sql(
    `SELECT p.id, p.name, sum(t.deals)::int AS deals FROM deal_stage_total t
     JOIN pipeline_stage s ON s.workspace_id = t.workspace_id AND s.id = t.stage_id
     JOIN pipeline p ON p.workspace_id = s.workspace_id AND p.id = s.pipeline_id AND p.archived_at IS NULL
     WHERE t.workspace_id = $1 GROUP BY p.id, p.name ORDER BY 3 DESC, p.id LIMIT 1`,
    [workspaceId],
  );
  const row = rows[0];
  if (!row) throw new Error('the base has no deals: generate it with --deals');
  return { id: String(row.id), name: String(row.name), deals: Number(row.deals) };
}

/** Today in the workspace's time zone (what the report page's presets start from). */
export async function workspaceToday(sql: Database['executeSql'], workspaceId: string): Promise<string> {
  const { rows } = await sql("SELECT to_char(now() AT TIME ZONE timezone, 'YYYY-MM-DD') AS today FROM workspace WHERE id = $1", [workspaceId]);
  return String(rows[0]?.today);
}

/** `GET /api/v1/reports/<name>` of a preset period of the report page, for one pipeline. */
export function reportPath(name: string, preset: PeriodPreset, today: string, pipelineId: string): string {
  const { from, to } = presetPeriod(preset, today);
  return `/api/v1/reports/${name}?${new URLSearchParams({ from, to, pipelineId }).toString()}`;
}

/** The query of a report path as the service takes it. */
export function reportQueryOf(path: string): { from: string; to: string; pipelineId: string } {
  const params = new URL(path, 'http://bench').searchParams;
  return { from: params.get('from') ?? '', to: params.get('to') ?? '', pipelineId: params.get('pipelineId') ?? '' };
}
