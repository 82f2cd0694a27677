import { decimalRule, isCurrencyCode, normalizeDecimal, normalizeEmail, PRODUCT_RULE_MESSAGES, toE164, type DealBody, type ImportCellProblem } from '@rapport/shared';
import { accessScope, isInScope } from '../../core/access-scope.js';
import { AppError } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import type { Executor } from '../../infra/db.js';
import type { ClientRecordService } from '../client-record/client-record.service.js';
import type { DealService } from '../deal/deal.service.js';
import type { PipelineService } from '../pipeline/pipeline.service.js';
import { findUserByLogin } from '../user/user.service.js';
import { readSource } from './import-lead.js';
import type { RowDraft } from './import-row.js';
import { companiesByInnsOrNames } from './import.repository.js';

type Fail = (field: string, code: ImportCellProblem, message: string, params?: Record<string, string | number>) => void;
/** How the row reads numbers and dates (in the file's locale) and local phone numbers (in the import's country). */
export interface DealCellReaders {
  number(text: string): number | null;
  date(text: string): string | null;
  country: string;
}
export interface DealImportDeps {
  deal: Pick<DealService, 'insert'>;
  pipeline: Pick<PipelineService, 'list'>;
  records: Pick<ClientRecordService, 'keyMatches'>;
}

/** A deal's text fields a cell fills as it is (pipeline and stage by name), with their length limits. */
export const DEAL_TEXT_FIELDS: Record<string, number> = { title: 300, pipeline: 200, stage: 200, lostReason: 500, description: 5000 };

const invalid = (fail: Fail, field: string, raw: string, why: string) => fail(field, 'invalid', `${why}: ${raw}`, { value: raw });

/**
 * A deal's own cells: amount and currency checked as a deal's money is, the expected close date in the file's locale,
 * the source as a value or label, and the contact's e-mail or phone and the owner's e-mail that link the deal. False
 * for the fields every object reads alike (title, pipeline, stage, company, tags, custom fields…).
 */
export function readDealCell(field: string, raw: string, draft: RowDraft, fail: Fail, read: DealCellReaders): boolean {
  const set = (value: string) => (draft.fields[field] = draft.values[field] = value);
  switch (field) {
    case 'amount': {
      const number = read.number(raw);
      if (number === null) fail(field, 'number', `not a number: ${raw}`, { value: raw });
      else {
        const rule = decimalRule(String(number));
        if (rule) invalid(fail, field, raw, PRODUCT_RULE_MESSAGES[rule]);
        else set(normalizeDecimal(String(number)));
      }
      return true;
    }
    case 'currency':
      if (isCurrencyCode(raw.toUpperCase())) set(raw.toUpperCase());
      else invalid(fail, field, raw, PRODUCT_RULE_MESSAGES.unknown_currency);
      return true;
    case 'expectedCloseDate': {
      const date = read.date(raw);
      if (date === null) fail(field, 'date', `not a date: ${raw}`, { value: raw });
      else set(date);
      return true;
    }
    case 'source': {
      const source = readSource(raw);
      if (source === undefined) fail(field, 'option', `not one of the options: ${raw}`, { value: raw });
      else set(source);
      return true;
    }
    case 'contactEmail':
    case 'ownerEmail': {
      const email = normalizeEmail(raw);
      if (email === null) fail(field, 'email', `not a valid e-mail address: ${raw}`, { value: raw });
      else set(email);
      return true;
    }
    case 'contactPhone': {
      const e164 = toE164(raw, read.country);
      if (e164 === null) fail(field, 'phone', `not a phone number we can read: ${raw}`, { value: raw });
      else set(e164);
      return true;
    }
    default:
      return false;
  }
}

export function checkDealRow(draft: RowDraft, fail: Fail): void {
  if (draft.fields.title === undefined) fail('title', 'required_title', 'a title is required');
}

const notFound = (path: string, message: string) => new AppError('validation', { message, errors: [{ path: `/body/${path}`, message: 'not found' }] });
const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The pipeline and stage a row names (a stage alone is looked for in the default pipeline first); none: the default's first. */
async function stageOf(trx: Executor, ctx: Ctx, deps: DealImportDeps, pipelineName: string | undefined, stageName: string | undefined): Promise<Pick<DealBody, 'pipelineId' | 'stageId'>> {
  if (pipelineName === undefined && stageName === undefined) return {};
  const pipelines = await deps.pipeline.list(ctx, trx);
  const pipeline = pipelineName === undefined ? undefined : pipelines.find((candidate) => same(candidate.name, pipelineName));
  if (pipelineName !== undefined && !pipeline) throw notFound('pipeline', `No pipeline named "${pipelineName}"`);
  if (stageName === undefined) return { pipelineId: pipeline!.id };
  const among = pipeline ? [pipeline] : [...pipelines].sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  for (const candidate of among) {
    const stage = candidate.stages.find((s) => same(s.name, stageName));
    if (stage) return { pipelineId: candidate.id, stageId: stage.id };
  }
  throw notFound('stage', `No stage named "${stageName}"${pipeline ? ` in the pipeline "${pipeline.name}"` : ''}`);
}

/** The existing company a row names, by INN first, else by name, among those the importer sees; a deal import creates none. */
async function companyOf(trx: Executor, ctx: Ctx, link: NonNullable<RowDraft['company']>): Promise<string> {
  const scope = accessScope(ctx.actor, 'company', 'read');
  const name = link.name?.toLowerCase() ?? null;
  const candidates = await companiesByInnsOrNames(trx, ctx.actor.workspaceId, link.inn ? [link.inn] : [], name ? [name] : []);
  const ranked = [...candidates.filter((company) => link.inn !== null && company.search_tax_ids.includes(link.inn)), ...candidates.filter((company) => name !== null && company.lower_name === name)];
  const found = ranked.find((company) => isInScope(scope, { ownerId: company.owner_id, teamId: company.team_id }));
  if (!found) throw notFound(link.inn ? 'companyInn' : 'companyName', `No company ${link.inn ? `with INN ${link.inn}` : `named "${link.name}"`}`);
  return found.id;
}

/** The existing contact a row names by e-mail or phone, among those the importer sees (the most recently updated). */
async function contactOf(trx: Executor, ctx: Ctx, deps: DealImportDeps, email: string | undefined, phone: string | undefined): Promise<string> {
  const [found] = await deps.records.keyMatches(ctx, 'contact', { phones: phone ? [phone] : [], emails: email ? [email] : [], taxIds: [] }, trx);
  if (!found) throw notFound(email ? 'contactEmail' : 'contactPhone', `No contact with ${email ? `e-mail ${email}` : `phone ${phone}`}`);
  return found.id;
}

/** The active user of the workspace with this e-mail, as the deal's owner. */
async function ownerOf(trx: Executor, ctx: Ctx, email: string): Promise<string> {
  const user = await findUserByLogin(trx, email);
  if (!user || user.workspace_id !== ctx.actor.workspaceId || user.status !== 'active') throw notFound('ownerEmail', `No active user with e-mail ${email}`);
  return user.id;
}

/**
 * One deal row, in the batch's transaction. A deal has no natural key (two deals may share every field), so deals are
 * only created: a row is never matched against existing deals. Its pipeline and stage, company, contact and owner are
 * found by name, INN, e-mail or phone; a row naming one that does not exist is rejected with the reason.
 */
export async function importDealRow(trx: Executor, ctx: Ctx, deps: DealImportDeps, draft: RowDraft, tag: (recordId: string) => Promise<void>): Promise<'created'> {
  const fields = draft.fields as Record<string, string | string[] | undefined>;
  const text = (field: string) => fields[field] as string | undefined;
  const contactEmail = text('contactEmail');
  const contactPhone = text('contactPhone');
  const ownerEmail = text('ownerEmail');
  const body: DealBody = {
    title: text('title')!,
    ...(await stageOf(trx, ctx, deps, text('pipeline'), text('stage'))),
    ...(text('amount') !== undefined ? { amount: text('amount') } : {}),
    ...(text('currency') !== undefined ? { currency: text('currency') } : {}),
    ...(draft.company ? { companyId: await companyOf(trx, ctx, draft.company) } : {}),
    ...(contactEmail || contactPhone ? { contacts: [{ contactId: await contactOf(trx, ctx, deps, contactEmail, contactPhone) }] } : {}),
    ...(ownerEmail ? { ownerId: await ownerOf(trx, ctx, ownerEmail) } : {}),
    ...(text('expectedCloseDate') !== undefined ? { expectedCloseDate: text('expectedCloseDate') } : {}),
    ...(text('source') !== undefined ? { source: text('source') as DealBody['source'] } : {}),
    ...(text('lostReason') !== undefined ? { lostReason: text('lostReason') } : {}),
    ...(text('description') !== undefined ? { description: text('description') } : {}),
    ...(fields.tags ? { tags: fields.tags as string[] } : {}),
    custom: draft.custom,
  };
  await tag(await deps.deal.insert(trx, ctx, body));
  return 'created';
}
