import type { FlowNode, ProcessGraph, VariableMapping } from '../../bpm/compile.js';
import type { Step } from '../../bpm/engine.js';
import { feelValue } from '../../bpm/feel.js';
import type { Ctx } from '../../core/context.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Tx } from '../../infra/db.js';
import { newId } from '../../infra/ids.js';
import { calledInstances, findDefinition, findInstance, insertEvents, liveTokens, saveInstance, versionsOfProcessId, type DefinitionRow, type InstanceRow } from './process.repository.js';

/**
 * Call activities: the activity starts an instance of the called process (the latest deployed version of the
 * definition whose BPMN process has the called id) linked to the same record, and waits for it. The child's end moves
 * the activity on with the output mapping; a BPMN error the child does not catch goes to the activity's error
 * boundaries; cancelling the activity (the parent cancelled, an interrupting boundary) cancels the child; cancelling
 * the child fails the activity's step, for an administrator to retry (a new child) or cancel.
 */

export interface CallEngine {
  graphOf(ex: Tx, workspaceId: string, versionId: string): Promise<ProcessGraph>;
  runStep(trx: Tx, instance: InstanceRow, actorId: string | null, apply: (step: Step) => unknown, variables?: Record<string, unknown>): Promise<InstanceRow>;
  startIn(
    trx: Tx,
    ctx: Ctx,
    def: DefinitionRow,
    number: number,
    start: { elementId: null; record: { type: NonNullable<InstanceRow['record_type']>; id: string } | null; variables: Record<string, unknown>; ownerId: string; teamId: string | null; parent: { instanceId: string; tokenId: string } },
  ): Promise<InstanceRow>;
  engineCtx(workspaceId: string, userId: string, requestId: string): Ctx;
}

/** Variables through a mapping: each target gets its source expression's value; no mapping passes them all. */
function mapped(mappings: VariableMapping[] | null, values: Record<string, unknown>, all: Record<string, unknown>): Record<string, unknown> {
  if (!mappings) return { ...all };
  const result: Record<string, unknown> = {};
  for (const { source, target } of mappings) {
    try {
      result[target] = feelValue(source, values) ?? null;
    } catch (error) {
      throw new Error(`The mapping into ${target} failed: ${(error as Error).message}`);
    }
  }
  return result;
}

export function createProcessCalls(deps: ServiceDeps, engine: CallEngine) {
  /** Starts the called instance of a parent's call activity token (the parent's step is written already). */
  async function call(trx: Tx, parent: InstanceRow, tokenId: string, node: FlowNode, values: Record<string, unknown>): Promise<void> {
    try {
      const [version] = await versionsOfProcessId(trx, parent.workspace_id, node.calledElement!);
      if (!version) throw new Error(`No deployed process has the id ${node.calledElement}`);
      const def = (await findDefinition(trx, parent.workspace_id, version.definition_id))!;
      const variables = mapped(node.inputs, values, parent.variables);
      const ctx = engine.engineCtx(parent.workspace_id, parent.owner_id, `process:${parent.id}`);
      const record = parent.record_type && parent.record_id ? { type: parent.record_type, id: parent.record_id } : null;
      await engine.startIn(trx, ctx, def, version.number, { elementId: null, record, variables, ownerId: parent.owner_id, teamId: parent.team_id, parent: { instanceId: parent.id, tokenId } });
    } catch (error) {
      const row = await findInstance(trx, parent.workspace_id, parent.id, { forUpdate: true });
      if (row) await engine.runStep(trx, row, null, (step) => step.fail(tokenId, (error as Error).message));
    }
  }

  /** A called instance completed or ended with an uncaught error: its call activity moves on or takes the error. */
  async function ended(trx: Tx, child: InstanceRow, uncaught: { code: string | null; thrownBy: string } | null): Promise<void> {
    const parent = child.parent_instance_id ? await findInstance(trx, child.workspace_id, child.parent_instance_id, { forUpdate: true }) : undefined;
    if (!parent || parent.state === 'completed' || parent.state === 'cancelled') return;
    const tokenId = child.parent_token_id!;
    // The call activity may no longer wait (a boundary event took its token meanwhile).
    const token = (await liveTokens(trx, parent.workspace_id, parent.id)).find((candidate) => candidate.id === tokenId);
    if (!token) return;
    if (uncaught) {
      await engine.runStep(trx, parent, null, (step) => step.throwError(tokenId, uncaught.code, `${uncaught.thrownBy} (called instance ${child.id})`));
      return;
    }
    const activity = (await engine.graphOf(trx, parent.workspace_id, parent.version_id)).nodes.get(token.element_id);
    let outputs: Record<string, unknown>;
    try {
      outputs = mapped(activity?.outputs ?? null, child.variables, child.variables);
    } catch (error) {
      await engine.runStep(trx, parent, null, (step) => step.fail(tokenId, (error as Error).message));
      return;
    }
    await engine.runStep(trx, parent, null, (step) => step.complete(tokenId), { ...parent.variables, ...outputs });
  }

  /** A called instance cancelled on its own: its call activity's step fails. */
  async function childCancelled(trx: Tx, child: InstanceRow): Promise<void> {
    const parent = child.parent_instance_id ? await findInstance(trx, child.workspace_id, child.parent_instance_id, { forUpdate: true }) : undefined;
    if (parent && parent.state !== 'completed' && parent.state !== 'cancelled') await engine.runStep(trx, parent, null, (step) => step.fail(child.parent_token_id!, 'The called instance was cancelled'));
  }

  /** The call activities of these tokens were cancelled: their called instances are cancelled too. */
  async function cancelCalled(trx: Tx, workspaceId: string, tokenIds: string[]): Promise<void> {
    const now = deps.clock.now();
    for (const child of await calledInstances(trx, workspaceId, tokenIds)) {
      await insertEvents(trx, [{ workspace_id: workspaceId, id: newId(), instance_id: child.id, at: now, kind: 'cancelled', element_id: null, user_id: null, data: JSON.stringify({ by: 'parent', parentInstanceId: child.parent_instance_id }) }]);
      await engine.runStep(trx, child, null, (step) => step.cancelAll());
      await saveInstance(trx, workspaceId, child.id, { state: 'cancelled', error: null, ended_at: now }, null);
    }
  }

  return { call, ended, childCancelled, cancelCalled };
}
