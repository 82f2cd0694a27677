import type { ProcessSignalResult } from '@rapport/shared';
import type { ProcessGraph } from '../../bpm/compile.js';
import type { Step } from '../../bpm/engine.js';
import { accessScope } from '../../core/access-scope.js';
import { AppError } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Tx } from '../../infra/db.js';
import { recordAudit } from '../audit/audit.service.js';
import { findUserById } from '../user/user.service.js';
import { findInstance, instancesCatching, liveTokens, triggeredDefinitions, type DefinitionRow, type InstanceRow } from './process.repository.js';

/**
 * Signals: a broadcast by name inside a workspace. A signal thrown by a process (intermediate throw or end event) or
 * through the API reaches every running instance waiting for it (catch events, boundaries, event-based gateways) and
 * starts every deployed process with a signal start event of that name, in the thrower's transaction.
 */

/** A chain of signals caught and thrown again stops here, so two processes signalling each other cannot loop forever. */
const MAX_SIGNAL_DEPTH = 10;

/** What the signals need of the engine's service. */
export interface SignalEngine {
  graphOf(ex: Tx, workspaceId: string, versionId: string): Promise<ProcessGraph>;
  runStep(trx: Tx, instance: InstanceRow, actorId: string | null, apply: (step: Step) => unknown, variables?: Record<string, unknown>): Promise<InstanceRow>;
  startIn(trx: Tx, ctx: Ctx, def: DefinitionRow, number: number, start: { elementId: string; record: null; variables: Record<string, unknown>; ownerId: string; teamId: string | null }): Promise<InstanceRow>;
  engineCtx(workspaceId: string, userId: string, requestId: string): Ctx;
}

export function createProcessSignals(deps: ServiceDeps, engine: SignalEngine) {
  /** How deep the transaction is in a chain of signals. */
  const depths = new WeakMap<Tx, number>();

  async function broadcast(trx: Tx, workspaceId: string, name: string, variables: Record<string, unknown>, actorId: string | null): Promise<ProcessSignalResult> {
    const depth = depths.get(trx) ?? 0;
    if (depth >= MAX_SIGNAL_DEPTH) {
      deps.logger.warn({ workspaceId, signal: name, depth }, 'a chain of process signals was cut off');
      return { caught: 0, started: 0 };
    }
    depths.set(trx, depth + 1);
    try {
      let caught = 0;
      for (const id of await instancesCatching(trx, workspaceId, name)) {
        const row = await findInstance(trx, workspaceId, id, { forUpdate: true });
        if (!row || row.state !== 'running') continue;
        if (!(await waitsFor(trx, row, name))) continue;
        await engine.runStep(trx, row, actorId, (step) => step.signal(name), { ...row.variables, ...variables });
        caught += 1;
      }
      let started = 0;
      for (const def of await triggeredDefinitions(trx, workspaceId)) {
        for (const trigger of def.start_triggers.filter((candidate) => candidate.event === 'signal' && candidate.signal === name)) {
          // A signal start's instance is owned by whoever deployed the version, as a timer start's is.
          const ownerId = def.updated_by ?? def.created_by ?? '';
          const owner = await findUserById(trx, workspaceId, ownerId);
          await engine.startIn(trx, engine.engineCtx(workspaceId, ownerId, `process-signal:${name}`), def, def.latest_version!, { elementId: trigger.elementId, record: null, variables, ownerId, teamId: owner?.team_id ?? null });
          started += 1;
        }
      }
      return { caught, started };
    } finally {
      depths.set(trx, depth);
    }
  }

  /** Whether a live token of the instance waits where the signal would move it (its version may catch it elsewhere). */
  async function waitsFor(trx: Tx, row: InstanceRow, name: string): Promise<boolean> {
    const graph = await engine.graphOf(trx, row.workspace_id, row.version_id);
    return (await liveTokens(trx, row.workspace_id, row.id)).some((token) => {
      const node = graph.nodes.get(token.element_id);
      if (token.state !== 'waiting' || !node) return false;
      if (node.kind === 'catch') return node.signal === name;
      if (node.kind === 'eventBased' && node.outgoing.some((flow) => graph.nodes.get(graph.flows.get(flow)!.target)?.signal === name)) return true;
      return node.boundaries.some((boundary) => graph.nodes.get(boundary)?.signal === name);
    });
  }

  /** Throws a signal from outside (the API): anyone who may act on every process instance; audited. */
  async function throwSignal(ctx: Ctx, body: { name: string; variables?: Record<string, unknown> | undefined }): Promise<ProcessSignalResult> {
    if (accessScope(ctx.actor, 'process', 'update').kind !== 'all') throw new AppError('forbidden', { message: 'A signal reaches every process instance: your role must allow changing all of them' });
    const name = body.name.trim();
    return deps.db.transaction().execute(async (trx) => {
      const result = await broadcast(trx, ctx.actor.workspaceId, name, body.variables ?? {}, ctx.actor.userId);
      await recordAudit(trx, ctx, { action: 'process_signal.throw', objectType: 'process_signal', objectId: null, meta: { name, variables: Object.keys(body.variables ?? {}), ...result } });
      return result;
    });
  }

  return { broadcast, throwSignal };
}
