import {
  fullMatrix,
  type ElementMark,
  type ProcessDefinition,
  type ProcessDefinitionCreate,
  type ProcessDefinitionUpdate,
  type ProcessInstance,
  type ProcessInstanceCard,
  type ProcessInstanceList,
  type ProcessInstanceQuery,
  type ProcessComment,
  type ProcessCommentCreate,
  type ProcessMigration,
  type ProcessMigrationPlan,
  type ProcessProblem,
  type ProcessRecordType,
  type ProcessStart,
  type ProcessStartable,
  type ProcessTaskContext,
  type ProcessTaskOf,
  type ProcessValidation,
  type ProcessVersion,
  type ProcessVersionDetail,
} from '@rapport/shared';
import { compileXml, type FlowNode, type ProcessGraph } from '../../bpm/compile.js';
import { Step, type Token } from '../../bpm/engine.js';
import { configFeelErrors, evaluateConfig } from '../../bpm/action-config.js';
import { feelHolds, feelValue } from '../../bpm/feel.js';
import { changedFields, oldAndNew, valueAt } from '../../bpm/field-changes.js';
import { durationMs, firstDue, isoCycle } from '../../bpm/iso-time.js';
import { accessScope, can } from '../../core/access-scope.js';
import { AppError, requireVersion } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import { decodeCursor, toPage } from '../../core/pagination.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor, Tx } from '../../infra/db.js';
import type { DueKind } from '../../infra/due-timers.js';
import { newId } from '../../infra/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { dealValues, type ActionLibrary, type ActionRun } from '../automation/action-library.js';
import { usersOfRole } from '../automation/automation.repository.js';
import { loadRecord, userNames } from '../client-record/client-record.service.js';
import { toDeals } from '../deal/deal.service.js';
import { roleRights } from '../role/role.service.js';
import { readableTitles } from '../task/task.service.js';
import { createTask, driveTask, taskStatusOf, type TaskEnv } from '../task/task-write.js';
import { findUserById } from '../user/user.service.js';
import { getWorkspace } from '../workspace/workspace.service.js';
import { createProcessCalls } from './process-call.js';
import { createProcessSignals } from './process-signal.js';
import {
  allTokens,
  claimDueTimers,
  cancelTokenWork,
  elementMarks,
  eventsOf,
  findDefinition,
  findInstance,
  findTimer,
  childInstances,
  versionsOfProcessId,
  findUserTask,
  closeUserTaskForStep,
  findVersion,
  findVersionById,
  insertDefinition,
  insertEvents,
  insertInstance,
  insertTimers,
  insertUserTask,
  insertVersion,
  instanceInScope,
  listDefinitions,
  listInstances,
  listVersions,
  markTimer,
  nextTimerAt,
  runningCount,
  saveInstance,
  setUserTask,
  triggeredDefinitions,
  updateDefinition,
  upsertTokens,
  userTasksOf,
  liveTokens,
  lastAssignee,
  underSavepoint,
  insertStartTimers,
  voidStartTimers,
  claimDueStartTimers,
  markStartTimer,
  nextStartTimerAt,
  moveTokens,
  setInstanceVersion,
  type DefinitionRow,
  type InstanceRow,
  type TimerRow,
  type TokenRow,
  type UserTaskRow,
} from './process.repository.js';
import { insertComment, listComments, type CommentRow } from './process-comment.repository.js';

/** Attempts of a service task's action before its token fails. */
export const SERVICE_ATTEMPTS = 3;
/** The first retry of a failed action waits this long, each next one twice as long. */
const RETRY_BASE_MS = 30_000;
/** Compiled graphs kept in memory, by version id (versions never change). */
const GRAPH_CACHE_SIZE = 200;
/** How long a service run claimed for an action outside the transaction is held before another worker may take it. */
const OUTSIDE_LEASE_MS = 10 * 60_000;

const EMPTY_DIAGRAM = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_1" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="Process_1">
      <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1">
        <dc:Bounds x="180" y="160" width="36" height="36" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;

/** What a token may have pending: a called instance (calls), or timers, service runs and an open user task (due). */
interface TokenWork {
  calls: boolean;
  due: boolean;
}

const ANY_WORK: TokenWork = { calls: true, due: true };

/** The work a token waiting at an element can have: its element's timers, service run, user task (unless `settled`) or call. */
function workOf(graph: ProcessGraph, elementId: string, settled: boolean): TokenWork {
  const node = graph.nodes.get(elementId);
  if (!node) return ANY_WORK;
  const timers = node.timer !== null || node.kind === 'eventBased' || node.kind === 'serviceTask' || node.boundaries.some((id) => graph.nodes.get(id)?.timer);
  return { calls: node.kind === 'callActivity', due: timers || (node.kind === 'userTask' && !settled) };
}

export interface ProcessPeers {
  actions: ActionLibrary;
  taskEnv: TaskEnv;
}

/** The record an instance is linked to, as FEEL and assignees read it. */
interface LinkedRecord {
  type: ProcessRecordType;
  id: string;
  ownerId: string;
  teamId: string | null;
  values: Record<string, unknown>;
}

function keyOf(name: string): string {
  return (
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'process'
  );
}

/** The engine acts on behalf of the instance's owner with every right: what it does was allowed when it was deployed and started. */
function engineCtx(workspaceId: string, userId: string, requestId: string): Ctx {
  return {
    actor: { workspaceId, userId, name: 'Process', roleId: '', teamId: null, teamTreeIds: [], permissions: fullMatrix('all'), fieldRules: {}, via: 'system', apiKeyId: null },
    meta: { ip: null, requestId },
  };
}

function toDefinition(row: DefinitionRow, running: number): ProcessDefinition {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    draftXml: row.draft_xml,
    latestVersion: row.latest_version,
    running,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

function toInstance(row: InstanceRow, definitionName: string, recordTitle: string | null): ProcessInstance {
  return {
    id: row.id,
    definitionId: row.definition_id,
    definitionName,
    definitionVersion: row.version_number,
    state: row.state,
    record: row.record_type && row.record_id ? { type: row.record_type, id: row.record_id } : null,
    recordTitle,
    error: row.error,
    ownerId: row.owner_id,
    parentInstanceId: row.parent_instance_id,
    startedAt: row.started_at.toISOString(),
    endedAt: row.ended_at?.toISOString() ?? null,
    version: row.version,
  };
}

function toComment(row: Omit<CommentRow, 'author_name'>, authorName: string | null): ProcessComment {
  return { id: row.id, kind: row.kind, body: row.body, authorId: row.created_by, authorName, createdAt: row.created_at.toISOString() };
}

function toToken(row: TokenRow): Token {
  return { id: row.id, elementId: row.element_id, parentId: row.parent_id, state: row.state, viaFlow: row.via_flow, error: row.error, enteredAt: row.entered_at, leftAt: row.left_at };
}

/** Marks of the map from the per-element counts. */
function toMarks(rows: Awaited<ReturnType<typeof elementMarks>>): ElementMark[] {
  const marks: ElementMark[] = [];
  for (const row of rows) {
    const meanSeconds = row.mean_seconds === null ? null : Number(row.mean_seconds);
    if (row.active > 0) marks.push({ elementId: row.element_id, state: 'active', count: row.active, meanSeconds });
    if (row.failed > 0) marks.push({ elementId: row.element_id, state: 'failed', count: row.failed, meanSeconds });
    if (row.done > 0) marks.push({ elementId: row.element_id, state: 'done', count: row.done, meanSeconds });
  }
  return marks;
}

export function createProcessService(deps: ServiceDeps, peers: ProcessPeers) {
  const graphs = new Map<string, ProcessGraph>();

  /** Version ids by definition and number (versions never change): a start does not read the version's XML again. */
  const versionIds = new Map<string, { id: string }>();

  async function versionIdOf(ex: Executor, def: DefinitionRow, number: number): Promise<{ id: string } | undefined> {
    const key = `${def.workspace_id}:${def.id}:${number}`;
    const cached = versionIds.get(key);
    if (cached) return cached;
    const version = await findVersion(ex, def.workspace_id, def.id, number);
    if (!version) return undefined;
    if (versionIds.size >= GRAPH_CACHE_SIZE) versionIds.delete(versionIds.keys().next().value!);
    versionIds.set(key, { id: version.id });
    return { id: version.id };
  }

  /** The compiled graph of a deployed version (deploy refused it if it had problems). */
  async function graphOf(ex: Executor, workspaceId: string, versionId: string): Promise<ProcessGraph> {
    const cached = graphs.get(versionId);
    if (cached) return cached;
    const version = await findVersionById(ex, workspaceId, versionId);
    if (!version) throw new Error(`no process version ${versionId}`);
    const { graph } = await compileXml(version.xml);
    if (!graph) throw new Error(`process version ${versionId} does not compile`);
    if (graphs.size >= GRAPH_CACHE_SIZE) graphs.delete(graphs.keys().next().value!);
    graphs.set(versionId, graph);
    return graph;
  }

  /** Instances with their records' titles as the reader may see them. */
  async function present(ex: Executor, ctx: Ctx, rows: { row: InstanceRow; definitionName: string }[]): Promise<ProcessInstance[]> {
    const title = await readableTitles(ex, ctx.actor, rows.flatMap(({ row }) => (row.record_type && row.record_id ? [{ type: row.record_type, id: row.record_id }] : [])));
    return rows.map(({ row, definitionName }) => toInstance(row, definitionName, row.record_type && row.record_id ? title(row.record_type, row.record_id) : null));
  }

  async function presentOne(ex: Executor, ctx: Ctx, row: InstanceRow, definitionName: string): Promise<ProcessInstance> {
    return (await present(ex, ctx, [{ row, definitionName }]))[0]!;
  }

  // ——— definitions ———

  async function definitionOrFail(ex: Executor, ctx: Ctx, id: string, options: { forUpdate?: boolean } = {}): Promise<DefinitionRow> {
    const row = await findDefinition(ex, ctx.actor.workspaceId, id, options);
    if (!row) throw new AppError('not_found', { message: 'No such process' });
    return row;
  }

  async function listDefs(ctx: Ctx): Promise<{ items: ProcessDefinition[] }> {
    accessScope(ctx.actor, 'process', 'read');
    return { items: (await listDefinitions(deps.db, ctx.actor.workspaceId)).map((row) => toDefinition(row, row.running)) };
  }

  async function getDef(ctx: Ctx, id: string): Promise<ProcessDefinition> {
    accessScope(ctx.actor, 'process', 'read');
    const row = await definitionOrFail(deps.db, ctx, id);
    return toDefinition(row, await runningCount(deps.db, ctx.actor.workspaceId, id));
  }

  /** Unreadable XML is refused when saved: the draft always opens in the designer. */
  async function readableXml(xml: string, path: string): Promise<void> {
    const { problems } = await compileXml(xml);
    const broken = problems.find((problem) => problem.code === 'invalid_xml');
    if (broken) throw new AppError('validation', { message: broken.message, errors: [{ path, message: broken.message }] });
  }

  async function createDef(ctx: Ctx, body: ProcessDefinitionCreate): Promise<ProcessDefinition> {
    accessScope(ctx.actor, 'settings', 'update');
    const xml = body.xml ?? EMPTY_DIAGRAM;
    await readableXml(xml, '/body/xml');
    return deps.db.transaction().execute(async (trx) => {
      const name = body.name.trim();
      const row = await insertDefinition(trx, { workspace_id: ctx.actor.workspaceId, id: newId(), key: keyOf(name), name, description: body.description?.trim() || null, draft_xml: xml, created_by: ctx.actor.userId, updated_by: ctx.actor.userId });
      await recordAudit(trx, ctx, { action: 'process_definition.create', objectType: 'process_definition', objectId: row.id, meta: { name } });
      return toDefinition(row, 0);
    });
  }

  async function updateDef(ctx: Ctx, id: string, patch: Omit<ProcessDefinitionUpdate, 'version'>, version: number | undefined): Promise<ProcessDefinition> {
    accessScope(ctx.actor, 'settings', 'update');
    const expected = requireVersion(version);
    if (patch.draftXml !== undefined) await readableXml(patch.draftXml, '/body/draftXml');
    return deps.db.transaction().execute(async (trx) => {
      const current = await definitionOrFail(trx, ctx, id, { forUpdate: true });
      const updated = await updateDefinition(
        trx,
        ctx.actor.workspaceId,
        id,
        expected,
        {
          ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
          ...(patch.description !== undefined ? { description: patch.description?.trim() || null } : {}),
          ...(patch.draftXml !== undefined ? { draft_xml: patch.draftXml } : {}),
        },
        ctx.actor.userId,
      );
      if (!updated) throw new AppError('version_conflict', { message: 'The process was changed by someone else; reload it', currentVersion: current.version });
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      if (updated.name !== current.name) changes.name = { from: current.name, to: updated.name };
      if (updated.description !== current.description) changes.description = { from: current.description, to: updated.description };
      if (updated.draft_xml !== current.draft_xml) changes.draftXml = { from: `${current.draft_xml.length} characters`, to: `${updated.draft_xml.length} characters` };
      await recordAudit(trx, ctx, { action: 'process_definition.update', objectType: 'process_definition', objectId: id, changes });
      return toDefinition(updated, await runningCount(trx, ctx.actor.workspaceId, id));
    });
  }

  /** Deleting stops new starts; a definition with running instances is kept until they end or are cancelled. */
  async function removeDef(ctx: Ctx, id: string, version: number | undefined): Promise<void> {
    accessScope(ctx.actor, 'settings', 'update');
    const expected = requireVersion(version);
    await deps.db.transaction().execute(async (trx) => {
      const current = await definitionOrFail(trx, ctx, id, { forUpdate: true });
      const running = await runningCount(trx, ctx.actor.workspaceId, id);
      if (running > 0) throw new AppError('conflict', { message: `The process has ${running} running instances: cancel them or let them end first` });
      const deleted = await updateDefinition(trx, ctx.actor.workspaceId, id, expected, { deleted_at: deps.clock.now(), start_triggers: '[]' }, ctx.actor.userId);
      await voidStartTimers(trx, ctx.actor.workspaceId, id, deps.clock.now());
      if (!deleted) throw new AppError('version_conflict', { message: 'The process was changed by someone else; reload it', currentVersion: current.version });
      await recordAudit(trx, ctx, { action: 'process_definition.delete', objectType: 'process_definition', objectId: id, meta: { name: current.name } });
    });
  }

  /** Every problem of a diagram: the engine's, then the action library's and the people's (they need the database). */
  async function problemsOf(ex: Executor, ctx: Ctx, xml: string, definitionId: string) {
    const compiled = await compileXml(xml);
    const problems: ProcessProblem[] = [...compiled.problems];
    const at = (node: FlowNode, code: string, message: string): ProcessProblem => ({ elementId: node.id, elementName: node.name, elementType: node.type, code, message });
    for (const { node, config } of compiled.actions) {
      const errors = await peers.actions.check(ex, ctx, { type: node.action!, config }, { stageId: '' }, '');
      for (const error of errors) problems.push(at(node, error.path.endsWith('/type') ? 'action_unknown' : 'action_config', `${error.path.replace(/^\/config/, '') || node.action}: ${error.message}`));
      for (const error of configFeelErrors(config)) problems.push(at(node, 'feel_syntax', `${error.path}: ${error.message}`));
    }
    for (const node of compiled.calls) {
      // The definition being deployed calls itself by its own process id, whatever its deployed version said.
      const others = (await versionsOfProcessId(ex, ctx.actor.workspaceId, node.calledElement!)).filter((version) => version.definition_id !== definitionId);
      const matches = others.length + (compiled.graph?.processId === node.calledElement ? 1 : 0);
      if (matches === 0) problems.push(at(node, 'called_element_unknown', `No deployed process has the id ${node.calledElement}`));
      else if (matches > 1) problems.push(at(node, 'called_element_ambiguous', `Several deployed processes have the id ${node.calledElement}: give the called one its own id`));
    }
    for (const { node, kind, id } of compiled.people) {
      if (kind === 'user') {
        const user = await findUserById(ex, ctx.actor.workspaceId, id);
        if (!user || user.status !== 'active' || user.deleted_at) problems.push(at(node, 'assignee_unknown', 'The assignee is not an active user'));
      } else if (!(await roleRights(ex, ctx.actor.workspaceId, id))) problems.push(at(node, 'assignee_unknown', 'The assignee role does not exist'));
    }
    return { problems, graph: compiled.graph };
  }

  async function validate(ctx: Ctx, id: string): Promise<ProcessValidation> {
    accessScope(ctx.actor, 'settings', 'update');
    const row = await definitionOrFail(deps.db, ctx, id);
    const { problems } = await problemsOf(deps.db, ctx, row.draft_xml, id);
    return { problems, deployedVersion: null };
  }

  /** The draft becomes the next version when it has no problem; new instances use it, running ones keep theirs. */
  async function deploy(ctx: Ctx, id: string): Promise<ProcessValidation> {
    accessScope(ctx.actor, 'settings', 'update');
    const draft = await definitionOrFail(deps.db, ctx, id);
    const { problems, graph } = await problemsOf(deps.db, ctx, draft.draft_xml, id);
    if (problems.length > 0 || !graph) return { problems, deployedVersion: null };
    return deps.db.transaction().execute(async (trx) => {
      const current = await definitionOrFail(trx, ctx, id, { forUpdate: true });
      if (current.draft_xml !== draft.draft_xml) throw new AppError('conflict', { message: 'The draft changed while it was being deployed; deploy again' });
      const number = (current.latest_version ?? 0) + 1;
      const versionId = newId();
      await insertVersion(trx, { workspace_id: ctx.actor.workspaceId, id: versionId, definition_id: id, number, xml: current.draft_xml, deployed_by: ctx.actor.userId, signals: graph.caughtSignals, process_id: graph.processId });
      const triggers = [
        ...graph.crmStarts.map(({ elementId, trigger }) => ({ elementId, ...trigger })),
        ...graph.signalStarts.map(({ elementId, signal }) => ({ elementId, event: 'signal', object: '', stageId: null, field: null, condition: null, signal })),
      ];
      await updateDefinition(trx, ctx.actor.workspaceId, id, null, { latest_version: number, start_triggers: JSON.stringify(triggers) }, ctx.actor.userId);
      await armStartTimers(trx, ctx.actor.workspaceId, id, number, graph);
      await recordAudit(trx, ctx, { action: 'process_definition.deploy', objectType: 'process_definition', objectId: id, meta: { name: current.name, version: number, triggers: triggers.length } });
      return { problems: [], deployedVersion: number };
    });
  }

  /** The version's timer start events replace the previous version's: each gets its first due row. */
  async function armStartTimers(trx: Tx, workspaceId: string, definitionId: string, number: number, graph: ProcessGraph): Promise<void> {
    const now = deps.clock.now();
    await voidStartTimers(trx, workspaceId, definitionId, now);
    const rows = graph.timerStarts.map(({ elementId, timer }) => {
      const cycle = timer.type === 'cycle' ? isoCycle(timer.value)! : null;
      return { workspace_id: workspaceId, id: newId(), definition_id: definitionId, version_number: number, element_id: elementId, due_at: firstDue(timer, now), interval_ms: cycle?.intervalMs ?? null, repeat: cycle?.repeat === null || !cycle ? null : cycle.repeat - 1 };
    });
    await insertStartTimers(trx, rows);
    for (const row of rows) peers.taskEnv.signal.wake(row.due_at);
  }

  async function versions(ctx: Ctx, id: string): Promise<{ items: ProcessVersion[] }> {
    accessScope(ctx.actor, 'process', 'read');
    await definitionOrFail(deps.db, ctx, id);
    const rows = await listVersions(deps.db, ctx.actor.workspaceId, id);
    return { items: rows.map((row) => ({ number: row.number, deployedAt: row.deployed_at.toISOString(), deployedBy: row.deployed_by, deployedByName: row.deployed_by_name })) };
  }

  async function versionOrFail(ctx: Ctx, id: string, number: number) {
    accessScope(ctx.actor, 'process', 'read');
    await definitionOrFail(deps.db, ctx, id);
    const row = await findVersion(deps.db, ctx.actor.workspaceId, id, number);
    if (!row) throw new AppError('not_found', { message: `The process has no version ${number}` });
    return row;
  }

  async function version(ctx: Ctx, id: string, number: number): Promise<ProcessVersionDetail> {
    const row = await versionOrFail(ctx, id, number);
    const deployer = row.deployed_by ? await findUserById(deps.db, ctx.actor.workspaceId, row.deployed_by) : undefined;
    return { number: row.number, deployedAt: row.deployed_at.toISOString(), deployedBy: row.deployed_by, deployedByName: deployer?.name ?? null, xml: row.xml };
  }

  /** The definition map's counters over all instances of a version (whatever the reader's scope: they are counts). */
  async function versionMarks(ctx: Ctx, id: string, number: number): Promise<{ items: ElementMark[] }> {
    const row = await versionOrFail(ctx, id, number);
    return { items: toMarks(await elementMarks(deps.db, ctx.actor.workspaceId, { versionId: row.id })) };
  }

  // ——— the step ———

  /** The record's values as FEEL reads them; read with every right (the engine acts on what was allowed when it started). */
  async function recordOf(ex: Executor, workspaceId: string, type: ProcessRecordType, id: string): Promise<LinkedRecord> {
    const row = await loadRecord(ex, engineCtx(workspaceId, '', `process-record:${id}`), type, id, 'read', { withDeleted: true });
    if (type === 'deal') {
      const [deal] = await toDeals(ex, workspaceId, [row], deps.clock.now());
      return { type, id: row.id, ownerId: row.owner_id, teamId: row.team_id, values: { id: row.id, ...dealValues(deal!) } };
    }
    const values: Record<string, unknown> = { id: row.id, owner: { id: row.owner_id }, custom: row.custom };
    for (const [key, value] of Object.entries(row)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') values[key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())] ??= value;
    }
    return { type, id: row.id, ownerId: row.owner_id, teamId: row.team_id, values };
  }

  async function linkedRecord(ex: Executor, instance: InstanceRow): Promise<LinkedRecord | null> {
    return instance.record_type && instance.record_id ? recordOf(ex, instance.workspace_id, instance.record_type, instance.record_id) : null;
  }

  /** Who does a user task: the record's owner, a user, a role's next user in turn, or a FEEL expression's user id. */
  async function assigneeOf(ex: Executor, instance: InstanceRow, node: FlowNode, record: LinkedRecord | null, values: Record<string, unknown>): Promise<string> {
    const assignee = node.assignee ?? 'owner';
    if (assignee === 'owner') {
      if (!record) throw new Error('The task goes to the record’s owner, but the process is not linked to a record');
      return record.ownerId;
    }
    if (assignee.startsWith('user:')) return assignee.slice(5).toLowerCase();
    if (assignee.startsWith('role:')) {
      const users = await usersOfRole(ex, instance.workspace_id, assignee.slice(5).toLowerCase());
      if (users.length === 0) throw new Error('The assignee role has no active users');
      const last = await lastAssignee(ex, instance.workspace_id, instance.definition_id, node.id);
      return users[(users.indexOf(last ?? '') + 1) % users.length]!;
    }
    let value: unknown;
    try {
      value = feelValue(assignee.slice(1), values);
    } catch (error) {
      throw new Error(`The assignee expression failed: ${(error as Error).message}`);
    }
    if (typeof value !== 'string' || !/^[0-9a-f-]{36}$/i.test(value)) throw new Error(`The assignee expression gave ${JSON.stringify(value) ?? 'nothing'}, not a user id`);
    return value.toLowerCase();
  }

  /**
   * What a step's caller already knows: the live tokens (none for a new instance), events to write ahead of the step's
   * own, the token whose user task the caller has just closed (it has no other work when its element has none), and
   * whether the caller has just inserted the instance.
   */
  interface StepOptions {
    tokens?: TokenRow[];
    events?: { kind: string; element_id: string | null; data: Record<string, unknown> }[];
    settled?: string;
    /** The instance was inserted in this transaction: a step that leaves its row as inserted does not write it again. */
    created?: boolean;
  }

  /**
   * Runs one step of a locked instance: `apply` moves tokens, then the step's effects happen and everything it touched
   * is written, in the caller's transaction. A crash before the commit leaves the previous state for a rerun.
   */
  async function runStep(trx: Tx, instance: InstanceRow, actorId: string | null, apply: (step: Step) => unknown, variables: Record<string, unknown> = instance.variables, options: StepOptions = {}): Promise<InstanceRow> {
    const workspaceId = instance.workspace_id;
    const now = deps.clock.now();
    const graph = await graphOf(trx, workspaceId, instance.version_id);
    const record = await linkedRecord(trx, instance);
    const values = (): Record<string, unknown> => (record ? { ...variables, [record.type]: record.values } : { ...variables });
    const loaded = options.tokens ?? (await liveTokens(trx, workspaceId, instance.id));
    const step = new Step(graph, loaded.map(toToken), { now, newId, values });
    apply(step);
    const events = [...(options.events ?? [])];
    // Only tokens that existed before the step, or got work in it, can have timers, service runs, tasks or called
    // instances to cancel; a token that was waiting has only the kinds of work its element makes.
    const withWork = new Map(loaded.map((token) => [token.id, workOf(graph, token.element_id, token.id === options.settled)]));
    const ctx = engineCtx(workspaceId, instance.owner_id, `process:${instance.id}`);
    const thrown: string[] = [];
    const called: { tokenId: string; node: FlowNode }[] = [];
    for (const effect of step.effects) {
      switch (effect.type) {
        case 'event':
          events.push({ kind: effect.kind, element_id: effect.elementId, data: effect.data });
          break;
        case 'signal':
          thrown.push(effect.name);
          break;
        case 'call':
          called.push(effect);
          break;
        case 'timer':
          withWork.set(effect.tokenId, ANY_WORK);
          await insertTimers(trx, [{ workspace_id: workspaceId, id: newId(), instance_id: instance.id, token_id: effect.tokenId, element_id: effect.elementId, kind: 'timer', due_at: effect.dueAt, data: JSON.stringify({ repeat: effect.repeat }) }]);
          peers.taskEnv.signal.wake(effect.dueAt);
          break;
        case 'service':
          withWork.set(effect.tokenId, ANY_WORK);
          await insertTimers(trx, [{ workspace_id: workspaceId, id: newId(), instance_id: instance.id, token_id: effect.tokenId, element_id: effect.node.id, kind: 'service', due_at: now, data: '{}' }]);
          peers.taskEnv.signal.wake(now);
          break;
        case 'cancel_work': {
          const calling = effect.tokenIds.filter((id) => withWork.get(id)?.calls);
          const waiting = effect.tokenIds.filter((id) => withWork.get(id)?.due);
          if (calling.length > 0) await calls.cancelCalled(trx, workspaceId, calling);
          if (waiting.length === 0) break;
          for (const task of await cancelTokenWork(trx, workspaceId, waiting)) {
            await setUserTask(trx, workspaceId, task.task_id, { status: 'cancelled', completed_at: now });
            await driveTask(trx, ctx, task.task_id, { status: 'cancelled' }, peers.taskEnv);
          }
          break;
        }
        case 'user_task': {
          const token = step.tokens.find((candidate) => candidate.id === effect.tokenId)!;
          withWork.set(token.id, ANY_WORK);
          try {
            const assigneeId = await assigneeOf(trx, instance, effect.node, record, values());
            const dueMs = effect.node.dueIn ? durationMs(effect.node.dueIn) : null;
            const taskId = await underSavepoint(trx, () =>
              createTask(
              trx,
              ctx,
              {
                title: (effect.node.name ?? effect.node.id).slice(0, 300),
                ownerId: assigneeId,
                ...(record ? { subject: { type: record.type, id: record.id } } : {}),
                ...(dueMs !== null ? { dueAt: new Date(now.getTime() + dueMs).toISOString() } : {}),
              },
              peers.taskEnv,
              { formOnly: effect.node.formFields.some((field) => field.required) },
            ),
            );
            await insertUserTask(trx, { workspace_id: workspaceId, task_id: taskId, instance_id: instance.id, token_id: token.id, element_id: effect.node.id, assignee_id: assigneeId, status: 'open', form: JSON.stringify(effect.node.formFields), created_at: now });
            events.push({ kind: 'task_created', element_id: effect.node.id, data: { taskId, assigneeId } });
          } catch (error) {
            const message = (error as Error).message;
            token.state = 'failed';
            token.error = message;
            step.touched.add(token);
            step.outcome = 'failed';
            step.error = message;
            events.push({ kind: 'failed', element_id: effect.node.id, data: { error: message } });
          }
          break;
        }
      }
    }
    // A failed token anywhere keeps the instance failed, also when a step moved another branch.
    const failedToken = step.tokens.some((token) => token.state === 'failed');
    const state = failedToken || step.outcome === 'failed' ? 'failed' : step.outcome === 'completed' ? 'completed' : instance.state === 'suspended' ? 'suspended' : 'running';
    if (state === 'completed') events.push({ kind: 'completed', element_id: null, data: {} });
    await insertEvents(
      trx,
      events.map((event) => ({ workspace_id: workspaceId, id: newId(), instance_id: instance.id, at: now, kind: event.kind, element_id: event.element_id, user_id: actorId, data: JSON.stringify(event.data) })),
    );
    // Tokens go last but the instance: their counters' rows (0037) are shared by every instance of the version, and
    // stay locked until the commit.
    await upsertTokens(
      trx,
      [...step.touched].map((token) => ({
        workspace_id: workspaceId,
        id: token.id,
        instance_id: instance.id,
        element_id: token.elementId,
        parent_id: token.parentId,
        state: token.state === 'active' ? 'waiting' : token.state,
        via_flow: token.viaFlow,
        error: token.error,
        entered_at: token.enteredAt,
        left_at: token.leftAt,
      })),
    );
    const asInserted = options.created === true && state === 'running' && instance.state === 'running' && variables === instance.variables;
    const saved = asInserted ? instance : await saveInstance(trx, workspaceId, instance.id, { state, variables: JSON.stringify(variables), error: state === 'failed' ? (step.error ?? instance.error) : null, ended_at: state === 'completed' ? now : null }, actorId);
    const ended = saved.parent_token_id !== null && (state === 'completed' || step.uncaught !== null);
    if (thrown.length === 0 && called.length === 0 && !ended) return saved;
    // Called instances start and signals go out once the step is written: they may come back to this instance.
    for (const call of called) await calls.call(trx, saved, call.tokenId, call.node, values());
    for (const name of thrown) await signals.broadcast(trx, workspaceId, name, {}, actorId);
    if (ended) await calls.ended(trx, saved, step.uncaught);
    return (await findInstance(trx, workspaceId, instance.id)) ?? saved;
  }

  const signals = createProcessSignals(deps, { graphOf, runStep, startIn, engineCtx });
  const calls = createProcessCalls(deps, { graphOf, runStep, startIn, engineCtx });

  // ——— instances ———

  async function startIn(
    trx: Tx,
    ctx: Ctx,
    def: DefinitionRow,
    number: number,
    start: { elementId: string | null; record: { type: ProcessRecordType; id: string } | null; variables: Record<string, unknown>; ownerId: string; teamId: string | null; parent?: { instanceId: string; tokenId: string } },
  ): Promise<InstanceRow> {
    const version = await versionIdOf(trx, def, number);
    if (!version) throw new AppError('validation', { message: `The process has no version ${number}`, errors: [{ path: '/body/definitionVersion', message: 'no such version' }] });
    const graph = await graphOf(trx, def.workspace_id, version.id);
    const now = deps.clock.now();
    const instance = await insertInstance(trx, {
      workspace_id: def.workspace_id,
      id: newId(),
      definition_id: def.id,
      version_id: version.id,
      version_number: number,
      state: 'running',
      record_type: start.record?.type ?? null,
      record_id: start.record?.id ?? null,
      variables: JSON.stringify(start.variables),
      owner_id: start.ownerId,
      team_id: start.teamId,
      parent_instance_id: start.parent?.instanceId ?? null,
      parent_token_id: start.parent?.tokenId ?? null,
      started_at: now,
      created_by: ctx.actor.userId,
      updated_by: ctx.actor.userId,
    });
    await recordAudit(trx, ctx, { action: 'process_instance.start', objectType: 'process_instance', objectId: instance.id, meta: { definitionId: def.id, name: def.name, version: number, record: start.record, ...(start.parent ? { parentInstanceId: start.parent.instanceId } : {}) } });
    // A new instance has no tokens yet; "started" goes in with the first step's events.
    const started = { kind: 'started', element_id: start.elementId ?? graph.start, data: { version: number } };
    return runStep(trx, instance, ctx.actor.userId, (step) => step.start(start.elementId ?? graph.start!), instance.variables, { tokens: [], events: [started], created: true });
  }

  async function start(ctx: Ctx, definitionId: string, body: ProcessStart): Promise<ProcessInstance> {
    accessScope(ctx.actor, 'process', 'create');
    const def = await definitionOrFail(deps.db, ctx, definitionId);
    const number = body.definitionVersion ?? def.latest_version;
    if (!number) throw new AppError('conflict', { message: 'The process is not deployed yet' });
    // The starter must see the record the process works on, of the type the process works with.
    if (body.record) {
      const object = await manualObject(def, number);
      if (object && object !== body.record.type) throw new AppError('validation', { message: `The process works with a ${object}`, errors: [{ path: '/body/record/type', message: `must be ${object}` }] });
      await loadRecord(deps.db, ctx, body.record.type, body.record.id, 'read');
    }
    const row = await deps.db.transaction().execute((trx) => startIn(trx, ctx, def, number, { elementId: null, record: body.record ?? null, variables: body.variables ?? {}, ownerId: ctx.actor.userId, teamId: ctx.actor.teamId }));
    return presentOne(deps.db, ctx, row, def.name);
  }

  type CrmEvent = { event: 'record_created' | 'stage_changed' | 'field_changed'; object: ProcessRecordType; recordId: string; stageId?: string; changes?: Record<string, { from: unknown; to: unknown }> };

  /** A CRM event (from the outbox, in the dispatcher's transaction) starts each deployed process whose trigger and condition match. */
  async function crmEvent(trx: Tx, workspaceId: string, event: CrmEvent): Promise<number> {
    return startOnEvent(trx, workspaceId, await triggeredDefinitions(trx, workspaceId), event);
  }

  /** Records created together (an import's batch): the definitions are read once for all of them. */
  async function recordsCreated(trx: Tx, workspaceId: string, object: ProcessRecordType, recordIds: string[]): Promise<number> {
    const definitions = (await triggeredDefinitions(trx, workspaceId)).filter((def) => def.start_triggers.some((trigger) => trigger.event === 'record_created' && trigger.object === object));
    let started = 0;
    if (definitions.length > 0) for (const recordId of recordIds) started += await startOnEvent(trx, workspaceId, definitions, { event: 'record_created', object, recordId });
    return started;
  }

  async function startOnEvent(trx: Tx, workspaceId: string, definitions: DefinitionRow[], event: CrmEvent): Promise<number> {
    let started = 0;
    const fields = event.changes ? changedFields(event.changes) : new Map<string, { from: unknown; to: unknown }>();
    for (const def of definitions) {
      for (const trigger of def.start_triggers) {
        if (trigger.event !== event.event || trigger.object !== event.object || (trigger.stageId && trigger.stageId !== event.stageId)) continue;
        const change = trigger.event === 'field_changed' ? fields.get(trigger.field ?? '') : undefined;
        if (trigger.event === 'field_changed' && !change) continue;
        const record = await recordOf(trx, workspaceId, event.object, event.recordId).catch((error: unknown) => {
          if (error instanceof AppError && error.code === 'not_found') return undefined;
          throw error;
        });
        if (!record) continue;
        // A changed field's condition also reads oldValue and newValue.
        const changed = change ? oldAndNew(change, valueAt(record.values, trigger.field!)) : {};
        if (trigger.condition && !feelHolds(trigger.condition, { [event.object]: record.values, ...changed })) continue;
        const ownerCtx = engineCtx(workspaceId, record.ownerId, `process-trigger:${def.id}`);
        await startIn(trx, ownerCtx, def, def.latest_version!, { elementId: trigger.elementId, record: { type: event.object, id: record.id }, variables: changed, ownerId: record.ownerId, teamId: record.teamId });
        started += 1;
      }
    }
    return started;
  }

  async function instanceOrFail(ex: Executor, ctx: Ctx, id: string, action: 'read' | 'update', options: { forUpdate?: boolean } = {}): Promise<InstanceRow> {
    accessScope(ctx.actor, 'process', action);
    return instanceAllows(ctx, await findInstance(ex, ctx.actor.workspaceId, id, options), action);
  }

  /** The instance if the actor's role may read it and do `action` on it (not_found when unreadable, forbidden otherwise). */
  function instanceAllows(ctx: Ctx, row: InstanceRow | undefined, action: 'read' | 'update'): InstanceRow {
    const scope = accessScope(ctx.actor, 'process', action);
    const readable = row && instanceInScope(accessScope(ctx.actor, 'process', 'read'), row);
    if (!row || !readable) throw new AppError('not_found', { message: 'No such process instance' });
    if (!instanceInScope(scope, row)) throw new AppError('forbidden', { message: 'Your role does not allow changing this process instance' });
    return row;
  }

  async function list(ctx: Ctx, q: ProcessInstanceQuery): Promise<ProcessInstanceList> {
    const scope = accessScope(ctx.actor, 'process', 'read');
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, ['timestamp', 'uuid']) as [string, string] | undefined;
    const rows = await listInstances(
      deps.db,
      ctx.actor.workspaceId,
      scope,
      {
        definitionId: q.definitionId,
        versionNumber: q.definitionVersion,
        state: q.state,
        recordType: q.recordType,
        recordId: q.recordId,
        startedFrom: q.startedFrom ? new Date(q.startedFrom) : undefined,
        startedTo: q.startedTo ? new Date(q.startedTo) : undefined,
      },
      after,
      limit,
    );
    const page = toPage(rows, limit, (row) => [row.started_at.toISOString(), row.id]);
    return { items: await present(deps.db, ctx, page.items.map((row) => ({ row, definitionName: row.definition_name }))), nextCursor: page.nextCursor };
  }

  async function card(ctx: Ctx, id: string): Promise<ProcessInstanceCard> {
    const row = await instanceOrFail(deps.db, ctx, id, 'read');
    const { workspaceId } = ctx.actor;
    const def = await findDefinition(deps.db, workspaceId, row.definition_id);
    const graph = await graphOf(deps.db, workspaceId, row.version_id);
    const tokens = await allTokens(deps.db, workspaceId, id);
    const tasks = await userTasksOf(deps.db, workspaceId, id);
    const history = await eventsOf(deps.db, workspaceId, id);
    const names = await userNames(deps.db, workspaceId, [...history.flatMap((event) => (event.user_id ? [event.user_id] : [])), ...(row.created_by ? [row.created_by] : [])]);
    const startedBy = row.created_by;
    const children = await childInstances(deps.db, workspaceId, id);
    return {
      ...(await presentOne(deps.db, ctx, row, def?.name ?? '')),
      startedBy,
      startedByName: startedBy ? (names.get(startedBy) ?? null) : null,
      variables: row.variables,
      tokens: tokens.map((token) => ({
        id: token.id,
        elementId: token.element_id,
        elementName: graph.nodes.get(token.element_id)?.name ?? null,
        parentId: token.parent_id,
        state: token.state === 'active' ? 'waiting' : token.state,
        error: token.error,
        enteredAt: token.entered_at.toISOString(),
        leftAt: token.left_at?.toISOString() ?? null,
      })),
      tasks: tasks.map((task) => ({
        taskId: task.task_id,
        elementId: task.element_id,
        title: task.title ?? graph.nodes.get(task.element_id)?.name ?? task.element_id,
        assigneeId: task.assignee_id,
        assigneeName: task.assignee_name,
        status: task.status,
        form: graph.nodes.get(task.element_id)?.formFields ?? [],
        createdAt: task.created_at.toISOString(),
        completedAt: task.completed_at?.toISOString() ?? null,
      })),
      history: history.map((event) => ({ id: event.id, at: event.at.toISOString(), kind: event.kind, elementId: event.element_id, userId: event.user_id, userName: event.user_id ? (names.get(event.user_id) ?? null) : null, data: event.data })),
      children: children.map((child) => ({ id: child.id, elementId: tokens.find((token) => token.id === child.parent_token_id)?.element_id ?? null, definitionName: child.definition_name, state: child.state })),
    };
  }

  /** The record type a version's none start event links when started by hand (`rapport:object`), if it names one. */
  async function manualObject(def: DefinitionRow, number: number): Promise<ProcessRecordType | null> {
    const version = await versionIdOf(deps.db, def, number);
    const graph = version ? await graphOf(deps.db, def.workspace_id, version.id) : null;
    const start = graph?.start ? graph.nodes.get(graph.start) : undefined;
    return start?.event === 'none' ? start.object : null;
  }

  /** Deployed processes whose none start event names the record type: the ones a card offers to start by hand. */
  async function startable(ctx: Ctx, recordType: ProcessRecordType): Promise<{ items: ProcessStartable[] }> {
    accessScope(ctx.actor, 'process', 'create');
    const items: ProcessStartable[] = [];
    for (const def of await listDefinitions(deps.db, ctx.actor.workspaceId)) {
      if (def.latest_version && (await manualObject(def, def.latest_version)) === recordType) items.push({ id: def.id, name: def.name, description: def.description, latestVersion: def.latest_version });
    }
    return { items };
  }

  async function comments(ctx: Ctx, id: string): Promise<{ items: ProcessComment[] }> {
    await instanceOrFail(deps.db, ctx, id, 'read');
    return { items: (await listComments(deps.db, ctx.actor.workspaceId, id)).map((row) => toComment(row, row.author_name)) };
  }

  /** Whoever may see the instance may comment on it or ask a question there. */
  async function addComment(ctx: Ctx, id: string, body: ProcessCommentCreate): Promise<ProcessComment> {
    return deps.db.transaction().execute(async (trx) => {
      await instanceOrFail(trx, ctx, id, 'read');
      const row = await insertComment(trx, { workspace_id: ctx.actor.workspaceId, id: newId(), instance_id: id, kind: body.kind ?? 'comment', body: body.body.trim(), created_by: ctx.actor.userId });
      await recordAudit(trx, ctx, { action: 'process_instance.comment', objectType: 'process_instance', objectId: id, meta: { commentId: row.id, kind: row.kind } });
      return toComment(row, ctx.actor.name);
    });
  }

  /**
   * The process step a task of the task list is, for its card: null when it is no process's task or the reader may see
   * neither the instance nor the task as its assignee.
   */
  async function taskStep(ctx: Ctx, taskId: string): Promise<ProcessTaskOf> {
    const task = await findUserTask(deps.db, ctx.actor.workspaceId, taskId);
    if (!task) return { step: null };
    const row = await findInstance(deps.db, ctx.actor.workspaceId, task.instance_id);
    const readable = row && (task.assignee_id === ctx.actor.userId || (can(ctx.actor, 'process', 'read') && instanceInScope(accessScope(ctx.actor, 'process', 'read'), row)));
    if (!row || !readable) return { step: null };
    const def = await findDefinition(deps.db, ctx.actor.workspaceId, row.definition_id);
    return {
      step: { instanceId: row.id, definitionName: def?.name ?? '', definitionVersion: row.version_number, instanceState: row.state, elementId: task.element_id, status: task.status, form: task.form as ProcessTaskContext['form'] },
    };
  }

  async function marks(ctx: Ctx, id: string): Promise<{ items: ElementMark[] }> {
    await instanceOrFail(deps.db, ctx, id, 'read');
    return { items: toMarks(await elementMarks(deps.db, ctx.actor.workspaceId, { instanceId: id })) };
  }

  /** An administrative action on a locked instance, audited; `run` returns the instance after it. */
  async function act(ctx: Ctx, id: string, action: string, run: (trx: Tx, row: InstanceRow) => Promise<InstanceRow>, meta: Record<string, unknown> = {}): Promise<ProcessInstance> {
    return deps.db.transaction().execute(async (trx) => {
      const row = await instanceOrFail(trx, ctx, id, 'update', { forUpdate: true });
      const after = await run(trx, row);
      await recordAudit(trx, ctx, { action: `process_instance.${action}`, objectType: 'process_instance', objectId: id, changes: row.state !== after.state ? { state: { from: row.state, to: after.state } } : {}, meta });
      const def = await findDefinition(trx, ctx.actor.workspaceId, row.definition_id);
      return presentOne(trx, ctx, after, def?.name ?? '');
    });
  }

  function expectState(row: InstanceRow, states: InstanceRow['state'][], doing: string): void {
    if (!states.includes(row.state)) throw new AppError('conflict', { message: `A ${row.state} instance cannot be ${doing}` });
  }

  async function event(trx: Tx, row: InstanceRow, ctx: Ctx, kind: string, data: Record<string, unknown> = {}, elementId: string | null = null): Promise<void> {
    await insertEvents(trx, [{ workspace_id: row.workspace_id, id: newId(), instance_id: row.id, at: deps.clock.now(), kind, element_id: elementId, user_id: ctx.actor.userId, data: JSON.stringify(data) }]);
  }

  const suspend = (ctx: Ctx, id: string) =>
    act(ctx, id, 'suspend', async (trx, row) => {
      expectState(row, ['running'], 'suspended');
      await event(trx, row, ctx, 'suspended');
      return saveInstance(trx, row.workspace_id, id, { state: 'suspended' }, ctx.actor.userId);
    });

  const resume = (ctx: Ctx, id: string) =>
    act(ctx, id, 'resume', async (trx, row) => {
      expectState(row, ['suspended'], 'resumed');
      await event(trx, row, ctx, 'resumed');
      let after = await saveInstance(trx, row.workspace_id, id, { state: 'running' }, ctx.actor.userId);
      for (const task of (await userTasksOf(trx, row.workspace_id, id)).filter((candidate) => candidate.status === 'open')) after = await takeClosedTask(trx, after, task);
      // Timers that came due while it was suspended fire now.
      peers.taskEnv.signal.wake(deps.clock.now());
      return after;
    });

  const cancel = (ctx: Ctx, id: string) =>
    act(ctx, id, 'cancel', async (trx, row) => {
      expectState(row, ['running', 'suspended', 'failed'], 'cancelled');
      await event(trx, row, ctx, 'cancelled');
      await runStep(trx, row, ctx.actor.userId, (step) => step.cancelAll());
      const cancelled = await saveInstance(trx, row.workspace_id, id, { state: 'cancelled', error: null, ended_at: deps.clock.now() }, ctx.actor.userId);
      if (row.parent_token_id) await calls.childCancelled(trx, cancelled);
      return cancelled;
    });

  const retry = (ctx: Ctx, id: string) =>
    act(ctx, id, 'retry', async (trx, row) => {
      expectState(row, ['failed'], 'retried');
      await event(trx, row, ctx, 'retried', { error: row.error });
      return runStep(trx, { ...row, state: 'running' }, ctx.actor.userId, (step) => step.retry());
    });

  async function setVariables(ctx: Ctx, id: string, patch: Record<string, unknown>, version: number | undefined): Promise<ProcessInstance> {
    const expected = requireVersion(version);
    return act(ctx, id, 'variables', async (trx, row) => {
      if (row.version !== expected) throw new AppError('version_conflict', { message: 'The instance changed meanwhile; reload it', currentVersion: row.version });
      const variables = { ...row.variables };
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const [key, value] of Object.entries(patch)) {
        changes[key] = { from: variables[key] ?? null, to: value };
        if (value === null) delete variables[key];
        else variables[key] = value;
      }
      await event(trx, row, ctx, 'variables_changed', { changes });
      return saveInstance(trx, row.workspace_id, id, { variables: JSON.stringify(variables) }, ctx.actor.userId);
    });
  }

  async function message(ctx: Ctx, id: string, body: { name: string; variables?: Record<string, unknown> | undefined }): Promise<ProcessInstance> {
    return act(
      ctx,
      id,
      'message',
      async (trx, row) => {
        expectState(row, ['running'], 'sent a message');
        let correlated = false;
        const after = await runStep(trx, row, ctx.actor.userId, (step) => (correlated = step.message(body.name)), { ...row.variables, ...body.variables });
        if (!correlated) throw new AppError('conflict', { message: `Nothing in the instance waits for the message "${body.name}"` });
        return after;
      },
      { name: body.name },
    );
  }

  /** Checks a user task's form values: required ones present, each of its field's type. */
  function formValues(form: { key: string; type: string; required: boolean }[], data: Record<string, unknown>): Record<string, unknown> {
    const errors = [];
    const values: Record<string, unknown> = {};
    for (const field of form) {
      const value = data[field.key];
      if (value === undefined || value === null || value === '') {
        if (field.required) errors.push({ path: `/body/data/${field.key}`, message: 'required' });
        continue;
      }
      const ok =
        field.type === 'number' ? typeof value === 'number' : field.type === 'boolean' ? typeof value === 'boolean' : field.type === 'date' ? typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) : field.type === 'datetime' ? typeof value === 'string' && !Number.isNaN(Date.parse(value)) : typeof value === 'string';
      if (!ok) errors.push({ path: `/body/data/${field.key}`, message: `not a ${field.type}` });
      values[field.key] = value;
    }
    if (errors.length > 0) throw new AppError('validation', { message: 'The form is not filled in correctly', errors });
    return values;
  }

  /**
   * Completes an open user task with its form: the task is done in the task list and the token moves on. Its assignee
   * may do it; others need the right to change the instance.
   */
  async function completeTask(ctx: Ctx, id: string, taskId: string, data: Record<string, unknown>): Promise<ProcessInstance> {
    return deps.db.transaction().execute(async (trx) => {
      // Locked first: the task's status and the tokens are read after a concurrent step on the instance committed;
      // the task's link is closed by that read, and rolled back when a check below refuses the completion.
      const row = await findInstance(trx, ctx.actor.workspaceId, id, { forUpdate: true });
      const { task, tokens, definitionName } = row ? await closeUserTaskForStep(trx, ctx.actor.workspaceId, row, taskId, deps.clock.now()) : { task: undefined, tokens: [], definitionName: null };
      if (task?.assignee_id !== ctx.actor.userId) instanceAllows(ctx, row, 'update');
      if (!row || !task || task.instance_id !== id) throw new AppError('not_found', { message: 'No such task in this instance' });
      if (task.status !== 'open') throw new AppError('conflict', { message: 'The task is already closed' });
      expectState(row, ['running', 'failed'], 'worked on');
      const values = formValues(task.form as { key: string; type: string; required: boolean }[], data);
      const audited = { origin: ctx, entry: { action: 'process_instance.task_complete', objectType: 'process_instance', objectId: id, meta: { taskId, values } } };
      await driveTask(trx, engineCtx(row.workspace_id, ctx.actor.userId, ctx.meta.requestId ?? ''), taskId, { status: 'done' }, peers.taskEnv, [audited]);
      const completed = { kind: 'task_completed', element_id: task.element_id, data: { taskId, values } };
      const after = await runStep(trx, row, ctx.actor.userId, (step) => step.complete(task.token_id), { ...row.variables, ...values }, { tokens, events: [completed], settled: task.token_id });
      return presentOne(trx, ctx, after, definitionName ?? '');
    });
  }

  async function reassignTask(ctx: Ctx, id: string, taskId: string, assigneeId: string): Promise<ProcessInstance> {
    return act(
      ctx,
      id,
      'task_reassign',
      async (trx, row) => {
        const task = await findUserTask(trx, row.workspace_id, taskId);
        if (!task || task.instance_id !== id) throw new AppError('not_found', { message: 'No such task in this instance' });
        if (task.status !== 'open') throw new AppError('conflict', { message: 'The task is already closed' });
        const user = await findUserById(trx, row.workspace_id, assigneeId);
        if (!user || user.status !== 'active' || user.deleted_at) throw new AppError('validation', { message: 'No such active user', errors: [{ path: '/body/assigneeId', message: 'no such active user' }] });
        await driveTask(trx, engineCtx(row.workspace_id, ctx.actor.userId, ctx.meta.requestId ?? ''), taskId, { ownerId: assigneeId }, peers.taskEnv);
        await setUserTask(trx, row.workspace_id, taskId, { assignee_id: assigneeId });
        await event(trx, row, ctx, 'task_reassigned', { taskId, from: task.assignee_id, to: assigneeId }, task.element_id);
        return saveInstance(trx, row.workspace_id, id, {}, ctx.actor.userId);
      },
      { taskId, assigneeId },
    );
  }

  /**
   * Moves a live instance to another version: each waiting (or failed) token goes to the element of the same id, or
   * the one `mapping` names, which must be of the same kind and in the matching sub-process. Pending timers follow
   * their event when it still exists (on the mapped activity), else they are dropped; boundary timers the new version
   * adds to a waiting activity are not armed. Administrators only; previewed, audited and logged.
   */
  async function migrate(ctx: Ctx, id: string, body: ProcessMigration): Promise<ProcessMigrationPlan> {
    accessScope(ctx.actor, 'settings', 'update');
    return deps.db.transaction().execute(async (trx) => {
      const row = await instanceOrFail(trx, ctx, id, 'update', { forUpdate: true });
      expectState(row, ['running', 'suspended', 'failed'], 'migrated');
      const target = await findVersion(trx, row.workspace_id, row.definition_id, body.targetVersion);
      if (!target) throw new AppError('validation', { message: `The process has no version ${body.targetVersion}`, errors: [{ path: '/body/targetVersion', message: 'no such version' }] });
      const from = await graphOf(trx, row.workspace_id, row.version_id);
      const to = await graphOf(trx, row.workspace_id, target.id);
      const mapped = (elementId: string) => body.mapping?.[elementId] ?? (to.nodes.has(elementId) ? elementId : null);
      const tokens = await liveTokens(trx, row.workspace_id, id);
      const destination = new Map(tokens.map((token) => [token.id, mapped(token.element_id)]));
      const problems: ProcessProblem[] = [];
      for (const token of tokens) {
        const source = from.nodes.get(token.element_id)!;
        const where = destination.get(token.id);
        const node = where ? to.nodes.get(where) : undefined;
        const problem = (code: string, message: string) => problems.push({ elementId: source.id, elementName: source.name, elementType: source.type, code, message });
        if (!node) problem('unmapped', `Version ${body.targetVersion} has no element for ${source.name ?? source.id}: map it`);
        else if (node.kind !== source.kind || node.event !== source.event) problem('kind_mismatch', `${node.id} is a ${node.type.slice(5)}, not a ${source.type.slice(5)}`);
        else if (node.scope !== (token.parent_id ? (destination.get(token.parent_id) ?? null) : null)) problem('scope_mismatch', `${node.id} is not inside the sub-process its token's parent goes to`);
      }
      const plan = (migrated: boolean): ProcessMigrationPlan => ({ fromVersion: row.version_number, targetVersion: body.targetVersion, tokens: tokens.map((token) => ({ tokenId: token.id, from: token.element_id, to: destination.get(token.id) ?? null })), problems, migrated });
      if (body.preview || problems.length > 0) return plan(false);
      const moves = tokens.map((token) => ({ tokenId: token.id, from: token.element_id, to: destination.get(token.id)! }));
      const timerMoves = new Map<string, string | null>();
      for (const node of from.nodes.values()) {
        const next = mapped(node.id);
        const kept = next ? to.nodes.get(next) : undefined;
        const host = kept?.attachedTo ? kept.attachedTo : null;
        // A boundary follows only onto an activity of the new version that a token moves to.
        timerMoves.set(node.id, kept && (!host || moves.some((move) => move.to === host)) ? kept.id : null);
      }
      await moveTokens(trx, row.workspace_id, moves, timerMoves);
      await setInstanceVersion(trx, row.workspace_id, id, target.id, target.number, ctx.actor.userId);
      await event(trx, row, ctx, 'migrated', { from: row.version_number, to: target.number, tokens: moves });
      await recordAudit(trx, ctx, { action: 'process_instance.migrate', objectType: 'process_instance', objectId: id, changes: { version: { from: row.version_number, to: target.number } }, meta: { tokens: moves } });
      return plan(true);
    });
  }

  /**
   * A task changed (outbox, in the dispatcher's transaction): a process's user task done in the task list moves its
   * token on; one cancelled or deleted there fails the step, for an administrator to retry (a new task) or cancel.
   */
  async function taskChanged(trx: Tx, workspaceId: string, taskId: string): Promise<void> {
    const task = await findUserTask(trx, workspaceId, taskId);
    if (!task || task.status !== 'open') return;
    const row = await findInstance(trx, workspaceId, task.instance_id, { forUpdate: true });
    // A suspended instance takes its closed tasks when it is resumed.
    if (row && (row.state === 'running' || row.state === 'failed')) await takeClosedTask(trx, row, task);
  }

  /** Moves (done) or fails (cancelled, deleted) the token of a user task closed in the task list; the instance is locked. */
  async function takeClosedTask(trx: Tx, row: InstanceRow, task: UserTaskRow): Promise<InstanceRow> {
    const status = await taskStatusOf(trx, row.workspace_id, task.task_id);
    if (status === 'open' || status === 'in_progress') return row;
    const now = deps.clock.now();
    await setUserTask(trx, row.workspace_id, task.task_id, { status: status === 'done' ? 'done' : 'cancelled', completed_at: now });
    if (status !== 'done') return runStep(trx, row, null, (step) => step.fail(task.token_id, 'The task was cancelled or deleted in the task list'));
    await insertEvents(trx, [{ workspace_id: row.workspace_id, id: newId(), instance_id: row.id, at: now, kind: 'task_completed', element_id: task.element_id, user_id: null, data: JSON.stringify({ taskId: task.task_id }) }]);
    return runStep(trx, row, null, (step) => step.complete(task.token_id), row.variables, { settled: task.token_id });
  }

  // ——— due work: timers and service tasks ———

  /** The run of a service task's action: on the linked deal, as the instance's owner, its config's FEEL evaluated. */
  async function actionRun(ex: Executor, row: InstanceRow, node: FlowNode): Promise<{ run: ActionRun; config: unknown }> {
    if (row.record_type !== 'deal' || !row.record_id) throw new Error(`The action ${node.action} works on a deal, and this process is not linked to one`);
    const ctx = engineCtx(row.workspace_id, row.owner_id, `process:${row.id}`);
    const [deal] = await toDeals(ex, row.workspace_id, [await loadRecord(ex, ctx, 'deal', row.record_id, 'read')], deps.clock.now());
    const { locale, timezone } = await getWorkspace(ex, row.workspace_id);
    const def = await findDefinition(ex, row.workspace_id, row.definition_id);
    const config = evaluateConfig(node.config, { ...row.variables, deal: { id: deal!.id, ...dealValues(deal!) } });
    // An expression's value must still fit the action's settings.
    const errors = config === node.config ? [] : await peers.actions.check(ex, ctx, { type: node.action!, config }, { stageId: '' }, '');
    if (errors.length > 0) throw new Error(errors.map((error) => `${error.path.replace(/^\/config\//, '')}: ${error.message}`).join('; '));
    return { run: { ctx, deal: deal!, ruleId: row.definition_id, ruleName: def?.name ?? 'Process', actionIndex: 0, writing: { locale, timeZone: timezone } }, config };
  }

  /** The action ran: its timer is done and the token moves on. */
  async function actionDone(trx: Tx, timer: TimerRow, row: InstanceRow, node: FlowNode, result: Record<string, unknown>): Promise<void> {
    const now = deps.clock.now();
    await markTimer(trx, row.workspace_id, timer.id, { fired_at: now, attempts: timer.attempts + 1 });
    await insertEvents(trx, [{ workspace_id: row.workspace_id, id: newId(), instance_id: row.id, at: now, kind: 'action_done', element_id: node.id, user_id: null, data: JSON.stringify({ action: node.action, result }) }]);
    await runStep(trx, row, null, (step) => step.complete(timer.token_id));
  }

  /** The action failed: retried later with a growing pause, and after SERVICE_ATTEMPTS the token fails (retry from the card). */
  async function actionFailed(trx: Tx, timer: TimerRow, row: InstanceRow, node: FlowNode, error: unknown): Promise<void> {
    const now = deps.clock.now();
    const attempt = timer.attempts + 1;
    const message = (error as Error).message || String(error);
    const final = attempt >= SERVICE_ATTEMPTS;
    deps.logger.warn({ err: error, instanceId: row.id, element: node.id, attempt, final }, 'a process action failed');
    await insertEvents(trx, [{ workspace_id: row.workspace_id, id: newId(), instance_id: row.id, at: now, kind: 'action_failed', element_id: node.id, user_id: null, data: JSON.stringify({ action: node.action, attempt, error: message }) }]);
    if (final) {
      await markTimer(trx, row.workspace_id, timer.id, { fired_at: now, attempts: attempt, data: JSON.stringify({ error: message }) });
      await runStep(trx, row, null, (step) => step.fail(timer.token_id, `${node.action}: ${message}`));
    } else {
      await markTimer(trx, row.workspace_id, timer.id, { due_at: new Date(now.getTime() + RETRY_BASE_MS * 2 ** (attempt - 1)), attempts: attempt, data: JSON.stringify({ error: message }) });
    }
  }

  /** Service runs claimed by `fireDue` whose action runs outside a transaction, for `afterCommit`. */
  const outside: { workspaceId: string; timerId: string; leasedUntil: number }[] = [];

  async function runService(trx: Tx, timer: TimerRow, row: InstanceRow): Promise<void> {
    const graph = await graphOf(trx, row.workspace_id, row.version_id);
    const node = graph.nodes.get(timer.element_id)!;
    if (!peers.actions.inTransaction(node.action!)) {
      // Leased: no other worker claims it while it runs; after a crash it is claimed again when the lease ends.
      const leasedUntil = deps.clock.now().getTime() + OUTSIDE_LEASE_MS;
      await markTimer(trx, row.workspace_id, timer.id, { due_at: new Date(leasedUntil) });
      outside.push({ workspaceId: row.workspace_id, timerId: timer.id, leasedUntil });
      return;
    }
    try {
      const { run, config } = await actionRun(trx, row, node);
      const result = await underSavepoint(trx, () => peers.actions.run(trx, node.action!, run, config));
      await actionDone(trx, timer, row, node, result);
    } catch (error) {
      await actionFailed(trx, timer, row, node, error);
    }
  }

  /**
   * An action that writes through another module's service (set_field, move_to_stage, generate_document) or calls out
   * (call_webhook) runs outside the engine's transaction, as a robot's does; its outcome is then written in one that
   * locks the instance, unless the token moved on meanwhile (a boundary event took it, the instance was cancelled).
   */
  async function runOutside(workspaceId: string, timerId: string, leasedUntil: number): Promise<void> {
    const claimed = await findTimer(deps.db, workspaceId, timerId);
    // Only the lease this process committed: a claim whose transaction rolled back left the run to the next pass.
    if (!claimed || claimed.fired_at || claimed.due_at.getTime() !== leasedUntil) return;
    const before = await findInstance(deps.db, workspaceId, claimed.instance_id);
    if (!before || before.state !== 'running') return;
    const node = (await graphOf(deps.db, workspaceId, before.version_id)).nodes.get(claimed.element_id)!;
    let outcome: { result: Record<string, unknown> } | { error: unknown };
    try {
      const { run, config } = await actionRun(deps.db, before, node);
      outcome = { result: await peers.actions.run(deps.db, node.action!, run, config) };
    } catch (error) {
      outcome = { error };
    }
    await deps.db.transaction().execute(async (trx) => {
      const row = await findInstance(trx, workspaceId, claimed.instance_id, { forUpdate: true });
      const timer = await findTimer(trx, workspaceId, timerId, { forUpdate: true });
      if (!row || row.state !== 'running' || !timer || timer.fired_at) return;
      if ('result' in outcome) await actionDone(trx, timer, row, node, outcome.result);
      else await actionFailed(trx, timer, row, node, outcome.error);
    });
  }

  const dueKind: DueKind = {
    name: 'process',
    async fireDue(trx, now, limit) {
      const due = await claimDueTimers(trx, now, limit);
      for (const timer of due) {
        const row = await findInstance(trx, timer.workspace_id, timer.instance_id, { forUpdate: true });
        if (!row || row.state !== 'running') {
          await markTimer(trx, timer.workspace_id, timer.id, { fired_at: now });
          continue;
        }
        if (timer.kind === 'service') await runService(trx, timer, row);
        else {
          await markTimer(trx, timer.workspace_id, timer.id, { fired_at: now });
          const repeat = typeof timer.data.repeat === 'number' ? timer.data.repeat : null;
          await runStep(trx, row, null, (step) => step.timer(timer.token_id, timer.element_id, repeat));
        }
      }
      return due.length;
    },
    async discardFirst(trx, now) {
      const [first] = await claimDueTimers(trx, now, 1);
      if (!first) return undefined;
      await markTimer(trx, first.workspace_id, first.id, { fired_at: now });
      return first.id;
    },
    nextAt: (ex) => nextTimerAt(ex),
    async afterCommit() {
      for (let next = outside.shift(); next; next = outside.shift()) await runOutside(next.workspaceId, next.timerId, next.leasedUntil);
    },
  };

  /**
   * Timer start events: each due row starts an instance of its version (owned by whoever deployed it) and, for a cycle,
   * writes the next row — the next time still ahead, so a downtime fires once, not once per missed period.
   */
  const startDueKind: DueKind = {
    name: 'process-start',
    async fireDue(trx, now, limit) {
      const due = await claimDueStartTimers(trx, now, limit);
      for (const timer of due) {
        await markStartTimer(trx, timer.workspace_id, timer.id, now);
        const def = await findDefinition(trx, timer.workspace_id, timer.definition_id);
        if (!def || def.latest_version !== timer.version_number) continue;
        const ownerId = def.updated_by ?? def.created_by ?? '';
        const ctx = engineCtx(timer.workspace_id, ownerId, `process-timer:${timer.id}`);
        const owner = await findUserById(trx, timer.workspace_id, ownerId);
        await startIn(trx, ctx, def, timer.version_number, { elementId: timer.element_id, record: null, variables: {}, ownerId, teamId: owner?.team_id ?? null });
        if (timer.interval_ms !== null && timer.repeat !== 0) {
          let next = new Date(timer.due_at).getTime() + Number(timer.interval_ms);
          while (next <= now.getTime()) next += Number(timer.interval_ms);
          await insertStartTimers(trx, [{ ...timer, id: newId(), due_at: new Date(next), fired_at: null, repeat: timer.repeat === null ? null : timer.repeat - 1, created_at: now }]);
        }
      }
      return due.length;
    },
    async discardFirst(trx, now) {
      const [first] = await claimDueStartTimers(trx, now, 1);
      if (!first) return undefined;
      await markStartTimer(trx, first.workspace_id, first.id, now);
      return first.id;
    },
    nextAt: (ex) => nextStartTimerAt(ex),
  };

  return {
    list: listDefs,
    get: getDef,
    create: createDef,
    update: updateDef,
    remove: removeDef,
    validate,
    deploy,
    versions,
    version,
    versionMarks,
    start,
    crmEvent,
    recordsCreated,
    instances: list,
    card,
    marks,
    startable,
    comments,
    addComment,
    taskStep,
    suspend,
    resume,
    cancel,
    retry,
    setVariables,
    message,
    throwSignal: signals.throwSignal,
    completeTask,
    reassignTask,
    migrate,
    taskChanged,
    dueKind,
    startDueKind,
  };
}

export type ProcessService = ReturnType<typeof createProcessService>;
