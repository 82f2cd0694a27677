import { LEAD_SOURCES, LEAD_STATUSES, type Lead, type LeadBody, type LeadConvertBody, type LeadUpdateBody, type MergeBody } from '@rapport/shared';
import { accessScope } from '../../core/access-scope.js';
import { AppError, requireVersion } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import { diffFields } from '../../core/diff.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import { newId } from '../../infra/ids.js';
import {
  copyActivityLinks,
  customFieldsOf,
  formatPhones,
  getWorkspaceCountry,
  beginUpdate,
  loadRecord,
  mergeCustom,
  mergeRecords,
  normalizeContactPoints,
  pickMergedValue,
  recordChanged,
  recordMeta,
  resolveOwner,
  restoreRecordColumns,
  searchEmails,
  searchName,
  searchPhones,
  unite,
  userNames,
  type ClientRecordService,
  type ClientRow,
  type WriteOptions,
  titleOf,
} from '../client-record/client-record.service.js';
import type { CompanyService } from '../company/company.service.js';
import type { ContactService } from '../contact/contact.service.js';
import type { DealService } from '../deal/deal.service.js';
import { applyCustomValues } from '../custom-field/custom-field.service.js';
import { addNote, keptValuesNote, workspaceLocale } from '../timeline/timeline.service.js';
import { findLeadRow, insertLead, updateLeadRow } from './lead.repository.js';

/** The object's fields for lists, filters and search (SQL lives in the repository). */
export { LEAD_DEF } from './lead.repository.js';


type Fields = Record<string, unknown>;
const AUDITED = ['name', 'company_name', 'position', 'phones', 'emails', 'source', 'status', 'disqualify_reason', 'description', 'owner_id', 'team_id', 'tags', 'custom', 'converted_contact_id', 'converted_company_id'];

type LeadRowShape = ClientRow & {
  name: string;
  company_name: string | null;
  position: string | null;
  source: Lead['source'];
  status: Lead['status'];
  disqualify_reason: string | null;
  description: string | null;
  converted_at: Date | null;
  converted_contact_id: string | null;
  converted_company_id: string | null;
  utm: Lead['utm'];
  matched_contact_id: string | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
};

export async function toLeads(ex: Executor, workspaceId: string, rows: ClientRow[]): Promise<Lead[]> {
  const owners = await userNames(ex, workspaceId, rows.map((row) => row.owner_id));
  return rows.map((r) => {
    const row = r as unknown as LeadRowShape;
    return {
      id: row.id,
      name: row.name,
      companyName: row.company_name,
      position: row.position,
      phones: formatPhones(row.phones),
      emails: row.emails as Lead['emails'],
      source: row.source,
      status: row.status,
      disqualifyReason: row.disqualify_reason,
      description: row.description,
      convertedAt: row.converted_at?.toISOString() ?? null,
      convertedContactId: row.converted_contact_id,
      convertedCompanyId: row.converted_company_id,
      ...recordMeta(row, owners),
      utm: row.utm,
      matchedContactId: row.matched_contact_id,
    };
  });
}

function checkDisqualification(status: Lead['status'], reason: string | null): void {
  if (status === 'disqualified' && !reason) throw new AppError('validation', { message: 'Say why the lead is disqualified', errors: [{ path: '/body/disqualifyReason', message: 'required when disqualifying' }] });
}

/** Splits "Ivan Petrovich Ivanov" into first / middle / last for the contact a lead becomes. */
export function splitName(name: string): { firstName: string; middleName: string | null; lastName: string | null } {
  const parts = name.trim().split(/\s+/);
  if (parts.length === 1) return { firstName: parts[0]!, middleName: null, lastName: null };
  if (parts.length === 2) return { firstName: parts[0]!, middleName: null, lastName: parts[1]! };
  return { firstName: parts[0]!, middleName: parts.slice(1, -1).join(' '), lastName: parts.at(-1)! };
}

export interface LeadServicePeers {
  contact: ContactService;
  company: CompanyService;
  records: ClientRecordService;
  deal: DealService;
}

export function createLeadService(deps: ServiceDeps, peers: LeadServicePeers) {
  async function one(ex: Executor, workspaceId: string, row: ClientRow): Promise<Lead> {
    return (await toLeads(ex, workspaceId, [row]))[0]!;
  }

  async function get(ctx: Ctx, id: string): Promise<Lead> {
    return one(deps.db, ctx.actor.workspaceId, await loadRecord(deps.db, ctx, 'lead', id));
  }

  async function create(ctx: Ctx, input: LeadBody): Promise<Lead> {
    return deps.db.transaction().execute(async (trx) => {
      const id = await insert(trx, ctx, input);
      return one(trx, ctx.actor.workspaceId, (await findLeadRow(trx, ctx.actor.workspaceId, id)) as unknown as ClientRow);
    });
  }

  /** Creates a lead in the caller's transaction (web-form intake adds its campaign tags and recognised contact); returns its id. */
  async function insert(trx: Executor, ctx: Ctx, input: LeadBody, capture: { utm?: Lead['utm']; matchedContactId?: string | null } = {}): Promise<string> {
    const { workspaceId, userId } = ctx.actor;
    const id = newId();
    const country = await getWorkspaceCountry(trx, workspaceId);
    const points = normalizeContactPoints(input.phones, input.emails, country, input.keepInvalidAsNote ?? false);
    const custom = applyCustomValues(await customFieldsOf(trx, workspaceId, 'lead'), {}, input.custom);
    const owner = await resolveOwner(trx, ctx, 'lead', input.ownerId, input.teamId);
    const status = input.status ?? 'new';
    checkDisqualification(status, input.disqualifyReason?.trim() || null);
    const name = input.name.trim();
    const companyName = input.companyName?.trim() || null;
    await insertLead(trx, {
      workspace_id: workspaceId,
      id,
      name,
      company_name: companyName,
      position: input.position?.trim() || null,
      phones: JSON.stringify(points.phones),
      emails: JSON.stringify(points.emails),
      source: input.source ?? 'other',
      status,
      disqualify_reason: input.disqualifyReason?.trim() || null,
      description: input.description?.trim() || null,
      owner_id: owner.ownerId,
      team_id: owner.teamId,
      tags: [...new Set(input.tags ?? [])],
      custom: JSON.stringify(custom),
      utm: JSON.stringify(capture.utm ?? {}),
      matched_contact_id: capture.matchedContactId ?? null,
      search_name: searchName(name, companyName),
      search_phones: searchPhones(points.phones),
      search_emails: searchEmails(points.emails),
      // A form's lead was made by nobody in the workspace; the audit trail names the form.
      created_by: ctx.actor.via === 'form' ? null : userId,
      updated_by: ctx.actor.via === 'form' ? null : userId,
    });
    await recordChanged(trx, ctx, 'lead', id, 'create', { meta: { name } });
    if (points.kept.length > 0) await addNote(trx, ctx, 'lead', id, keptValuesNote(await workspaceLocale(trx, workspaceId), points.kept));
    return id;
  }

  /** Updates a lead in the caller's transaction (an import writes many in one). */
  async function updateIn(trx: Executor, ctx: Ctx, id: string, patch: Omit<LeadUpdateBody, 'version'>, version: number | undefined, options: WriteOptions = {}): Promise<Lead> {
    const { workspaceId, userId } = ctx.actor;
    const basis = await beginUpdate(trx, ctx, 'lead', id, patch, version, options);
    const { expected, points, custom, owner } = basis;
    const before = basis.before as unknown as LeadRowShape;
    const status = patch.status ?? before.status;
    const reason = patch.disqualifyReason !== undefined ? patch.disqualifyReason?.trim() || null : before.disqualify_reason;
    checkDisqualification(status, reason);
    const name = patch.name?.trim() ?? before.name;
    const companyName = patch.companyName !== undefined ? patch.companyName?.trim() || null : before.company_name;
    const phones = patch.phones ? points!.phones : before.phones;
    const emails = patch.emails ? points!.emails : before.emails;
    const after = await updateLeadRow(trx, workspaceId, id, expected, {
      name,
      company_name: companyName,
      position: patch.position !== undefined ? patch.position?.trim() || null : undefined,
      phones: patch.phones ? JSON.stringify(phones) : undefined,
      emails: patch.emails ? JSON.stringify(emails) : undefined,
      source: patch.source,
      status,
      disqualify_reason: status === 'disqualified' ? reason : null,
      description: patch.description !== undefined ? patch.description?.trim() || null : undefined,
      owner_id: owner?.ownerId,
      team_id: owner ? owner.teamId : patch.teamId,
      tags: patch.tags ? [...new Set(patch.tags)] : undefined,
      custom: custom ? JSON.stringify(custom) : undefined,
      search_name: searchName(name, companyName),
      search_phones: searchPhones(phones),
      search_emails: searchEmails(emails),
      updated_by: userId,
    });
    if (!after) throw new AppError('version_conflict', { message: `The lead was changed by someone else (now version ${before.version}); reload it`, currentVersion: before.version });
    await recordChanged(trx, ctx, 'lead', id, 'update', { changes: diffFields(before as unknown as Fields, after as unknown as Fields, AUDITED) });
    if (points && points.kept.length > 0) await addNote(trx, ctx, 'lead', id, keptValuesNote(await workspaceLocale(trx, workspaceId), points.kept));
    return one(trx, workspaceId, after as unknown as ClientRow);
  }

  async function update(ctx: Ctx, id: string, patch: Omit<LeadUpdateBody, 'version'>, version: number | undefined): Promise<Lead> {
    return deps.db.transaction().execute((trx) => updateIn(trx, ctx, id, patch, version));
  }

  /** Puts stored column values back (an import's undo), in the caller's transaction; false when changed since `version`. */
  async function restoreColumns(trx: Executor, ctx: Ctx, id: string, columns: Record<string, unknown>, version: number, meta: Record<string, unknown>): Promise<boolean> {
    return restoreRecordColumns(trx, ctx, { object: 'lead', id, columns, meta, audited: AUDITED }, (values) => updateLeadRow(trx, ctx.actor.workspaceId, id, version, values));
  }

  /** Existing contacts and companies the lead likely is: converting should link to them, not duplicate them. */
  async function convertPreview(ctx: Ctx, id: string) {
    const lead = (await loadRecord(deps.db, ctx, 'lead', id)) as unknown as LeadRowShape;
    const draft = { phones: lead.phones.map((phone) => ({ number: phone.e164 ?? phone.number })), emails: lead.emails.map((entry) => ({ email: entry.email })) };
    const contacts = await peers.records.duplicates(ctx, 'contact', { ...draft, name: lead.name, companyIds: [] });
    const companies = lead.company_name ? await peers.records.duplicates(ctx, 'company', { name: lead.company_name }) : [];
    return { contacts, companies };
  }

  /** Turns a lead into a contact (new or existing), optionally a company and a deal; the lead's notes come along. */
  async function convert(ctx: Ctx, id: string, input: LeadConvertBody, version: number | undefined) {
    const expected = requireVersion(version);
    return deps.db.transaction().execute((trx) => convertIn(trx, ctx, id, input, expected));
  }

  /** The conversion inside the caller's transaction (a web form converts the lead it has just made). */
  async function convertIn(trx: Executor, ctx: Ctx, id: string, input: Omit<LeadConvertBody, 'version'>, expected: number) {
    const { workspaceId, userId } = ctx.actor;
    const lead = (await loadRecord(trx, ctx, 'lead', id, 'update')) as unknown as LeadRowShape;
    if (lead.converted_at) throw new AppError('conflict', { message: 'The lead is already converted' });
    let companyId: string | null = null;
    if (input.company.mode === 'existing') {
      companyId = (await loadRecord(trx, ctx, 'company', input.company.id)).id;
    } else if (input.company.mode === 'new') {
      if (!lead.company_name) throw new AppError('validation', { message: 'The lead has no company name', errors: [{ path: '/body/company/mode', message: 'the lead names no company' }] });
      accessScope(ctx.actor, 'company', 'create');
      companyId = await peers.company.insert(trx, ctx, { name: lead.company_name, kind: 'prospect', ownerId: lead.owner_id });
    }
    let contactId: string;
    if (input.contact.mode === 'existing') {
      // Linking the contact to the company changes the contact.
      contactId = (await loadRecord(trx, ctx, 'contact', input.contact.id, companyId ? 'update' : 'read')).id;
      if (companyId) await peers.contact.linkCompany(trx, workspaceId, contactId, companyId, lead.position);
    } else {
      accessScope(ctx.actor, 'contact', 'create');
      contactId = await peers.contact.insert(trx, ctx, {
        ...splitName(lead.name),
        position: lead.position,
        phones: lead.phones.map((phone) => ({ type: phone.type as 'work', number: phone.e164 ?? phone.number })),
        emails: lead.emails.map((entry) => ({ type: entry.type as 'work', email: entry.email })),
        source: 'lead',
        ownerId: lead.owner_id,
        tags: lead.tags,
        companies: companyId ? [{ companyId, role: lead.position, isPrimary: true }] : [],
      });
    }
    await copyActivityLinks(trx, workspaceId, 'lead', id, 'contact', contactId);
    if (companyId) await copyActivityLinks(trx, workspaceId, 'lead', id, 'company', companyId);
    let dealId: string | null = null;
    if (input.deal) {
      dealId = await peers.deal.insert(trx, ctx, {
        title: lead.company_name ?? lead.name,
        ...(input.deal.pipelineId ? { pipelineId: input.deal.pipelineId } : {}),
        companyId,
        contacts: [{ contactId, role: lead.position }],
        source: lead.source,
        // The campaign the web form recorded with the lead (its utm_campaign) follows it to the deal.
        campaign: lead.utm.utm_campaign ?? null,
        description: lead.description,
        ownerId: lead.owner_id,
      });
      await copyActivityLinks(trx, workspaceId, 'lead', id, 'deal', dealId);
    }
    const after = await updateLeadRow(trx, workspaceId, id, expected, { status: 'qualified', converted_at: deps.clock.now(), converted_contact_id: contactId, converted_company_id: companyId, updated_by: userId });
    if (!after) throw new AppError('version_conflict', { message: `The lead was changed by someone else (now version ${lead.version}); reload it`, currentVersion: lead.version });
    await recordChanged(trx, ctx, 'lead', id, 'convert', { changes: diffFields(lead as unknown as Fields, after as unknown as Fields, AUDITED), meta: { contactId, companyId, dealId } });
    await recordChanged(trx, ctx, 'contact', contactId, 'convert', { meta: { leadId: id, leadName: lead.name } });
    return { lead: await one(trx, workspaceId, after as unknown as ClientRow), contactId, companyId, dealId };
  }

  async function merge(ctx: Ctx, input: MergeBody): Promise<Lead> {
    const { workspaceId, userId } = ctx.actor;
    return deps.db.transaction().execute(async (trx) => {
      const { survivor, merged } = await mergeRecords(trx, ctx, 'lead', input.survivorId, input.mergedIds);
      const all = [survivor, ...merged] as unknown as LeadRowShape[];
      const pick = <T,>(field: string, read: (row: LeadRowShape) => T) => pickMergedValue(field, input.fields, survivor, merged, (row) => read(row as unknown as LeadRowShape));
      const name = pick('name', (r) => r.name);
      const companyName = pick('companyName', (r) => r.company_name);
      const phones = unite(all, (r) => r.phones, (p) => p.e164 ?? p.number);
      const emails = unite(all, (r) => r.emails, (e) => e.email);
      const custom = mergeCustom(all, input.fields);
      const after = await updateLeadRow(trx, workspaceId, survivor.id, survivor.version, {
        name,
        company_name: companyName,
        position: pick('position', (r) => r.position),
        source: pick('source', (r) => r.source),
        description: pick('description', (r) => r.description),
        phones: JSON.stringify(phones),
        emails: JSON.stringify(emails),
        tags: unite(all, (r) => r.tags, (t) => t),
        custom: JSON.stringify(custom),
        search_name: searchName(name, companyName),
        search_phones: searchPhones(phones),
        search_emails: searchEmails(emails),
        updated_by: userId,
      });
      await recordChanged(trx, ctx, 'lead', survivor.id, 'merge', { changes: diffFields(survivor as unknown as Fields, after as unknown as Fields, AUDITED), meta: { merged: merged.map((row) => ({ id: row.id, title: titleOf('lead', row) })) } });
      return one(trx, workspaceId, after as unknown as ClientRow);
    });
  }

  async function setField(ctx: Ctx, id: string, field: string, value: unknown): Promise<void> {
    const row = await loadRecord(deps.db, ctx, 'lead', id, 'update');
    if (field.startsWith('custom.')) {
      await update(ctx, id, { custom: { [field.slice('custom.'.length)]: value } }, row.version);
      return;
    }
    const patch: Omit<LeadUpdateBody, 'version'> = {};
    if (field === 'source' && LEAD_SOURCES.includes(value as Lead['source'])) patch.source = value as Lead['source'];
    else if (field === 'status' && LEAD_STATUSES.includes(value as Lead['status']) && value !== 'disqualified') patch.status = value as Lead['status'];
    else throw new AppError('validation', { message: 'This field cannot be set in bulk, or the value does not fit it', errors: [{ path: '/body/value', message: `not a value for ${field}` }] });
    await update(ctx, id, patch, row.version);
  }

  return { get, create, insert, update, updateIn, restoreColumns, convertPreview, convert, convertIn, merge, setField, toLeads: (rows: ClientRow[], workspaceId: string) => toLeads(deps.db, workspaceId, rows) };
}

export type LeadService = ReturnType<typeof createLeadService>;
