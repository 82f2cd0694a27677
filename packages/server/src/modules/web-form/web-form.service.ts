import {
  WEB_FORM_CUSTOM_KINDS,
  WEB_FORM_HONEYPOT,
  type CustomField,
  type FieldError,
  type Locale,
  type PageOf,
  type PublicWebForm,
  type WebForm,
  type WebFormBody,
  type WebFormSubmission,
  type WebFormSubmissionAnswer,
} from '@rapport/shared';
import { accessScope } from '../../core/access-scope.js';
import { AppError, requireVersion } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import { diffFields } from '../../core/diff.js';
import { decodeCursor, toPage } from '../../core/pagination.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import { newId } from '../../infra/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { customFieldsOf, type ClientRecordService } from '../client-record/client-record.service.js';
import { pipelineOpen } from '../pipeline/pipeline.service.js';
import type { LeadService } from '../lead/lead.service.js';
import { assignmentErrors, type LeadDistributionService } from '../lead-distribution/lead-distribution.service.js';
import { workspaceLocale } from '../timeline/timeline.service.js';
import type { TaskEnv } from '../task/task-write.js';
import { countSubmissions, findWebForm, findWebFormById, insertWebForm, listSubmissions, listWebForms, updateWebForm, type WebFormRow } from './web-form.repository.js';
import { intakeLead, matchCompany, matchContact, workspaceCtx, type IntakeInput, type IntakeResult } from './web-form-intake.js';

export function toWebForm(row: WebFormRow, submissionCount: number): WebForm {
  return {
    id: row.id,
    name: row.name,
    fields: row.fields,
    assignment: { mode: row.assign_mode, userId: row.assign_user_id, teamId: row.assign_team_id },
    successMessage: row.success_message,
    redirectUrl: row.redirect_url,
    allowedOrigins: row.allowed_origins,
    enabled: row.enabled,
    dealPipelineId: row.deal_pipeline_id,
    submissionCount,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

const AUDITED = ['name', 'fields', 'assignment', 'successMessage', 'redirectUrl', 'allowedOrigins', 'enabled', 'dealPipelineId'] as const;
const INPUT_OF_KIND: Record<(typeof WEB_FORM_CUSTOM_KINDS)[number], PublicWebForm['fields'][number]['input']> = { text: 'text', number: 'number', date: 'date', select: 'select', boolean: 'checkbox', phone: 'tel', email: 'email', url: 'url' };
const INPUT_OF_LEAD_FIELD: Record<string, PublicWebForm['fields'][number]['input']> = { name: 'text', companyName: 'text', position: 'text', phone: 'tel', email: 'email', description: 'textarea' };

type FormInput = Partial<Omit<WebFormBody, 'version'>>;

/**
 * A form must be usable: each field once, custom fields that exist and a visitor can fill in, every required lead custom
 * field asked (the lead could never be saved otherwise), a phone or an e-mail to call back on, and someone to assign.
 */
async function checkForm(ex: Executor, workspaceId: string, input: FormInput): Promise<void> {
  const errors: FieldError[] = [];
  if (input.fields) {
    const custom = new Map((await customFieldsOf(ex, workspaceId, 'lead')).map((field) => [field.key, field]));
    const seen = new Set<string>();
    input.fields.forEach((field, i) => {
      if (seen.has(field.key)) errors.push({ path: `/body/fields/${i}/key`, message: 'this field is already on the form' });
      seen.add(field.key);
      if (!field.key.startsWith('custom.')) return;
      const definition = custom.get(field.key.slice('custom.'.length));
      if (!definition) errors.push({ path: `/body/fields/${i}/key`, message: 'no such lead custom field' });
      else if (!(WEB_FORM_CUSTOM_KINDS as readonly string[]).includes(definition.kind)) errors.push({ path: `/body/fields/${i}/key`, message: `a ${definition.kind} field cannot be filled in on a website` });
    });
    if (!seen.has('phone') && !seen.has('email')) errors.push({ path: '/body/fields', message: 'ask for a phone or an e-mail, or nobody can call back' });
    for (const definition of custom.values()) {
      const asked = input.fields.find((field) => field.key === `custom.${definition.key}`);
      if (definition.required && !asked?.required) errors.push({ path: '/body/fields', message: `the lead field "${definition.label}" is required: put it on the form as required` });
    }
  }
  if (input.assignment) errors.push(...(await assignmentErrors(ex, workspaceId, input.assignment)));
  if (input.dealPipelineId && !(await pipelineOpen(ex, workspaceId, input.dealPipelineId))) errors.push({ path: '/body/dealPipelineId', message: 'no such pipeline, or it is archived' });
  if (errors.length > 0) throw new AppError('validation', { message: 'The form is not valid', errors });
}

function columnsOf(input: FormInput) {
  const { assignment } = input;
  return {
    ...(input.name !== undefined ? { name: input.name.trim() } : {}),
    ...(input.fields !== undefined ? { fields: JSON.stringify(input.fields.map((field) => ({ key: field.key, label: field.label.trim(), required: field.required }))) } : {}),
    ...(assignment !== undefined
      ? { assign_mode: assignment.mode, assign_user_id: assignment.mode === 'user' ? (assignment.userId ?? null) : null, assign_team_id: assignment.mode === 'user' ? null : (assignment.teamId ?? null), last_assignee_id: null }
      : {}),
    ...(input.successMessage !== undefined ? { success_message: input.successMessage.trim() } : {}),
    ...(input.redirectUrl !== undefined ? { redirect_url: input.redirectUrl?.trim() || null } : {}),
    ...(input.allowedOrigins !== undefined ? { allowed_origins: [...new Set(input.allowedOrigins.map((origin) => origin.toLowerCase()))] } : {}),
    ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    ...(input.dealPipelineId !== undefined ? { deal_pipeline_id: input.dealPipelineId } : {}),
  };
}

/** Whether a browser page from `origin` may post to the form: any origin when the list is empty. */
export function originAllowed(allowed: string[], origin: string | undefined): boolean {
  return origin === undefined || allowed.length === 0 || allowed.includes(origin.toLowerCase());
}

const EMBED_TEXTS: Record<Locale, PublicWebForm['texts']> = {
  en: { submit: 'Send', done: 'Thank you! We will call you back shortly.', invalid: 'Please check the fields marked.', tooMany: 'Too many requests; please try again in a minute.', failed: 'The request could not be sent; please try again.' },
  ru: { submit: 'Отправить', done: 'Спасибо! Мы скоро вам перезвоним.', invalid: 'Проверьте отмеченные поля.', tooMany: 'Слишком много заявок; попробуйте через минуту.', failed: 'Не удалось отправить заявку; попробуйте ещё раз.' },
};

function toPublic(row: WebFormRow, custom: CustomField[], locale: Locale): PublicWebForm {
  const byKey = new Map(custom.map((field) => [`custom.${field.key}`, field]));
  return {
    id: row.id,
    fields: row.fields.map((field) => {
      const definition = byKey.get(field.key);
      return {
        key: field.key,
        label: field.label,
        required: field.required,
        input: definition ? INPUT_OF_KIND[definition.kind as keyof typeof INPUT_OF_KIND] : (INPUT_OF_LEAD_FIELD[field.key] ?? 'text'),
        options: definition?.kind === 'select' ? definition.options.map((option) => ({ value: option.value, label: option.label })) : [],
      };
    }),
    successMessage: row.success_message,
    redirectUrl: row.redirect_url,
    honeypot: WEB_FORM_HONEYPOT,
    texts: EMBED_TEXTS[locale],
  };
}

export interface WebFormServicePeers {
  lead: LeadService;
  records: ClientRecordService;
  taskEnv: TaskEnv;
  distribution: Pick<LeadDistributionService, 'route' | 'track'>;
}

export function createWebFormService(deps: ServiceDeps, peers: WebFormServicePeers) {
  async function load(ex: Executor, ctx: Ctx, id: string, forUpdate = false): Promise<WebFormRow> {
    const row = await findWebForm(ex, ctx.actor.workspaceId, id, forUpdate);
    if (!row) throw new AppError('not_found', { message: 'No such web form' });
    return row;
  }

  async function list(ctx: Ctx): Promise<WebForm[]> {
    accessScope(ctx.actor, 'settings', 'update');
    const rows = await listWebForms(deps.db, ctx.actor.workspaceId);
    return rows.map((row) => toWebForm(row, Number(row.submission_count ?? 0)));
  }

  async function get(ctx: Ctx, id: string): Promise<WebForm> {
    accessScope(ctx.actor, 'settings', 'update');
    const row = await load(deps.db, ctx, id);
    return toWebForm(row, await countSubmissions(deps.db, ctx.actor.workspaceId, id));
  }

  async function create(ctx: Ctx, body: WebFormBody): Promise<WebForm> {
    accessScope(ctx.actor, 'settings', 'update');
    const { workspaceId, userId } = ctx.actor;
    return deps.db.transaction().execute(async (trx) => {
      await checkForm(trx, workspaceId, body);
      const columns = columnsOf(body);
      const row = await insertWebForm(trx, { workspace_id: workspaceId, id: newId(), ...columns, name: columns.name!, fields: columns.fields!, assign_mode: body.assignment.mode, created_by: userId, updated_by: userId });
      const form = toWebForm(row, 0);
      await recordAudit(trx, ctx, { action: 'web_form.create', objectType: 'web_form', objectId: form.id, meta: { name: form.name, fields: form.fields.map((field) => field.key), assignment: form.assignment } });
      return form;
    });
  }

  async function update(ctx: Ctx, id: string, patch: FormInput, version: number | undefined): Promise<WebForm> {
    accessScope(ctx.actor, 'settings', 'update');
    const expected = requireVersion(version);
    const { workspaceId, userId } = ctx.actor;
    return deps.db.transaction().execute(async (trx) => {
      const current = await load(trx, ctx, id, true);
      if (current.version !== expected) throw new AppError('version_conflict', { message: 'The form was changed meanwhile', currentVersion: current.version });
      // The whole form is checked as it will be, so a patch cannot leave it without a phone or e-mail field.
      await checkForm(trx, workspaceId, { fields: patch.fields ?? current.fields, ...(patch.assignment ? { assignment: patch.assignment } : {}), ...(patch.dealPipelineId ? { dealPipelineId: patch.dealPipelineId } : {}) });
      // Keeping the assignment as it was keeps the round-robin's place in the team.
      const sameAssignment = patch.assignment && patch.assignment.mode === current.assign_mode && (patch.assignment.userId ?? null) === current.assign_user_id && (patch.assignment.teamId ?? null) === current.assign_team_id;
      const columns = columnsOf(sameAssignment ? { ...patch, assignment: undefined } : patch);
      const updated = await updateWebForm(trx, workspaceId, id, expected, columns, userId);
      if (!updated) throw new AppError('version_conflict', { message: 'The form was changed meanwhile', currentVersion: current.version });
      const count = await countSubmissions(trx, workspaceId, id);
      const after = toWebForm(updated, count);
      await recordAudit(trx, ctx, { action: 'web_form.update', objectType: 'web_form', objectId: id, changes: diffFields(toWebForm(current, count), after, AUDITED) });
      return after;
    });
  }

  /** Deleting keeps the form's row (its submissions and leads still name it); the public address stops answering. */
  async function remove(ctx: Ctx, id: string): Promise<void> {
    accessScope(ctx.actor, 'settings', 'update');
    await deps.db.transaction().execute(async (trx) => {
      const current = await load(trx, ctx, id, true);
      await updateWebForm(trx, ctx.actor.workspaceId, id, current.version, { deleted_at: new Date(), enabled: false }, ctx.actor.userId);
      await recordAudit(trx, ctx, { action: 'web_form.delete', objectType: 'web_form', objectId: id, meta: { name: current.name } });
    });
  }

  async function submissions(ctx: Ctx, id: string, q: { limit?: number | undefined; cursor?: string | undefined }): Promise<PageOf<WebFormSubmission>> {
    accessScope(ctx.actor, 'settings', 'update');
    await load(deps.db, ctx, id);
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, ['timestamp', 'uuid']) as [string, string] | undefined;
    const rows = await listSubmissions(deps.db, ctx.actor.workspaceId, id, after, limit);
    const page = toPage(rows, limit, (row) => [row.at_key, row.id]);
    return {
      nextCursor: page.nextCursor,
      items: page.items.map((row) => ({
        id: row.id,
        createdAt: row.created_at.toISOString(),
        leadId: row.lead_id,
        leadName: row.lead_name,
        dealId: row.deal_id,
        dealTitle: row.deal_title,
        matchedContactId: row.matched_contact_id,
        matchedContactName: row.contact_name,
        ownerId: row.owner_id,
        ownerName: row.owner_name,
        utm: row.utm,
        referrer: row.referrer,
        pageUrl: row.page_url,
      })),
    };
  }

  /** A live, enabled form by its public id; anything else is "not found" to the outside. */
  async function liveForm(ex: Executor, id: string, forUpdate = false): Promise<WebFormRow> {
    const row = await findWebFormById(ex, id, forUpdate);
    if (!row || !row.enabled) throw new AppError('not_found', { message: 'No such form, or it no longer takes requests' });
    return row;
  }

  /** The origins whose pages may post to the form (empty: any); "not found" for a form that takes no requests. */
  async function allowedOrigins(id: string): Promise<string[]> {
    return (await liveForm(deps.db, id)).allowed_origins;
  }

  async function publicForm(id: string): Promise<PublicWebForm> {
    const row = await liveForm(deps.db, id);
    return toPublic(row, await customFieldsOf(deps.db, row.workspace_id, 'lead'), await workspaceLocale(deps.db, row.workspace_id));
  }

  /**
   * A website's submission. A filled honeypot gets the usual answer and nothing is written (the bot learns nothing);
   * otherwise the lead, its callback task, the notice and the submission row are made in one transaction.
   */
  async function submit(id: string, values: Record<string, string>, meta: IntakeInput['meta']): Promise<WebFormSubmissionAnswer> {
    const form = await liveForm(deps.db, id);
    const answer = { ok: true, message: form.success_message, redirectUrl: form.redirect_url };
    if ((values[WEB_FORM_HONEYPOT] ?? '').trim() !== '') return answer;
    const scan = workspaceCtx(form.workspace_id, meta);
    const match = await matchContact(peers.records, scan, values);
    const companyId = form.deal_pipeline_id ? await matchCompany(peers.records, scan, values) : null;
    await deps.db.transaction().execute((trx) => intakeLead(trx, deps, peers, { values, source: 'website', productId: null, caller: null, meta, match, companyId, basePath: '/body', lockForm: (ex) => liveForm(ex, id, true) }));
    return answer;
  }

  /** The same intake for other channels, through the API: the caller needs to create leads; the form's rules assign them. */
  async function intake(ctx: Ctx, body: { formId: string; values: Record<string, string>; source?: IntakeInput['source'] | undefined; productId?: string | undefined }): Promise<IntakeResult> {
    accessScope(ctx.actor, 'lead', 'create');
    const lockForm = async (ex: Executor) => {
      const row = await liveForm(ex, body.formId, true);
      if (row.workspace_id !== ctx.actor.workspaceId) throw new AppError('not_found', { message: 'No such form, or it no longer takes requests' });
      return row;
    };
    const match = await matchContact(peers.records, ctx, body.values);
    const companyId = (await liveForm(deps.db, body.formId)).deal_pipeline_id ? await matchCompany(peers.records, ctx, body.values) : null;
    return deps.db.transaction().execute((trx) => intakeLead(trx, deps, peers, { values: body.values, source: body.source ?? 'website', productId: body.productId ?? null, caller: ctx, meta: ctx.meta, match, companyId, basePath: '/body/values', lockForm }));
  }

  return { list, get, create, update, remove, submissions, allowedOrigins, publicForm, submit, intake };
}

export type WebFormService = ReturnType<typeof createWebFormService>;
