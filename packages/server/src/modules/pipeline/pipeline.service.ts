import { MAX_PIPELINES, stageListErrors, type Locale, type Pipeline, type PipelineBody, type PipelineStageInput, type PipelineUpdateBody } from '@rapport/shared';
import { AppError, requireVersion } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import { diffFields } from '../../core/diff.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import { newId } from '../../infra/ids.js';
import { originOf, recordAudit, type AuditOrigin } from '../audit/audit.service.js';
import {
  clearDefault,
  countPipelines,
  deleteStages,
  findPipeline,
  recomputeDealReach,
  insertPipeline,
  insertStages,
  listPipelines,
  nextPipelinePosition,
  stagesHoldingDeals,
  stagesOf,
  updatePipeline,
  updateStage,
  type PipelineRow,
  type StageRow,
} from './pipeline.repository.js';

/** The pipeline every workspace starts with; 0014_pipelines.sql gives the same one to workspaces made before it. */
const DEFAULT_PIPELINE_NAME: Record<Locale, string> = { en: 'Sales', ru: 'Продажи' };
const DEFAULT_STAGES: (Omit<PipelineStageInput, 'name'> & { names: Record<Locale, string> })[] = [
  { names: { en: 'New request', ru: 'Новая заявка' }, color: '#4dabf7', probability: 10, kind: 'open', rottingDays: 3 },
  { names: { en: 'Qualified', ru: 'Квалификация' }, color: '#3bc9db', probability: 25, kind: 'open', rottingDays: 7 },
  { names: { en: 'Proposal', ru: 'Предложение' }, color: '#fab005', probability: 50, kind: 'open', rottingDays: 10 },
  { names: { en: 'Negotiation', ru: 'Переговоры' }, color: '#ff922b', probability: 75, kind: 'open', rottingDays: 10 },
  { names: { en: 'Won', ru: 'Успешно' }, color: '#40c057', probability: 100, kind: 'won', rottingDays: null },
  { names: { en: 'Lost', ru: 'Проиграно' }, color: '#868e96', probability: 0, kind: 'lost', rottingDays: null },
];

const stageValues = (stage: PipelineStageInput, position: number) => ({
  name: stage.name.trim(),
  color: stage.color.toLowerCase(),
  probability: stage.probability,
  kind: stage.kind,
  rotting_days: stage.kind === 'open' ? (stage.rottingDays ?? null) : null,
  position,
});

function toPipeline(row: PipelineRow, stages: StageRow[]): Pipeline {
  return {
    id: row.id,
    name: row.name,
    isDefault: row.is_default,
    position: row.position,
    stages: stages
      .filter((stage) => stage.pipeline_id === row.id)
      .map((stage) => ({ id: stage.id, name: stage.name, color: stage.color, probability: stage.probability, kind: stage.kind, rottingDays: stage.rotting_days, position: stage.position })),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

/** What an audit entry keeps of a stage list: names and kinds in order, enough to see what changed. */
const stageSummary = (stages: readonly { name: string; kind: string }[]) => stages.map((stage) => `${stage.name} (${stage.kind})`);

async function insertNewPipeline(ex: Executor, origin: AuditOrigin, input: { name: string; isDefault: boolean; stages: PipelineStageInput[] }): Promise<string> {
  const id = newId();
  const by = origin.actorType === 'system' ? null : origin.actorId;
  if (input.isDefault) await clearDefault(ex, origin.workspaceId, id);
  await insertPipeline(ex, { workspace_id: origin.workspaceId, id, name: input.name.trim(), position: await nextPipelinePosition(ex, origin.workspaceId), is_default: input.isDefault, created_by: by, updated_by: by });
  await insertStages(
    ex,
    input.stages.map((stage, position) => ({ workspace_id: origin.workspaceId, id: newId(), pipeline_id: id, ...stageValues(stage, position) })),
  );
  await recordAudit(ex, origin, { action: 'pipeline.create', objectType: 'pipeline', objectId: id, meta: { name: input.name.trim(), stages: stageSummary(input.stages) } });
  return id;
}

/** A new workspace's sales pipeline, in its language, in the caller's transaction. */
export async function createDefaultPipeline(ex: Executor, workspaceId: string, locale: Locale, origin: AuditOrigin): Promise<void> {
  const stages = DEFAULT_STAGES.map(({ names, ...stage }) => ({ ...stage, name: names[locale] }));
  await insertNewPipeline(ex, { ...origin, workspaceId }, { name: DEFAULT_PIPELINE_NAME[locale], isDefault: true, stages });
}

function checkStages(stages: PipelineStageInput[]): void {
  const errors = stageListErrors(stages).map(({ path, message }) => ({ path, message }));
  if (errors.length > 0) throw new AppError('validation', { message: 'The stages are not valid', errors });
}

/** Whether a pipeline exists and is not archived: deals can be opened in it. */
export async function pipelineOpen(ex: Executor, workspaceId: string, id: string): Promise<boolean> {
  const row = await findPipeline(ex, workspaceId, id);
  return row !== undefined && row.archived_at === null;
}

export function createPipelineService(deps: ServiceDeps) {
  /** The workspace's pipelines with their stages; `ex` is the caller's transaction when it has one (an import's batch). */
  async function list(ctx: Ctx, ex: Executor = deps.db): Promise<Pipeline[]> {
    const { pipelines, stages } = await listPipelines(ex, ctx.actor.workspaceId);
    return pipelines.map((row) => toPipeline(row, stages));
  }

  async function load(ex: Executor, ctx: Ctx, id: string): Promise<Pipeline> {
    const row = await findPipeline(ex, ctx.actor.workspaceId, id);
    if (!row) throw new AppError('not_found', { message: 'No such pipeline' });
    return toPipeline(row, await stagesOf(ex, ctx.actor.workspaceId, id));
  }

  async function create(ctx: Ctx, body: PipelineBody): Promise<Pipeline> {
    checkStages(body.stages);
    const fresh = body.stages.findIndex((stage) => stage.id !== undefined);
    if (fresh !== -1) throw new AppError('validation', { message: 'A new pipeline has new stages only', errors: [{ path: `/body/stages/${fresh}/id`, message: 'must be left out for a new pipeline' }] });
    return deps.db.transaction().execute(async (trx) => {
      const count = await countPipelines(trx, ctx.actor.workspaceId);
      if (count >= MAX_PIPELINES) throw new AppError('conflict', { message: `A workspace has at most ${MAX_PIPELINES} pipelines` });
      const id = await insertNewPipeline(trx, originOf(ctx), { name: body.name, isDefault: body.isDefault === true || count === 0, stages: body.stages });
      return load(trx, ctx, id);
    });
  }

  /**
   * Renames, makes default, and replaces the stage list in its new order: stages named by id keep their id (and, with
   * deals, their deals); stages without an id are new; stages left out are removed.
   */
  async function update(ctx: Ctx, id: string, patch: Omit<PipelineUpdateBody, 'version'>, version: number | undefined): Promise<Pipeline> {
    const expected = requireVersion(version);
    if (patch.stages) checkStages(patch.stages);
    return deps.db.transaction().execute(async (trx) => {
      const { workspaceId } = ctx.actor;
      const current = await findPipeline(trx, workspaceId, id, true);
      if (!current) throw new AppError('not_found', { message: 'No such pipeline' });
      if (current.version !== expected) throw new AppError('version_conflict', { message: 'The pipeline was changed meanwhile', currentVersion: current.version });
      const before = await stagesOf(trx, workspaceId, id);
      if (patch.stages) {
        const known = new Set(before.map((stage) => stage.id));
        const stranger = patch.stages.findIndex((stage) => stage.id !== undefined && !known.has(stage.id));
        if (stranger !== -1) throw new AppError('validation', { message: 'A stage belongs to another pipeline', errors: [{ path: `/body/stages/${stranger}/id`, message: 'is not a stage of this pipeline' }] });
        const kept = new Set(patch.stages.flatMap((stage) => (stage.id ? [stage.id] : [])));
        const removed = before.filter((stage) => !kept.has(stage.id));
        const busy = new Set(await stagesHoldingDeals(trx, workspaceId, removed.map((stage) => stage.id)));
        if (busy.size > 0) {
          throw new AppError('conflict', { message: `Move the deals out of ${removed.filter((stage) => busy.has(stage.id)).map((stage) => `"${stage.name}"`).join(', ')} before removing it` });
        }
        await deleteStages(
          trx,
          workspaceId,
          removed.map((stage) => stage.id),
        );
        for (const [position, stage] of patch.stages.entries()) {
          if (stage.id) await updateStage(trx, workspaceId, stage.id, stageValues(stage, position));
          else await insertStages(trx, [{ workspace_id: workspaceId, id: newId(), pipeline_id: id, ...stageValues(stage, position) }]);
        }
        const reshaped = before.some((stage) => {
          const now = patch.stages!.findIndex((candidate) => candidate.id === stage.id);
          return now === -1 || now !== stage.position || patch.stages![now]!.kind !== stage.kind;
        });
        if (reshaped) await recomputeDealReach(trx, workspaceId, id);
      }
      if (patch.isDefault) await clearDefault(trx, workspaceId, id);
      const updated = await updatePipeline(trx, workspaceId, id, expected, { ...(patch.name !== undefined ? { name: patch.name.trim() } : {}), ...(patch.isDefault ? { is_default: true } : {}) }, ctx.actor.userId);
      if (!updated) throw new AppError('version_conflict', { message: 'The pipeline was changed meanwhile', currentVersion: current.version });
      const after = await stagesOf(trx, workspaceId, id);
      const changes = {
        ...diffFields({ name: current.name, isDefault: current.is_default }, { name: updated.name, isDefault: updated.is_default }, ['name', 'isDefault']),
        ...diffFields({ stages: stageSummary(before) }, { stages: stageSummary(after) }, ['stages']),
      };
      await recordAudit(trx, ctx, { action: 'pipeline.update', objectType: 'pipeline', objectId: id, changes });
      return toPipeline(updated, after);
    });
  }

  /** Archives a pipeline; the default one stays until another is made default. */
  async function remove(ctx: Ctx, id: string): Promise<void> {
    await deps.db.transaction().execute(async (trx) => {
      const current = await findPipeline(trx, ctx.actor.workspaceId, id, true);
      if (!current) throw new AppError('not_found', { message: 'No such pipeline' });
      if (current.is_default) throw new AppError('conflict', { message: 'Make another pipeline the default before removing this one' });
      await updatePipeline(trx, ctx.actor.workspaceId, id, current.version, { archived_at: new Date() }, ctx.actor.userId);
      await recordAudit(trx, ctx, { action: 'pipeline.delete', objectType: 'pipeline', objectId: id, meta: { name: current.name } });
    });
  }

  return { list, get: (ctx: Ctx, id: string) => load(deps.db, ctx, id), create, update, remove };
}

export type PipelineService = ReturnType<typeof createPipelineService>;
