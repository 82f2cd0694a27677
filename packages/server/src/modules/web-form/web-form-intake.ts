import { fullMatrix, normalizeEmail, toE164, UTM_KEYS, type CustomField, type FieldError, type LeadBody, type LeadIntakeResult, type Locale, type Utm, type WebFormField } from '@rapport/shared';
import { can } from '../../core/access-scope.js';
import { AppError } from '../../core/app-error.js';
import type { Ctx, RequestMeta } from '../../core/context.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import { newId } from '../../infra/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { customFieldsOf, getWorkspaceCountry, type ClientRecordService } from '../client-record/client-record.service.js';
import type { LeadService } from '../lead/lead.service.js';
import { CALL_BACK_MINUTES, type LeadDistributionService } from '../lead-distribution/lead-distribution.service.js';
import { pickInTurn } from '../lead-distribution/lead-distribution-rules.js';
import { productsByIds } from '../product/product.service.js';
import { notify } from '../notification/notification.service.js';
import { createTask, type TaskEnv } from '../task/task-write.js';
import { addNote, workspaceLocale } from '../timeline/timeline.service.js';
import { activeUser, insertSubmission, setLastAssignee, teamMembersWithLoad, type WebFormRow } from './web-form.repository.js';

export type IntakeResult = LeadIntakeResult;

/** A contact the submitter already is, found before the intake's transaction (the lookup reads through its own connection). */
export interface ContactMatch {
  id: string;
  title: string;
  by: 'phone' | 'email';
}

export interface IntakeInput {
  values: Record<string, string>;
  source: LeadBody['source'];
  /** The catalog product the lead is interested in (API intake), for the distribution rules. */
  productId: string | null;
  /** The API caller; null for a public form, which acts as itself. */
  caller: Ctx | null;
  meta: RequestMeta;
  match: ContactMatch | null;
  /** An existing company named like the request's company, found before the transaction (for a form that opens deals). */
  companyId: string | null;
  /** Where the values sit in the request, for field error paths. */
  basePath: string;
  /** Loads and locks the form, so concurrent submissions take turns in its rotation. */
  lockForm: (ex: Executor) => Promise<WebFormRow>;
}

interface IntakePeers {
  lead: LeadService;
  taskEnv: TaskEnv;
  distribution: Pick<LeadDistributionService, 'route' | 'track'>;
}

const CALL_BACK: Record<Locale, string> = { en: 'Call back within 15 minutes', ru: 'Перезвонить в течение 15 минут' };
const MATCHED_BY: Record<Locale, Record<ContactMatch['by'], string>> = { en: { phone: 'phone', email: 'e-mail' }, ru: { phone: 'телефону', email: 'e-mail' } };
const MATCHED_NOTE: Record<Locale, (contact: string, by: string) => string> = {
  en: (contact, by) => `Recognised as the existing contact ${contact} (by ${by}): no new contact was created.`,
  ru: (contact, by) => `Узнан существующий контакт ${contact} (по ${by}): новый контакт не создан.`,
};
const REQUEST_NOTE: Record<Locale, (form: string, lead: string) => string> = {
  en: (form, lead) => `New request from the web form "${form}": lead ${lead}.`,
  ru: (form, lead) => `Новая заявка с веб-формы «${form}»: лид ${lead}.`,
};
const MAX_LENGTH: Record<string, number> = { name: 300, companyName: 300, position: 200, phone: 40, email: 254, description: 5000 };
const TRUE_WORDS = new Set(['true', 'on', '1', 'yes']);

/** The campaign tags the embed script took from the page address (or the referrer's). */
export function utmOf(values: Record<string, string>): Utm {
  const utm: Utm = {};
  for (const key of UTM_KEYS) {
    const value = values[key]?.trim();
    if (value) utm[key] = value.slice(0, 200);
  }
  return utm;
}

const textOf = (values: Record<string, string>, key: string) => values[key]?.trim().slice(0, 2000) || null;

/** A custom field's text as its kind's value (a website posts text only); what does not convert is left for the field check to refuse. */
function customValue(field: CustomField, text: string): unknown {
  if (field.kind === 'number') return text !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
  if (field.kind === 'boolean') return TRUE_WORDS.has(text.toLowerCase());
  return text;
}

/** The form's fields as a lead draft; required, too long and unreadable values are field errors naming the form's key. */
function draftOf(fields: WebFormField[], custom: CustomField[], values: Record<string, string>, country: string, basePath: string) {
  const errors: FieldError[] = [];
  const byKey = new Map(custom.map((field) => [field.key, field]));
  const text: Record<string, string> = {};
  const customValues: Record<string, unknown> = {};
  for (const field of fields) {
    const value = (values[field.key] ?? '').trim();
    const path = `${basePath}/${field.key}`;
    if (value === '') {
      if (field.required) errors.push({ path, message: 'required' });
      continue;
    }
    if (value.length > (MAX_LENGTH[field.key] ?? 1000)) errors.push({ path, message: `at most ${MAX_LENGTH[field.key] ?? 1000} characters` });
    else if (field.key === 'phone' && !toE164(value, country)) errors.push({ path, message: 'not a phone number we can read' });
    else if (field.key === 'email' && !normalizeEmail(value)) errors.push({ path, message: 'not a valid e-mail address' });
    else if (field.key.startsWith('custom.')) {
      const definition = byKey.get(field.key.slice('custom.'.length));
      if (definition) customValues[definition.key] = customValue(definition, value);
    } else text[field.key] = value;
  }
  if (errors.length > 0) throw new AppError('validation', { message: 'Some fields are not filled in right', errors });
  return { text, custom: customValues };
}

/** Field errors of the lead's own checks (custom values), renamed to the keys the form posted. */
async function withFormPaths<T>(basePath: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'validation' || !error.errors) throw error;
    const errors = error.errors.map((item) => ({ ...item, path: item.path.replace(/^\/body\/custom\//, `${basePath}/custom.`) }));
    throw new AppError('validation', { message: error.message, errors });
  }
}

/**
 * The lead's owner by the form's own assignment (when no distribution rule took it): its fixed person, or among the
 * team's active members the next in turn or the least loaded. An assignment that finds nobody (the person left, the
 * team is empty) falls back to the form's author, so a request is never lost.
 */
async function pickOwner(ex: Executor, form: WebFormRow): Promise<{ id: string; team_id: string | null; locale: string }> {
  const fallback = async () => {
    for (const id of [form.updated_by, form.created_by]) {
      const user = id ? await activeUser(ex, form.workspace_id, id) : undefined;
      if (user) return user;
    }
    throw new AppError('conflict', { message: 'The form has nobody to give its leads to; ask the administrator to choose someone' });
  };
  if (form.assign_mode === 'user') return (await activeUser(ex, form.workspace_id, form.assign_user_id!)) ?? fallback();
  const pick = pickInTurn(await teamMembersWithLoad(ex, form.workspace_id, form.assign_team_id!), form.last_assignee_id, form.assign_mode);
  if (!pick) return fallback();
  await setLastAssignee(ex, form.workspace_id, form.id, pick.id);
  return { id: pick.id, team_id: pick.teamId, locale: pick.locale };
}

/** An interest in a product the catalog does not hold is the caller's mistake, named by its field. */
async function checkProduct(ex: Executor, workspaceId: string, productId: string | null): Promise<void> {
  if (productId && !(await productsByIds(ex, workspaceId, [productId])).has(productId)) {
    throw new AppError('validation', { message: 'No such product', errors: [{ path: '/body/productId', message: 'no such product in the catalog' }] });
  }
}

/** The public form acts as itself on behalf of the new owner: audited as the form, with the workspace-wide view it needs to file the lead. */
function formCtx(form: WebFormRow, owner: { id: string; team_id: string | null }, meta: RequestMeta): Ctx {
  return {
    actor: { workspaceId: form.workspace_id, userId: owner.id, name: form.name, roleId: '', teamId: owner.team_id, teamTreeIds: [], permissions: fullMatrix('all'), fieldRules: {}, via: 'form', apiKeyId: null },
    meta,
  };
}

/** Looks for a contact the submitter already is, by phone or e-mail, among those `ctx` may read (a public form: all). */
export async function matchContact(records: ClientRecordService, ctx: Ctx, values: Record<string, string>): Promise<ContactMatch | null> {
  if (!can(ctx.actor, 'contact', 'read')) return null;
  const phone = values.phone?.trim();
  const email = values.email?.trim();
  if (!phone && !email) return null;
  const [found] = await records.duplicates(ctx, 'contact', { phones: phone ? [{ number: phone }] : [], emails: email ? [{ email }] : [], companyIds: [] });
  if (!found) return null;
  return { id: found.id, title: found.title, by: found.reasons.includes('phone') ? 'phone' : 'email' };
}

/** A company the request's company name already is, among those `ctx` may read: the deal goes to it instead of a new one. */
export async function matchCompany(records: ClientRecordService, ctx: Ctx, values: Record<string, string>): Promise<string | null> {
  const name = values.companyName?.trim();
  if (!name || !can(ctx.actor, 'company', 'read')) return null;
  const [found] = await records.duplicates(ctx, 'company', { name });
  return found?.id ?? null;
}

/** Everything the public scan needs to match a contact before the form's owner is known: the workspace-wide view. */
export function workspaceCtx(workspaceId: string, meta: RequestMeta): Ctx {
  return { actor: { workspaceId, userId: '', name: '', roleId: '', teamId: null, teamTreeIds: [], permissions: { contact: { read: 'all' }, company: { read: 'all' } }, fieldRules: {}, via: 'form', apiKeyId: null }, meta };
}

/**
 * One request becomes, in the caller's transaction: a lead (source, campaign tags, the contact it was recognised as),
 * its owner by the form's rule, for a form that opens deals the lead's conversion into a contact and a deal, a "call
 * back within 15 minutes" task for the owner (on the deal when there is one) (the task module's own create, so
 * reminders and overdue notices work), notes on the lead's and the contact's timelines when a contact matched, the
 * owner's notice, the submission row and the audit entry. Any failure rolls all of it back.
 */
export async function intakeLead(trx: Executor, deps: ServiceDeps, peers: IntakePeers, input: IntakeInput): Promise<IntakeResult> {
  const form = await input.lockForm(trx);
  const workspaceId = form.workspace_id;
  const custom = await customFieldsOf(trx, workspaceId, 'lead');
  const draft = draftOf(form.fields, custom, input.values, await getWorkspaceCountry(trx, workspaceId), input.basePath);
  await checkProduct(trx, workspaceId, input.productId);
  // The workspace's distribution rules come first; the form's own assignment takes what no rule matches.
  const routed = await peers.distribution.route(trx, { workspaceId, source: input.source ?? 'website', formId: form.id, productId: input.productId, custom: draft.custom });
  const owner = routed?.owner ?? (await pickOwner(trx, form));
  // An API caller keeps its name in the audit trail; the form's rules, set by an administrator, decide the owner.
  const ctx: Ctx = input.caller ? { ...input.caller, actor: { ...input.caller.actor, permissions: fullMatrix('all'), fieldRules: {} } } : formCtx(form, owner, input.meta);
  const { text } = draft;
  const name = text.name ?? text.companyName ?? text.email ?? text.phone ?? form.name;
  const utm = utmOf(input.values);
  const leadId = await withFormPaths(input.basePath, () =>
    peers.lead.insert(
      trx,
      ctx,
      {
        name,
        companyName: text.companyName ?? null,
        position: text.position ?? null,
        description: text.description ?? null,
        phones: text.phone ? [{ type: 'mobile', number: text.phone }] : [],
        emails: text.email ? [{ type: 'personal', email: text.email }] : [],
        source: input.source,
        custom: draft.custom,
        ownerId: owner.id,
        teamId: owner.team_id,
      },
      { utm, matchedContactId: input.match?.id ?? null },
    ),
  );
  // A form that opens deals converts the lead at once: into the contact it was recognised as (or a new one), the
  // company named (an existing one first), and a deal in the first stage of the form's pipeline, where robots take over.
  const converted = form.deal_pipeline_id
    ? await peers.lead.convertIn(
        trx,
        ctx,
        leadId,
        {
          contact: input.match ? { mode: 'existing', id: input.match.id } : { mode: 'new' },
          company: input.companyId ? { mode: 'existing', id: input.companyId } : text.companyName ? { mode: 'new' } : { mode: 'none' },
          deal: { pipelineId: form.deal_pipeline_id },
        },
        1,
      )
    : null;
  const ownerLocale: Locale = owner.locale === 'ru' ? 'ru' : 'en';
  const title = `${CALL_BACK[ownerLocale]}: ${name}`.slice(0, 300);
  // After a rule's working hours, the callback is due in the first minutes of the next opening.
  const dueAt = new Date((routed?.startAt ?? deps.clock.now()).getTime() + CALL_BACK_MINUTES * 60_000).toISOString();
  const subject = converted?.dealId ? { type: 'deal' as const, id: converted.dealId } : { type: 'lead' as const, id: leadId };
  const taskId = await createTask(trx, ctx, { title, ownerId: owner.id, priority: 'high', dueAt, subject }, peers.taskEnv);
  if (routed) await peers.distribution.track(trx, routed, { workspaceId, leadId, taskId, productId: input.productId });
  if (input.match) {
    const locale = await workspaceLocale(trx, workspaceId);
    await addNote(trx, ctx, 'lead', leadId, MATCHED_NOTE[locale](input.match.title, MATCHED_BY[locale][input.match.by]));
    await addNote(trx, ctx, 'contact', input.match.id, REQUEST_NOTE[locale](form.name, name));
  }
  // An API caller's task already told the owner "assigned to you"; a form's owner hears about the new lead here.
  if (ctx.actor.via === 'form') {
    await notify(trx, { workspaceId, userId: owner.id, kind: 'task_assigned', messageKey: 'notifications.webFormLead', params: { title, by: form.name, lead: name, form: form.name }, link: converted?.dealId ? `/deals/${converted.dealId}` : `/leads/${leadId}` }, peers.taskEnv.mail);
  }
  await insertSubmission(trx, {
    workspace_id: workspaceId,
    id: newId(),
    form_id: form.id,
    lead_id: leadId,
    owner_id: owner.id,
    matched_contact_id: input.match?.id ?? null,
    deal_id: converted?.dealId ?? null,
    utm: JSON.stringify(utm),
    referrer: textOf(input.values, 'referrer'),
    page_url: textOf(input.values, 'page_url'),
    ip: input.meta.ip,
  });
  const made = { leadId, ownerId: owner.id, taskId, matchedContactId: input.match?.id ?? null, contactId: converted?.contactId ?? null, dealId: converted?.dealId ?? null };
  await recordAudit(trx, ctx, { action: 'web_form.submit', objectType: 'web_form', objectId: form.id, meta: { ...made, source: input.source, utm, productId: input.productId, distributionRuleId: routed?.ruleId ?? null } });
  return made;
}
