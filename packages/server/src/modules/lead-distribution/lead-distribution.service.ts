import {
  fullMatrix,
  type FieldError,
  type LeadDistributionRule,
  type Lead,
  type LeadDistributionRuleBody,
  type Locale,
} from '@rapport/shared';
import { accessScope } from '../../core/access-scope.js';
import { AppError, requireVersion } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import { diffFields } from '../../core/diff.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor, Tx } from '../../infra/db.js';
import type { DueKind } from '../../infra/due-timers.js';
import { newId } from '../../infra/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { customFieldsOf, recordChanged, userNames } from '../client-record/client-record.service.js';
import { notify } from '../notification/notification.service.js';
import { productsByIds } from '../product/product.service.js';
import { teamExists } from '../team/team.service.js';
import { announceTask, type TaskEnv } from '../task/task-write.js';
import { workspaceTimezone } from '../task/task.repository.js';
import { addNote, workspaceLocale } from '../timeline/timeline.service.js';
import { activeUser, findWebForm, teamMembersWithLoad } from '../web-form/web-form.repository.js';
import { clockOf, minutesOf, nextOpening, pickInTurn, type Hours } from './lead-distribution-rules.js';
import {
  claimDueAssignments,
  findRule,
  insertAssignment,
  insertRule,
  listRules,
  lockRules,
  moveTask,
  nextReassignAt,
  setLeadOwner,
  setPosition,
  setRuleLastAssignee,
  updateAssignment,
  updateRule,
  type RuleRow,
} from './lead-distribution.repository.js';

type RuleInput = Omit<LeadDistributionRuleBody, 'version'>;
type RuleState = Required<Omit<RuleInput, 'enabled'>> & { enabled: boolean };

const AUDITED = ['name', 'enabled', 'conditions', 'assignment', 'workingHours', 'reassign'] as const;
/** Custom field kinds that can hold a region or a city. */
const REGION_KINDS = new Set(['text', 'select']);
const NO_CONDITIONS: LeadDistributionRule['conditions'] = { sources: [], formIds: [], productIds: [], region: null };
/** How long the owner has to call back, from the lead's arrival or (after hours) from the opening. */
export const CALL_BACK_MINUTES = 15;
const MINUTE_MS = 60_000;

export function toRule(row: RuleRow): LeadDistributionRule {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    enabled: row.enabled,
    conditions: {
      sources: row.sources as Lead['source'][],
      formIds: row.form_ids,
      productIds: row.product_ids,
      region: row.region_field ? { fieldKey: row.region_field, values: row.region_values } : null,
    },
    assignment: { mode: row.assign_mode, userId: row.assign_user_id, teamId: row.assign_team_id },
    workingHours: row.work_days && row.work_from !== null && row.work_to !== null ? { days: row.work_days, from: clockOf(row.work_from), to: clockOf(row.work_to) } : null,
    reassign: row.reassign_minutes ? { afterMinutes: row.reassign_minutes, maxTimes: row.reassign_max } : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

/** Who gets the leads (a rule's or a web form's assignment) must exist: an active person, or a team. */
export async function assignmentErrors(ex: Executor, workspaceId: string, assignment: RuleState['assignment']): Promise<FieldError[]> {
  if (assignment.mode === 'user') {
    if (!assignment.userId) return [{ path: '/body/assignment/userId', message: 'choose the person who gets the leads' }];
    return (await activeUser(ex, workspaceId, assignment.userId)) ? [] : [{ path: '/body/assignment/userId', message: 'no such active user' }];
  }
  if (!assignment.teamId) return [{ path: '/body/assignment/teamId', message: 'choose the team whose members get the leads' }];
  return (await teamExists(ex, workspaceId, assignment.teamId)) ? [] : [{ path: '/body/assignment/teamId', message: 'no such team' }];
}

/** A rule must be able to work: people and team that exist, forms, products and a region field that exist, sane hours and timer. */
async function checkRule(ex: Executor, workspaceId: string, rule: RuleState): Promise<void> {
  const { assignment, conditions, workingHours, reassign } = rule;
  const errors = await assignmentErrors(ex, workspaceId, assignment);
  for (const [i, formId] of conditions.formIds.entries()) {
    if (!(await findWebForm(ex, workspaceId, formId))) errors.push({ path: `/body/conditions/formIds/${i}`, message: 'no such web form' });
  }
  const products = await productsByIds(ex, workspaceId, conditions.productIds);
  conditions.productIds.forEach((productId, i) => {
    if (!products.has(productId)) errors.push({ path: `/body/conditions/productIds/${i}`, message: 'no such product in the catalog' });
  });
  if (conditions.region) {
    const field = (await customFieldsOf(ex, workspaceId, 'lead')).find((candidate) => candidate.key === conditions.region!.fieldKey);
    if (!field) errors.push({ path: '/body/conditions/region/fieldKey', message: 'no such lead custom field' });
    else if (!REGION_KINDS.has(field.kind)) errors.push({ path: '/body/conditions/region/fieldKey', message: 'a region is a text or select field' });
    if (conditions.region.values.length === 0) errors.push({ path: '/body/conditions/region/values', message: 'name at least one region' });
  }
  if (workingHours) {
    if (workingHours.days.length === 0) errors.push({ path: '/body/workingHours/days', message: 'choose at least one working day' });
    if (new Set(workingHours.days).size !== workingHours.days.length) errors.push({ path: '/body/workingHours/days', message: 'each day once' });
    if (minutesOf(workingHours.from) >= minutesOf(workingHours.to)) errors.push({ path: '/body/workingHours/to', message: 'must be later than the start' });
  }
  if (reassign) {
    if (reassign.afterMinutes < 1 || reassign.afterMinutes > 10_080) errors.push({ path: '/body/reassign/afterMinutes', message: 'between 1 minute and a week' });
    if (reassign.maxTimes < 1 || reassign.maxTimes > 20) errors.push({ path: '/body/reassign/maxTimes', message: 'between 1 and 20' });
    if (assignment.mode === 'user') errors.push({ path: '/body/reassign', message: 'a fixed person has nobody to pass the lead to: choose a team' });
  }
  if (errors.length > 0) throw new AppError('validation', { message: 'The rule is not valid', errors });
}

function columnsOf(rule: RuleState) {
  const { assignment, conditions, workingHours, reassign } = rule;
  return {
    name: rule.name.trim(),
    enabled: rule.enabled,
    sources: [...new Set(conditions.sources)],
    form_ids: [...new Set(conditions.formIds)],
    product_ids: [...new Set(conditions.productIds)],
    region_field: conditions.region?.fieldKey ?? null,
    region_values: conditions.region ? [...new Set(conditions.region.values.map((value) => value.trim()).filter(Boolean))] : [],
    assign_mode: assignment.mode,
    assign_user_id: assignment.mode === 'user' ? (assignment.userId ?? null) : null,
    assign_team_id: assignment.mode === 'user' ? null : (assignment.teamId ?? null),
    work_days: workingHours ? [...workingHours.days].sort() : null,
    work_from: workingHours ? minutesOf(workingHours.from) : null,
    work_to: workingHours ? minutesOf(workingHours.to) : null,
    reassign_minutes: reassign?.afterMinutes ?? null,
    reassign_max: reassign?.maxTimes ?? 0,
  };
}

function hoursOf(rule: RuleRow): Hours | null {
  return rule.work_days && rule.work_from !== null && rule.work_to !== null ? { days: rule.work_days, from: rule.work_from, to: rule.work_to } : null;
}

/** What an incoming lead offers the rules to match on. */
export interface LeadFacts {
  workspaceId: string;
  source: Lead['source'];
  formId: string | null;
  productId: string | null;
  custom: Record<string, unknown>;
}

/** Every condition the rule sets holds: an empty list does not restrict, a set list needs the lead's value in it. */
export function ruleMatches(rule: RuleRow, lead: LeadFacts): boolean {
  if (rule.sources.length > 0 && !rule.sources.includes(lead.source)) return false;
  if (rule.form_ids.length > 0 && (!lead.formId || !rule.form_ids.includes(lead.formId))) return false;
  if (rule.product_ids.length > 0 && (!lead.productId || !rule.product_ids.includes(lead.productId))) return false;
  if (rule.region_field) {
    const value = lead.custom[rule.region_field];
    const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
    if (!rule.region_values.some((region) => region.toLowerCase() === text)) return false;
  }
  return true;
}

export interface RuleOwner {
  id: string;
  team_id: string | null;
  locale: string;
}

/** The rule's next owner (not `skip`), moving a team rule's round-robin pointer; undefined when nobody is there. */
async function takeOwner(ex: Executor, rule: RuleRow, skip?: string): Promise<RuleOwner | undefined> {
  if (rule.assign_mode === 'user') {
    if (rule.assign_user_id === skip) return undefined;
    return activeUser(ex, rule.workspace_id, rule.assign_user_id!);
  }
  const pick = pickInTurn(await teamMembersWithLoad(ex, rule.workspace_id, rule.assign_team_id!), rule.last_assignee_id, rule.assign_mode, skip);
  if (!pick) return undefined;
  await setRuleLastAssignee(ex, rule.workspace_id, rule.id, pick.id);
  return { id: pick.id, team_id: pick.teamId, locale: pick.locale };
}

export interface Routed {
  ruleId: string;
  ruleName: string;
  owner: RuleOwner;
  /** When the owner's clock starts: now, or the next opening when the lead came in outside the rule's working hours. */
  startAt: Date;
  reassignMinutes: number | null;
}

/** The loop reassigning untaken leads acts as the system: the audit trail shows "Rapport", the rights are the rule's. */
function systemCtx(workspaceId: string, userId: string): Ctx {
  return {
    actor: { workspaceId, userId, name: 'Rapport', roleId: '', teamId: null, teamTreeIds: [], permissions: fullMatrix('all'), fieldRules: {}, via: 'system', apiKeyId: null },
    meta: { ip: null, requestId: null },
  };
}

const REASSIGNED_NOTE: Record<Locale, (minutes: number, from: string, to: string, rule: string) => string> = {
  en: (minutes, from, to, rule) => `Nobody took the lead within ${minutes} min: it passed from ${from} to ${to} by the distribution rule "${rule}".`,
  ru: (minutes, from, to, rule) => `Лид не взяли в работу за ${minutes} мин: он передан от ${from} к ${to} по правилу распределения «${rule}».`,
};

export function createLeadDistributionService(deps: ServiceDeps, peers: { taskEnv: TaskEnv }) {
  async function load(ex: Executor, ctx: Ctx, id: string, forUpdate = false): Promise<RuleRow> {
    const row = await findRule(ex, ctx.actor.workspaceId, id, forUpdate);
    if (!row) throw new AppError('not_found', { message: 'No such distribution rule' });
    return row;
  }

  async function list(ctx: Ctx): Promise<LeadDistributionRule[]> {
    accessScope(ctx.actor, 'settings', 'update');
    return (await listRules(deps.db, ctx.actor.workspaceId)).map(toRule);
  }

  async function get(ctx: Ctx, id: string): Promise<LeadDistributionRule> {
    accessScope(ctx.actor, 'settings', 'update');
    return toRule(await load(deps.db, ctx, id));
  }

  /** A new rule goes last: the rules before it keep winning what they won. */
  async function create(ctx: Ctx, body: RuleInput): Promise<LeadDistributionRule> {
    accessScope(ctx.actor, 'settings', 'update');
    const { workspaceId, userId } = ctx.actor;
    const state: RuleState = { name: body.name, enabled: body.enabled ?? true, conditions: body.conditions ?? NO_CONDITIONS, assignment: body.assignment, workingHours: body.workingHours ?? null, reassign: body.reassign ?? null };
    return deps.db.transaction().execute(async (trx) => {
      await checkRule(trx, workspaceId, state);
      const existing = await lockRules(trx, workspaceId);
      const position = existing.reduce((max, rule) => Math.max(max, rule.position), 0) + 1;
      const rule = toRule(await insertRule(trx, { workspace_id: workspaceId, id: newId(), position, ...columnsOf(state), created_by: userId, updated_by: userId }));
      await recordAudit(trx, ctx, { action: 'lead_distribution_rule.create', objectType: 'lead_distribution_rule', objectId: rule.id, meta: { name: rule.name, position, conditions: rule.conditions, assignment: rule.assignment, workingHours: rule.workingHours, reassign: rule.reassign } });
      return rule;
    });
  }

  async function update(ctx: Ctx, id: string, patch: Partial<RuleInput>, version: number | undefined): Promise<LeadDistributionRule> {
    accessScope(ctx.actor, 'settings', 'update');
    const expected = requireVersion(version);
    const { workspaceId, userId } = ctx.actor;
    return deps.db.transaction().execute(async (trx) => {
      const current = await load(trx, ctx, id, true);
      if (current.version !== expected) throw new AppError('version_conflict', { message: 'The rule was changed meanwhile', currentVersion: current.version });
      const before = toRule(current);
      const state: RuleState = {
        name: patch.name ?? before.name,
        enabled: patch.enabled ?? before.enabled,
        conditions: patch.conditions ?? before.conditions,
        assignment: patch.assignment ?? before.assignment,
        workingHours: patch.workingHours !== undefined ? patch.workingHours : before.workingHours,
        reassign: patch.reassign !== undefined ? patch.reassign : before.reassign,
      };
      await checkRule(trx, workspaceId, state);
      const columns = columnsOf(state);
      // Keeping the team and mode keeps the round-robin's place in the team.
      const sameAssignment = columns.assign_mode === current.assign_mode && columns.assign_user_id === current.assign_user_id && columns.assign_team_id === current.assign_team_id;
      const updated = await updateRule(trx, workspaceId, id, expected, { ...columns, ...(sameAssignment ? {} : { last_assignee_id: null }) }, userId);
      if (!updated) throw new AppError('version_conflict', { message: 'The rule was changed meanwhile', currentVersion: current.version });
      const after = toRule(updated);
      await recordAudit(trx, ctx, { action: 'lead_distribution_rule.update', objectType: 'lead_distribution_rule', objectId: id, changes: diffFields(before, after, AUDITED) });
      return after;
    });
  }

  /** Leads it already assigned stay with their owners; their pending reassignments stop with the rule. */
  async function remove(ctx: Ctx, id: string): Promise<void> {
    accessScope(ctx.actor, 'settings', 'update');
    await deps.db.transaction().execute(async (trx) => {
      const current = await load(trx, ctx, id, true);
      await updateRule(trx, ctx.actor.workspaceId, id, current.version, { deleted_at: new Date(), enabled: false }, ctx.actor.userId);
      await recordAudit(trx, ctx, { action: 'lead_distribution_rule.delete', objectType: 'lead_distribution_rule', objectId: id, meta: { name: current.name } });
    });
  }

  /** The new order names every live rule once; anything else (a rule added or removed meanwhile) is refused. */
  async function reorder(ctx: Ctx, ids: string[]): Promise<LeadDistributionRule[]> {
    accessScope(ctx.actor, 'settings', 'update');
    const { workspaceId } = ctx.actor;
    return deps.db.transaction().execute(async (trx) => {
      const rules = await lockRules(trx, workspaceId);
      const live = new Set(rules.map((rule) => rule.id));
      if (new Set(ids).size !== ids.length || ids.length !== live.size || ids.some((id) => !live.has(id))) {
        throw new AppError('validation', { message: 'The order must name every rule once', errors: [{ path: '/body/ids', message: 'must list every rule exactly once' }] });
      }
      const before = rules.map((rule) => rule.id);
      for (const [i, id] of ids.entries()) await setPosition(trx, workspaceId, id, i + 1);
      await recordAudit(trx, ctx, { action: 'lead_distribution_rule.reorder', objectType: 'lead_distribution_rule', objectId: ids[0]!, changes: { order: { from: before, to: ids } } });
      return (await listRules(trx, workspaceId)).map(toRule);
    });
  }

  /**
   * The first enabled rule the lead matches picks its owner, in the intake's transaction. The rule's row is locked
   * first, so two leads arriving together take turns in its rotation. A rule that finds nobody (the person left, the
   * team is empty) passes the lead to the next rule; null when none takes it (the form's own assignment then does).
   */
  async function route(trx: Executor, lead: LeadFacts): Promise<Routed | null> {
    for (const candidate of await listRules(trx, lead.workspaceId, true)) {
      if (!ruleMatches(candidate, lead)) continue;
      const rule = await findRule(trx, lead.workspaceId, candidate.id, true);
      if (!rule?.enabled) continue;
      const owner = await takeOwner(trx, rule);
      if (!owner) continue;
      const hours = hoursOf(rule);
      const now = deps.clock.now();
      const opening = hours ? nextOpening(now, hours, await workspaceTimezone(trx, lead.workspaceId)) : null;
      return { ruleId: rule.id, ruleName: rule.name, owner, startAt: opening ?? now, reassignMinutes: rule.reassign_minutes };
    }
    return null;
  }

  /** Starts the "nobody took it" timer of a routed lead (when its rule reassigns). */
  async function track(trx: Executor, routed: Routed, lead: { workspaceId: string; leadId: string; taskId: string; productId: string | null }): Promise<void> {
    const reassignAt = routed.reassignMinutes ? new Date(routed.startAt.getTime() + routed.reassignMinutes * MINUTE_MS) : null;
    await insertAssignment(trx, { workspace_id: lead.workspaceId, lead_id: lead.leadId, rule_id: routed.ruleId, task_id: lead.taskId, owner_id: routed.owner.id, product_id: lead.productId, assigned_at: deps.clock.now(), reassign_at: reassignAt });
    if (reassignAt) peers.taskEnv.signal.wake(reassignAt);
  }

  /**
   * One due reassignment. The lead counts as taken — and stays — once its status left "new", its owner logged an
   * activity on it, or the callback task is closed (done or cancelled); a lead deleted or given to someone else by hand
   * leaves the rule too. Otherwise the next person by the same rule gets the lead and the callback task (due in 15
   * minutes, or 15 minutes after the next opening), both people hear of it, and the timeline and the audit say so.
   */
  async function reassignOne(trx: Tx, row: Awaited<ReturnType<typeof claimDueAssignments>>[number], now: Date): Promise<void> {
    const { workspace_id: workspaceId, lead_id: leadId } = row;
    const stop = () => updateAssignment(trx, workspaceId, leadId, { reassign_at: null });
    const taken = row.lead_status !== 'new' || row.owner_logged || (row.task_status !== 'open' && row.task_status !== 'in_progress');
    if (!row.lead_owner_id || row.lead_owner_id !== row.owner_id || taken) return stop();
    const rule = await findRule(trx, workspaceId, row.rule_id, true);
    if (!rule?.enabled || !rule.reassign_minutes || row.reassign_count >= rule.reassign_max) return stop();
    const hours = hoursOf(rule);
    const opening = hours ? nextOpening(now, hours, await workspaceTimezone(trx, workspaceId)) : null;
    if (opening) {
      // Closed now: the owner keeps the lead for the first minutes of the next opening.
      await updateAssignment(trx, workspaceId, leadId, { reassign_at: new Date(opening.getTime() + rule.reassign_minutes * MINUTE_MS) });
      return;
    }
    const next = await takeOwner(trx, rule, row.owner_id);
    if (!next) return stop();
    const count = row.reassign_count + 1;
    const dueAt = new Date(now.getTime() + CALL_BACK_MINUTES * MINUTE_MS);
    const reassignAt = count < rule.reassign_max ? new Date(now.getTime() + rule.reassign_minutes * MINUTE_MS) : null;
    const ctx = systemCtx(workspaceId, next.id);
    await setLeadOwner(trx, workspaceId, leadId, next.id, next.team_id);
    await moveTask(trx, workspaceId, row.task_id, next.id, next.team_id, dueAt);
    await updateAssignment(trx, workspaceId, leadId, { owner_id: next.id, assigned_at: now, reassign_count: count, reassign_at: reassignAt });
    const people = await userNames(trx, workspaceId, [row.owner_id, next.id]);
    const names = { from: people.get(row.owner_id) ?? '—', to: people.get(next.id) ?? '—' };
    const minutes = rule.reassign_minutes;
    const meta = { ruleId: rule.id, ruleName: rule.name, fromOwnerId: row.owner_id, toOwnerId: next.id, taskId: row.task_id, afterMinutes: minutes, reassignment: count };
    await recordChanged(trx, ctx, 'lead', leadId, 'reassign', { changes: { owner_id: { from: row.owner_id, to: next.id } }, meta });
    await recordAudit(trx, ctx, { action: 'task.update', objectType: 'task', objectId: row.task_id, changes: { owner_id: { from: row.owner_id, to: next.id }, due_at: { from: row.task_due_at ? new Date(row.task_due_at).toISOString() : null, to: dueAt.toISOString() } }, meta: { reason: 'lead_reassigned', leadId } });
    await announceTask(trx, workspaceId, { id: row.task_id, owner_id: next.id, team_id: next.team_id }, 'update');
    await addNote(trx, ctx, 'lead', leadId, REASSIGNED_NOTE[await workspaceLocale(trx, workspaceId)](minutes, names.from, names.to, rule.name));
    const lead = row.lead_name ?? '';
    await notify(trx, { workspaceId, userId: next.id, kind: 'task_assigned', messageKey: 'notifications.leadReassignedTo', params: { title: lead, by: 'Rapport', lead, from: names.from, minutes }, link: `/leads/${leadId}` }, peers.taskEnv.mail);
    await notify(trx, { workspaceId, userId: row.owner_id, kind: 'lead_reassigned', messageKey: 'notifications.leadReassignedFrom', params: { lead, to: names.to, minutes }, link: `/leads/${leadId}` });
    peers.taskEnv.signal.wake(dueAt);
  }

  /** The durable "nobody took it" timers, fired by the due-timer loop of every worker process exactly once (row locks). */
  const reassignDueKind: DueKind = {
    name: 'lead-reassign',
    async fireDue(trx, now, limit) {
      const rows = await claimDueAssignments(trx, now, limit);
      for (const row of rows) await reassignOne(trx, row, now);
      return rows.length;
    },
    async discardFirst(trx, now) {
      const [row] = await claimDueAssignments(trx, now, 1);
      if (row) await updateAssignment(trx, row.workspace_id, row.lead_id, { reassign_at: null });
      return row?.lead_id;
    },
    nextAt: nextReassignAt,
  };

  return { list, get, create, update, remove, reorder, route, track, reassignDueKind };
}

export type LeadDistributionService = ReturnType<typeof createLeadDistributionService>;
