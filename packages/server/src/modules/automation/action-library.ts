import { ROBOT_ACTION_CONFIGS, type Deal, type FieldError, type Locale, type RobotActionConfig, type RobotActionType } from '@rapport/shared';
import { Value } from 'typebox/value';
import { AppError } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import type { Executor } from '../../infra/db.js';
import type { ContactService } from '../contact/contact.service.js';
import type { ActivityService } from '../activity/activity.service.js';
import type { DealService } from '../deal/deal.service.js';
import type { DocumentService } from '../document/document.service.js';
import type { MailInput } from '../mail/mail.service.js';
import { customFieldsOf } from '../client-record/client-record.service.js';
import { notify } from '../notification/notification.service.js';
import type { PipelineService } from '../pipeline/pipeline.service.js';
import { roleRights } from '../role/role.service.js';
import { createTask, type TaskEnv } from '../task/task-write.js';
import { findUserById } from '../user/user.service.js';
import { lastAssignee, usersOfRole } from './automation.repository.js';

/**
 * The action library: what a robot (and later a BPMN service task) can do, written once. Each action has the schema
 * of its config, checks that need the database (the user, role, template or stage exists) and its run. Actions that
 * only write to the database run in the transaction that marks their run done, so they happen exactly once with it;
 * the others (a webhook, a document, a change of the deal through its own service) run before that transaction.
 */

/** The services actions reach other modules through. */
export interface ActionPeers {
  taskEnv: TaskEnv;
  mail: { queue(ex: Executor, input: MailInput): Promise<string> };
  deal: Pick<DealService, 'update' | 'move'>;
  activity: Pick<ActivityService, 'createIn'>;
  contact: Pick<ContactService, 'get'>;
  document: Pick<DocumentService, 'generate' | 'list'>;
  pipeline: Pick<PipelineService, 'list'>;
}

/** Where a rule lives, for checks such as "a stage of the same pipeline". */
export interface RulePlace {
  /** The robot's stage; empty for a process's service task. */
  stageId: string;
}

/** One run of an action on a deal, acting as `ctx` (the robot on behalf of the rule's author). */
export interface ActionRun {
  ctx: Ctx;
  deal: Deal;
  ruleId: string;
  ruleName: string;
  actionIndex: number;
  writing: Writing;
}

interface ActionDef<T extends RobotActionType> {
  inTransaction: boolean;
  /** Field errors with paths inside the config ("/assignee/userId"). */
  check?(ex: Executor, ctx: Ctx, config: RobotActionConfig<T>, place: RulePlace): Promise<FieldError[]>;
  /** Does the action; returns what the run log shows of it. Throws to fail the attempt. */
  run(ex: Executor, run: ActionRun, config: RobotActionConfig<T>): Promise<Record<string, unknown>>;
}

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

/** The deal's values that {{placeholders}} and conditions read: flat names, custom fields under custom. */
export function dealValues(deal: Deal): Record<string, unknown> {
  return {
    title: deal.title,
    amount: Number(deal.amount),
    currency: deal.currency,
    stage: deal.stageName,
    pipeline: deal.pipelineName,
    source: deal.source,
    description: deal.description,
    expectedCloseDate: deal.expectedCloseDate,
    company: deal.companyName,
    contact: deal.contacts[0]?.contactName ?? null,
    owner: { id: deal.ownerId, name: deal.ownerName },
    tags: deal.tags,
    custom: deal.custom,
  };
}

/** How the people reading an action's texts write dates: the workspace's language and time zone. */
export interface Writing {
  locale: Locale;
  timeZone: string;
}

/** A value as a text says it: dates and moments the reader's way, the rest as they are. */
function spoken(value: unknown, writing: Writing): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return new Intl.DateTimeFormat(writing.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${value}T00:00:00Z`));
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value))) {
    return new Intl.DateTimeFormat(writing.locale, { dateStyle: 'long', timeStyle: 'short', timeZone: writing.timeZone }).format(new Date(value));
  }
  return String(value);
}

/** Fills {{title}}, {{owner.name}}, {{custom.size}}…; an unknown or empty field becomes an empty string. */
export function fillPlaceholders(text: string, deal: Deal, writing: Writing): string {
  const values = dealValues(deal);
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, path: string) => spoken(path.split('.').reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), values), writing));
}

/** When a created task is due: the deal's date-and-time field when it holds one, else the offset from now, else never. */
function dueTime(config: Pick<RobotActionConfig<'create_task'>, 'dueIn' | 'dueAtField'>, deal: Deal, now: Date): string | undefined {
  const at = config.dueAtField ? deal.custom[config.dueAtField.slice('custom.'.length)] : undefined;
  if (typeof at === 'string' && !Number.isNaN(Date.parse(at))) return new Date(at).toISOString();
  if (config.dueAtField && !config.dueIn) throw new Error(`the deal's field ${config.dueAtField} is empty: the task has no time to be due at`);
  return config.dueIn ? new Date(now.getTime() + config.dueIn.amount * UNIT_MS[config.dueIn.unit]).toISOString() : undefined;
}

async function userError(ex: Executor, workspaceId: string, userId: string | undefined, path: string): Promise<FieldError[]> {
  if (!userId) return [{ path, message: 'required: choose a user' }];
  const user = await findUserById(ex, workspaceId, userId);
  return user && user.status === 'active' && !user.deleted_at ? [] : [{ path, message: 'no such active user' }];
}

async function personErrors(ex: Executor, workspaceId: string, person: { kind: string; userId?: string | undefined; roleId?: string | undefined }, base: string): Promise<FieldError[]> {
  if (person.kind === 'user') return userError(ex, workspaceId, person.userId, `${base}/userId`);
  if (person.kind === 'role') {
    if (!person.roleId) return [{ path: `${base}/roleId`, message: 'required: choose a role' }];
    return (await roleRights(ex, workspaceId, person.roleId)) ? [] : [{ path: `${base}/roleId`, message: 'no such role' }];
  }
  return [];
}

/** The owner, the named user, or the role's next user after the one this action picked last time. */
async function pickPerson(ex: Executor, run: ActionRun, person: { kind: string; userId?: string | undefined; roleId?: string | undefined }): Promise<string> {
  if (person.kind === 'user' && person.userId) return person.userId;
  if (person.kind === 'role' && person.roleId) {
    const users = await usersOfRole(ex, run.ctx.actor.workspaceId, person.roleId);
    if (users.length === 0) throw new Error('the role has no active users');
    const previous = await lastAssignee(ex, run.ctx.actor.workspaceId, run.ruleId, run.actionIndex);
    return users[(users.indexOf(previous ?? '') + 1) % users.length]!;
  }
  return run.deal.ownerId;
}

/** Who a task or call is for, and the date-and-time field it may be timed by. */
async function assigneeAndTimeErrors(ex: Executor, ctx: Ctx, config: RobotActionConfig<'create_task' | 'create_call'>): Promise<FieldError[]> {
  const errors = await personErrors(ex, ctx.actor.workspaceId, config.assignee, '/assignee');
  if (config.dueAtField) {
    const field = (await customFieldsOf(ex, ctx.actor.workspaceId, 'deal')).find((candidate) => `custom.${candidate.key}` === config.dueAtField);
    if (field?.kind !== 'datetime') errors.push({ path: '/dueAtField', message: 'not a date-and-time field of deals' });
  }
  return errors;
}

function createActions(peers: ActionPeers): { [T in RobotActionType]: ActionDef<T> } {
  return {
    create_task: {
      inTransaction: true,
      check: assigneeAndTimeErrors,
      async run(ex, run, config) {
        const ownerId = await pickPerson(ex, run, config.assignee);
        const title = fillPlaceholders(config.title, run.deal, run.writing).slice(0, 300);
        const dueAt = dueTime(config, run.deal, peers.taskEnv.clock.now());
        const description = config.description ? fillPlaceholders(config.description, run.deal, run.writing) : undefined;
        const taskId = await createTask(
          ex,
          run.ctx,
          { title, ownerId, priority: config.priority ?? 'normal', subject: { type: 'deal', id: run.deal.id }, ...(dueAt ? { dueAt } : {}), ...(description ? { description } : {}) },
          peers.taskEnv,
        );
        return { taskId, title, assigneeId: ownerId, dueAt: dueAt ?? null };
      },
    },
    create_call: {
      inTransaction: true,
      check: assigneeAndTimeErrors,
      async run(ex, run, config) {
        const ownerId = await pickPerson(ex, run, config.assignee);
        const subject = fillPlaceholders(config.subject, run.deal, run.writing).slice(0, 300);
        const startsAt = dueTime(config, run.deal, peers.taskEnv.clock.now()) ?? peers.taskEnv.clock.now().toISOString();
        const call = await peers.activity.createIn(ex, run.ctx, { kind: 'call', subject, direction: 'outbound', status: 'planned', startsAt, ownerId, links: [{ object: 'deal', id: run.deal.id }] });
        return { activityId: call.id, subject, assigneeId: ownerId, startsAt };
      },
    },
    notify: {
      inTransaction: true,
      check: (ex, ctx, config) => personErrors(ex, ctx.actor.workspaceId, config.recipient, '/recipient'),
      async run(ex, run, config) {
        const userId = await pickPerson(ex, run, config.recipient);
        const message = fillPlaceholders(config.message, run.deal, run.writing);
        await notify(ex, { workspaceId: run.ctx.actor.workspaceId, userId, kind: 'robot', messageKey: 'notifications.robot', params: { message, deal: run.deal.title, rule: run.ruleName }, link: `/deals/${run.deal.id}` });
        return { userId, message };
      },
    },
    send_email: {
      inTransaction: true,
      async run(ex, run, config) {
        const to = config.to === 'owner' ? (await findUserById(ex, run.ctx.actor.workspaceId, run.deal.ownerId))?.email : await firstContactEmail(run);
        if (!to) throw new Error(config.to === 'owner' ? 'the owner has no e-mail address' : 'the deal has no contact with an e-mail address');
        const subject = fillPlaceholders(config.subject, run.deal, run.writing);
        const mailId = await peers.mail.queue(ex, { workspaceId: run.ctx.actor.workspaceId, to, subject, text: fillPlaceholders(config.body, run.deal, run.writing) });
        return { mailId, to, subject };
      },
    },
    generate_document: {
      inTransaction: false,
      async check(_ex, ctx, config) {
        const { items } = await peers.document.list(ctx, { object: 'deal' });
        return items.some((template) => template.id === config.templateId) ? [] : [{ path: '/templateId', message: 'no such document template for deals' }];
      },
      async run(_ex, run, config) {
        const file = await peers.document.generate(run.ctx, 'deal', run.deal.id, { templateId: config.templateId, format: config.format });
        return { attachmentId: file.id, fileName: file.fileName };
      },
    },
    set_field: {
      inTransaction: false,
      async run(_ex, run, config) {
        const { field, value } = config;
        const patch = field.startsWith('custom.')
          ? { custom: { [field.slice('custom.'.length)]: value } }
          : field === 'amount'
            ? { amount: String(value) }
            : { [field]: typeof value === 'string' ? fillPlaceholders(value, run.deal, run.writing) : value };
        await peers.deal.update(run.ctx, run.deal.id, patch, run.deal.version);
        return { field, value };
      },
    },
    move_to_stage: {
      inTransaction: false,
      async check(_ex, ctx, config, place) {
        const pipelines = await peers.pipeline.list(ctx);
        // A process has no stage of its own: a stage of any pipeline will do.
        if (!place.stageId) return pipelines.some((candidate) => candidate.stages.some((stage) => stage.id === config.stageId)) ? [] : [{ path: '/stageId', message: 'no such stage' }];
        const pipeline = pipelines.find((candidate) => candidate.stages.some((stage) => stage.id === place.stageId));
        if (config.stageId === place.stageId) return [{ path: '/stageId', message: 'must be another stage than the rule’s own' }];
        return pipeline?.stages.some((stage) => stage.id === config.stageId) ? [] : [{ path: '/stageId', message: 'not a stage of this pipeline' }];
      },
      async run(_ex, run, config) {
        const moved = await peers.deal.move(run.ctx, run.deal.id, { stageId: config.stageId }, run.deal.version);
        return { stageId: moved.stageId, stage: moved.stageName };
      },
    },
    call_webhook: {
      inTransaction: false,
      async run(_ex, run, config) {
        const response = await fetch(config.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ event: 'robot', rule: { id: run.ruleId, name: run.ruleName }, deal: run.deal }),
          signal: AbortSignal.timeout((config.timeoutSeconds ?? 10) * 1000),
          redirect: 'manual',
        });
        await response.body?.cancel();
        if (response.status < 200 || response.status > 299) throw new Error(`the webhook answered HTTP ${response.status}`);
        return { status: response.status };
      },
    },
  };

  async function firstContactEmail(run: ActionRun): Promise<string | undefined> {
    for (const link of run.deal.contacts) {
      const contact = await peers.contact.get(run.ctx, link.contactId);
      const email = contact.emails[0]?.email;
      if (email) return email;
    }
    return undefined;
  }
}

export type ActionLibrary = ReturnType<typeof createActionLibrary>;

/** The library over the given services: checks configs when a rule is saved and runs actions when it fires. */
export function createActionLibrary(peers: ActionPeers) {
  const actions = createActions(peers);
  const isType = (type: string): type is RobotActionType => Object.hasOwn(ROBOT_ACTION_CONFIGS, type);

  /** Field errors of one action under `base` (e.g. /body/actions/0): unknown type, schema, then the database checks. */
  async function check(ex: Executor, ctx: Ctx, action: { type: string; config: unknown }, place: RulePlace, base: string): Promise<FieldError[]> {
    if (!isType(action.type)) return [{ path: `${base}/type`, message: `unknown action; one of ${Object.keys(ROBOT_ACTION_CONFIGS).join(', ')}` }];
    const seen = new Set<string>();
    const errors: FieldError[] = [];
    for (const error of Value.Errors(ROBOT_ACTION_CONFIGS[action.type], action.config)) {
      const path = `${base}/config${error.instancePath}`;
      if (seen.has(path)) continue;
      seen.add(path);
      errors.push({ path, message: error.message });
    }
    if (errors.length > 0) return errors;
    const def = actions[action.type] as ActionDef<RobotActionType>;
    const found = def.check ? await def.check(ex, ctx, action.config as RobotActionConfig<RobotActionType>, place) : [];
    return found.map((error) => ({ ...error, path: `${base}/config${error.path}` }));
  }

  function definition(type: string): ActionDef<RobotActionType> {
    if (!isType(type)) throw new AppError('validation', { message: `Unknown action ${type}` });
    return actions[type] as ActionDef<RobotActionType>;
  }

  return {
    check,
    /** Whether the action's writes belong in the transaction that marks its run done. */
    inTransaction: (type: string) => definition(type).inTransaction,
    run: (ex: Executor, type: string, run: ActionRun, config: unknown) => definition(type).run(ex, run, config as RobotActionConfig<RobotActionType>),
  };
}
