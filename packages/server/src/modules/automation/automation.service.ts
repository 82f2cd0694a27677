import { fullMatrix, type FieldError, type RobotRule, type RobotRuleBody, type RobotRuleUpdateBody, type RobotRun, type RobotRunList } from '@rapport/shared';
import { feelErrorAt, feelHolds } from '../../bpm/feel.js';
import { AppError, requireVersion } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import { diffFields } from '../../core/diff.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import { newId } from '../../infra/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { loadRecord } from '../client-record/client-record.service.js';
import { toDeals } from '../deal/deal.service.js';
import { getWorkspace } from '../workspace/workspace.service.js';
import { createActionLibrary, dealValues, type ActionPeers } from './action-library.js';
import { claimRun, findRule, finishRun, idleDeals, insertRule, insertRun, nextRulePosition, rulesOfStage, runsOfDeal, updateRule, type StageRuleRow } from './automation.repository.js';

/** Attempts of one action before its run is marked failed for good. */
export const MAX_ATTEMPTS = 3;
/** The first retry waits this long, each next one twice as long. */
const RETRY_BASE_SECONDS = 30;

/** Hands a run to the durable job queue in the caller's transaction, optionally to start later. */
export type RunQueue = (ex: Executor, job: { workspaceId: string; runId: string }, startAfterSeconds?: number) => Promise<void>;

function toRule(row: StageRuleRow): RobotRule {
  return {
    id: row.id,
    stageId: row.stage_id,
    name: row.name,
    trigger: row.trigger,
    idleHours: row.idle_hours,
    condition: row.condition,
    actions: row.actions,
    position: row.position,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

/** A robot acts on behalf of whoever last saved its rule (an administrator), audited as the system. */
function robotCtx(rule: StageRuleRow): Ctx {
  return {
    actor: { workspaceId: rule.workspace_id, userId: rule.updated_by ?? rule.created_by ?? '', name: rule.name, roleId: '', teamId: null, teamTreeIds: [], permissions: fullMatrix('all'), fieldRules: {}, via: 'system', apiKeyId: null },
    meta: { ip: null, requestId: `robot:${rule.id}` },
  };
}

/** A condition's syntax error as a field error. */
function conditionErrors(condition: string | null | undefined): FieldError[] {
  if (!condition?.trim()) return [];
  const at = feelErrorAt(condition);
  return at === undefined ? [] : [{ path: '/body/condition', message: `not a FEEL expression: error at character ${at + 1}` }];
}

/** Only a condition that evaluates to true lets a rule run; an empty one always does. */
function conditionHolds(condition: string | null, values: Record<string, unknown>): boolean {
  return !condition?.trim() || feelHolds(condition, values);
}

export function createAutomationService(deps: ServiceDeps, peers: ActionPeers) {
  const library = createActionLibrary(peers);

  async function dealOf(ex: Executor, ctx: Ctx, dealId: string) {
    return (await toDeals(ex, ctx.actor.workspaceId, [await loadRecord(ex, ctx, 'deal', dealId)], deps.clock.now()))[0]!;
  }

  /** Every error of a rule at once: the stage, the condition, each action's type and config. */
  async function check(ex: Executor, ctx: Ctx, stageId: string, rule: { trigger: string; idleHours: number | null; condition?: string | null | undefined; actions?: { type: string; config: unknown }[] | undefined }): Promise<void> {
    const errors = rule.trigger === 'idle_hours' && rule.idleHours === null ? [{ path: '/body/idleHours', message: 'required: hours without activity' }] : [];
    errors.push(...conditionErrors(rule.condition));
    for (const [index, action] of (rule.actions ?? []).entries()) errors.push(...(await library.check(ex, ctx, action, { stageId }, `/body/actions/${index}`)));
    if (errors.length > 0) throw new AppError('validation', { message: 'The robot is not valid', errors });
  }

  async function stageExists(ctx: Ctx, stageId: string): Promise<void> {
    const pipelines = await peers.pipeline.list(ctx);
    if (!pipelines.some((pipeline) => pipeline.stages.some((stage) => stage.id === stageId))) {
      throw new AppError('validation', { message: 'No such stage', errors: [{ path: '/body/stageId', message: 'no such stage' }] });
    }
  }

  async function list(ctx: Ctx, stageId: string): Promise<{ items: RobotRule[] }> {
    return { items: (await rulesOfStage(deps.db, ctx.actor.workspaceId, stageId)).map(toRule) };
  }

  async function create(ctx: Ctx, body: RobotRuleBody): Promise<RobotRule> {
    const { workspaceId, userId } = ctx.actor;
    await stageExists(ctx, body.stageId);
    const idleHours = body.trigger === 'idle_hours' ? (body.idleHours ?? null) : null;
    await check(deps.db, ctx, body.stageId, { ...body, idleHours });
    return deps.db.transaction().execute(async (trx) => {
      const row = await insertRule(trx, {
        workspace_id: workspaceId,
        id: newId(),
        stage_id: body.stageId,
        name: body.name.trim(),
        trigger: body.trigger,
        idle_hours: idleHours,
        condition: body.condition?.trim() || null,
        actions: JSON.stringify(body.actions),
        position: await nextRulePosition(trx, workspaceId, body.stageId),
        created_by: userId,
        updated_by: userId,
      });
      await recordAudit(trx, ctx, { action: 'stage_rule.create', objectType: 'stage_rule', objectId: row.id, meta: { name: row.name, stageId: row.stage_id, trigger: row.trigger, idleHours: row.idle_hours, condition: row.condition, actions: body.actions.map((action) => action.type) } });
      return toRule(row);
    });
  }

  async function update(ctx: Ctx, id: string, patch: Omit<RobotRuleUpdateBody, 'version'>, version: number | undefined): Promise<RobotRule> {
    const expected = requireVersion(version);
    const { workspaceId, userId } = ctx.actor;
    const current = await findRule(deps.db, workspaceId, id);
    if (!current) throw new AppError('not_found', { message: 'No such robot' });
    const trigger = patch.trigger ?? current.trigger;
    const idleHours = trigger === 'idle_hours' ? (patch.idleHours !== undefined ? patch.idleHours : current.idle_hours) : null;
    await check(deps.db, ctx, current.stage_id, { ...patch, trigger, idleHours });
    return deps.db.transaction().execute(async (trx) => {
      const changes = {
        ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
        trigger,
        idle_hours: idleHours,
        ...(patch.condition !== undefined ? { condition: patch.condition?.trim() || null } : {}),
        ...(patch.actions !== undefined ? { actions: JSON.stringify(patch.actions) } : {}),
      };
      const updated = await updateRule(trx, workspaceId, id, expected, changes, userId);
      if (!updated) throw new AppError('version_conflict', { message: 'The robot was changed by someone else; reload it', currentVersion: current.version });
      await recordAudit(trx, ctx, { action: 'stage_rule.update', objectType: 'stage_rule', objectId: id, changes: diffFields(toRule(current), toRule(updated), ['name', 'trigger', 'idleHours', 'condition', 'actions']) });
      return toRule(updated);
    });
  }

  /** Deleting stops the rule for new entries; runs already queued still finish. */
  async function remove(ctx: Ctx, id: string, version: number | undefined): Promise<void> {
    const expected = requireVersion(version);
    const { workspaceId, userId } = ctx.actor;
    await deps.db.transaction().execute(async (trx) => {
      const current = await findRule(trx, workspaceId, id, { forUpdate: true });
      if (!current) throw new AppError('not_found', { message: 'No such robot' });
      const deleted = await updateRule(trx, workspaceId, id, expected, { deleted_at: deps.clock.now() }, userId);
      if (!deleted) throw new AppError('version_conflict', { message: 'The robot was changed by someone else; reload it', currentVersion: current.version });
      await recordAudit(trx, ctx, { action: 'stage_rule.delete', objectType: 'stage_rule', objectId: id, meta: { name: current.name, stageId: current.stage_id } });
    });
  }

  /**
   * A deal entered a stage (the outbox event, in the dispatcher's transaction): each on-enter rule whose condition
   * holds gets its first action queued; one whose condition fails is logged as skipped. The run's unique key makes a
   * second delivery of the same event a no-op.
   */
  async function stageEntered(trx: Executor, workspaceId: string, event: { dealId: string; stageId: string; entryId: string }, enqueue: RunQueue): Promise<void> {
    const rules = (await rulesOfStage(trx, workspaceId, event.stageId)).filter((rule) => rule.trigger === 'on_enter');
    for (const rule of rules) await startRule(trx, rule, event.dealId, event.entryId, enqueue);
  }

  /** Queues a rule's first action for a deal's stay, or logs it skipped when the condition fails; once per stay. */
  async function startRule(trx: Executor, rule: StageRuleRow, dealId: string, entryId: string, enqueue: RunQueue): Promise<void> {
    const first = rule.actions[0];
    if (!first) return;
    const holds = conditionHolds(rule.condition, dealValues(await dealOf(trx, robotCtx(rule), dealId)));
    const runId = newId();
    const inserted = await insertRun(trx, {
      workspace_id: rule.workspace_id,
      id: runId,
      deal_id: dealId,
      rule_id: rule.id,
      stage_entry_id: entryId,
      action_index: 0,
      action_type: first.type,
      status: holds ? 'queued' : 'skipped',
      error: holds ? null : 'the condition is false',
      finished_at: holds ? null : deps.clock.now(),
    });
    if (inserted && holds) await enqueue(trx, { workspaceId: rule.workspace_id, runId });
  }

  /**
   * The periodic scan of idle rules (a scheduled job): each deal idle in its stage for a rule's hours gets the rule
   * started on its current stay. Several scanners may overlap: the run's unique key lets one of them win.
   */
  async function idleScan(enqueue: RunQueue): Promise<number> {
    return deps.db.transaction().execute(async (trx) => {
      const due = await idleDeals(trx, deps.clock.now(), 500);
      for (const row of due) {
        const rule = await findRule(trx, row.workspace_id, row.rule_id);
        if (rule) await startRule(trx, rule, row.deal_id, row.entry_id, enqueue);
      }
      return due.length;
    });
  }

  /**
   * One attempt of one queued action (the job). Done: the next action of the rule is queued in the same transaction.
   * Failed: retried with a growing pause, and after MAX_ATTEMPTS marked failed with its error for the deal's log.
   */
  async function runAction(workspaceId: string, runId: string, enqueue: RunQueue): Promise<void> {
    const claimed = await deps.db.transaction().execute((trx) => claimRun(trx, workspaceId, runId, deps.clock.now()));
    if (!claimed) return;
    const rule = await findRule(deps.db, workspaceId, claimed.rule_id, { withDeleted: true });
    const action = rule?.actions[claimed.action_index];
    try {
      if (!rule || !action) throw new Error('the robot no longer has this action');
      const ctx = robotCtx(rule);
      const { locale, timezone } = await getWorkspace(deps.db, workspaceId);
      const run = { ctx, deal: await dealOf(deps.db, ctx, claimed.deal_id), ruleId: rule.id, ruleName: rule.name, actionIndex: claimed.action_index, writing: { locale, timeZone: timezone } };
      const done = library.inTransaction(action.type) ? undefined : await library.run(deps.db, action.type, run, action.config);
      await deps.db.transaction().execute(async (trx) => {
        const result = done ?? (await library.run(trx, action.type, run, action.config));
        await finishRun(trx, workspaceId, runId, { status: 'done', error: null, result, finished_at: deps.clock.now() });
        const next = rule.actions[claimed.action_index + 1];
        if (!next) return;
        const nextId = newId();
        const queued = await insertRun(trx, { workspace_id: workspaceId, id: nextId, deal_id: claimed.deal_id, rule_id: rule.id, stage_entry_id: claimed.stage_entry_id, action_index: claimed.action_index + 1, action_type: next.type, status: 'queued', error: null });
        if (queued) await enqueue(trx, { workspaceId, runId: nextId });
      });
    } catch (error) {
      const message = (error as Error).message || String(error);
      const final = claimed.attempts >= MAX_ATTEMPTS;
      deps.logger.warn({ err: error, runId, attempt: claimed.attempts, final }, 'a robot action failed');
      await deps.db.transaction().execute(async (trx) => {
        await finishRun(trx, workspaceId, runId, { status: final ? 'failed' : 'queued', error: message, finished_at: final ? deps.clock.now() : null });
        if (!final) await enqueue(trx, { workspaceId, runId }, RETRY_BASE_SECONDS * 2 ** (claimed.attempts - 1));
      });
    }
  }

  /** A deal's robot log, for whoever may read the deal. */
  async function runs(ctx: Ctx, dealId: string): Promise<RobotRunList> {
    await loadRecord(deps.db, ctx, 'deal', dealId);
    const rows = await runsOfDeal(deps.db, ctx.actor.workspaceId, dealId, 200);
    return {
      items: rows.map(
        (row): RobotRun => ({
          id: row.id,
          ruleId: row.rule_id,
          ruleName: row.rule_name,
          actionIndex: row.action_index,
          actionType: row.action_type,
          status: row.status,
          attempts: row.attempts,
          error: row.error,
          result: row.result,
          createdAt: row.created_at.toISOString(),
          startedAt: row.started_at?.toISOString() ?? null,
          finishedAt: row.finished_at?.toISOString() ?? null,
        }),
      ),
    };
  }

  return { list, create, update, remove, stageEntered, idleScan, runAction, runs };
}

export type AutomationService = ReturnType<typeof createAutomationService>;
