import { COMPANY_KINDS, COMPANY_STATUSES, type Company, type CompanyBody, type CompanyUpdateBody, type MergeBody } from '@rapport/shared';
import { AppError } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import { diffFields } from '../../core/diff.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import { newId } from '../../infra/ids.js';
import type { Insertable } from 'kysely';
import type { CompanyTable } from '../../infra/db-schema.js';
import {
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
  recordsCreated,
  resolveOwner,
  searchEmails,
  searchName,
  searchPhones,
  unite,
  userNames,
  type ClientRow,
  type WriteOptions,
  restoreRecordColumns,
  titleOf,
} from '../client-record/client-record.service.js';
import { applyCustomValues } from '../custom-field/custom-field.service.js';
import { addNote, keptValuesNote, workspaceLocale } from '../timeline/timeline.service.js';
import { ancestorIds, companyNames, findCompanyRow, insertCompanies, repointCompany, updateCompanyRow } from './company.repository.js';

/** The object's fields for lists, filters and search (SQL lives in the repository). */
export { COMPANY_DEF } from './company.repository.js';


type Fields = Record<string, unknown>;
const AUDITED: string[] = ['name', 'legal_name', 'kind', 'industry', 'vat', 'inn', 'kpp', 'ogrn', 'legal_address', 'actual_address', 'phones', 'emails', 'website', 'parent_id', 'status', 'owner_id', 'team_id', 'tags', 'custom'];

/** A new company checked and computed, not written yet: an import's batch writes many at once. */
export interface PreparedCompany {
  row: Insertable<CompanyTable> & { id: string; name: string; owner_id: string; team_id: string | null };
  kept: string[];
}

const taxIds = (row: { inn?: string | null; vat?: string | null; ogrn?: string | null }) => [row.inn, row.vat, row.ogrn].filter((value): value is string => !!value);

export async function toCompanies(ex: Executor, workspaceId: string, rows: ClientRow[]): Promise<Company[]> {
  const owners = await userNames(ex, workspaceId, rows.map((row) => row.owner_id));
  const parents = await companyNames(ex, workspaceId, rows.map((row) => row.parent_id as string | null).filter((id): id is string => id !== null));
  return rows.map((r) => {
    const row = r as unknown as CompanyRowShape;
    return {
      id: row.id,
      name: row.name,
      legalName: row.legal_name,
      kind: row.kind,
      industry: row.industry,
      vat: row.vat,
      inn: row.inn,
      kpp: row.kpp,
      ogrn: row.ogrn,
      legalAddress: row.legal_address,
      actualAddress: row.actual_address,
      phones: formatPhones(row.phones),
      emails: row.emails as Company['emails'],
      website: row.website,
      parentId: row.parent_id,
      parentName: row.parent_id ? (parents.get(row.parent_id) ?? null) : null,
      status: row.status,
      ...recordMeta(row, owners),
    };
  });
}

type CompanyRowShape = ClientRow & {
  name: string;
  legal_name: string | null;
  kind: Company['kind'];
  industry: string | null;
  vat: string | null;
  inn: string | null;
  kpp: string | null;
  ogrn: string | null;
  legal_address: string | null;
  actual_address: string | null;
  website: string | null;
  parent_id: string | null;
  status: Company['status'];
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
};

export function createCompanyService(deps: ServiceDeps) {
  async function one(ex: Executor, workspaceId: string, row: ClientRow): Promise<Company> {
    return (await toCompanies(ex, workspaceId, [row]))[0]!;
  }

  async function checkParent(ex: Executor, ctx: Ctx, id: string | undefined, parentId: string | null | undefined): Promise<void> {
    if (!parentId) return;
    await loadRecord(ex, ctx, 'company', parentId).catch(() => {
      throw new AppError('validation', { message: 'No such parent company', errors: [{ path: '/body/parentId', message: 'no such company' }] });
    });
    if (id && (parentId === id || (await ancestorIds(ex, ctx.actor.workspaceId, parentId)).includes(id))) {
      throw new AppError('validation', { message: 'A company cannot be its own branch', errors: [{ path: '/body/parentId', message: 'would make a cycle' }] });
    }
  }

  async function get(ctx: Ctx, id: string): Promise<Company> {
    const row = await loadRecord(deps.db, ctx, 'company', id);
    return one(deps.db, ctx.actor.workspaceId, row);
  }

  /** Checks a new company and computes its row; throws what is wrong with it before anything is written. */
  async function prepare(trx: Executor, ctx: Ctx, input: CompanyBody, options: WriteOptions = {}): Promise<PreparedCompany> {
    const { workspaceId, userId } = ctx.actor;
    const country = options.country ?? (await getWorkspaceCountry(trx, workspaceId));
    const points = normalizeContactPoints(input.phones, input.emails, country, input.keepInvalidAsNote ?? false);
    const custom = applyCustomValues(options.customFields ?? (await customFieldsOf(trx, workspaceId, 'company')), {}, input.custom);
    const owner = await resolveOwner(trx, ctx, 'company', input.ownerId, input.teamId);
    await checkParent(trx, ctx, undefined, input.parentId);
    const names = {
      name: input.name.trim(),
      legal_name: input.legalName?.trim() || null,
      inn: input.inn ?? null,
      vat: input.vat?.trim() || null,
      ogrn: input.ogrn ?? null,
    };
    const row = {
      workspace_id: workspaceId,
      id: newId(),
      ...names,
      kind: input.kind ?? 'prospect',
      industry: input.industry?.trim() || null,
      kpp: input.kpp ?? null,
      legal_address: input.legalAddress?.trim() || null,
      actual_address: input.actualAddress?.trim() || null,
      phones: JSON.stringify(points.phones),
      emails: JSON.stringify(points.emails),
      website: input.website?.trim() || null,
      parent_id: input.parentId ?? null,
      status: input.status ?? 'active',
      owner_id: owner.ownerId,
      team_id: owner.teamId,
      tags: [...new Set(input.tags ?? [])],
      custom: JSON.stringify(custom),
      search_name: searchName(names.name, names.legal_name),
      search_phones: searchPhones(points.phones),
      search_emails: searchEmails(points.emails),
      search_tax_ids: taxIds(names),
      created_by: userId,
      updated_by: userId,
    };
    return { row, kept: points.kept };
  }

  /** Writes prepared companies with their audit entries and event: a few statements for a whole batch. */
  async function insertPrepared(trx: Executor, ctx: Ctx, prepared: PreparedCompany[]): Promise<void> {
    if (prepared.length === 0) return;
    await insertCompanies(trx, prepared.map((company) => company.row));
    await recordsCreated(trx, ctx, 'company', prepared.map(({ row }) => ({ id: row.id, ownerId: row.owner_id, teamId: row.team_id, meta: { name: row.name } })));
    for (const company of prepared.filter((c) => c.kept.length > 0)) await addNote(trx, ctx, 'company', company.row.id, keptValuesNote(await workspaceLocale(trx, ctx.actor.workspaceId), company.kept));
  }

  /** Creates a company in the caller's transaction (lead conversion uses it too). */
  async function insert(trx: Executor, ctx: Ctx, input: CompanyBody, options: WriteOptions = {}): Promise<string> {
    const company = await prepare(trx, ctx, input, options);
    await insertPrepared(trx, ctx, [company]);
    return company.row.id;
  }

  async function create(ctx: Ctx, input: CompanyBody): Promise<Company> {
    return deps.db.transaction().execute(async (trx) => {
      const id = await insert(trx, ctx, input);
      return one(trx, ctx.actor.workspaceId, (await findCompanyRow(trx, ctx.actor.workspaceId, id)) as unknown as ClientRow);
    });
  }

  /** Updates a company in the caller's transaction (an import writes many in one). */
  async function updateIn(trx: Executor, ctx: Ctx, id: string, patch: Omit<CompanyUpdateBody, 'version'>, version: number | undefined, options: WriteOptions = {}): Promise<Company> {
    const { workspaceId, userId } = ctx.actor;
    const basis = await beginUpdate(trx, ctx, 'company', id, patch, version, options);
    const { expected, points, custom, owner } = basis;
    const before = basis.before as unknown as CompanyRowShape;
    await checkParent(trx, ctx, id, patch.parentId);
    const next = {
      name: patch.name?.trim() ?? before.name,
      legal_name: patch.legalName !== undefined ? patch.legalName?.trim() || null : before.legal_name,
      inn: patch.inn !== undefined ? patch.inn : before.inn,
      vat: patch.vat !== undefined ? patch.vat?.trim() || null : before.vat,
      ogrn: patch.ogrn !== undefined ? patch.ogrn : before.ogrn,
    };
    const phones = patch.phones ? points!.phones : before.phones;
    const emails = patch.emails ? points!.emails : before.emails;
    const after = await updateCompanyRow(trx, workspaceId, id, expected, {
      ...next,
      kind: patch.kind,
      industry: patch.industry !== undefined ? patch.industry?.trim() || null : undefined,
      kpp: patch.kpp,
      legal_address: patch.legalAddress !== undefined ? patch.legalAddress?.trim() || null : undefined,
      actual_address: patch.actualAddress !== undefined ? patch.actualAddress?.trim() || null : undefined,
      phones: patch.phones ? JSON.stringify(phones) : undefined,
      emails: patch.emails ? JSON.stringify(emails) : undefined,
      website: patch.website !== undefined ? patch.website?.trim() || null : undefined,
      parent_id: patch.parentId,
      status: patch.status,
      owner_id: owner?.ownerId,
      team_id: owner ? owner.teamId : patch.teamId,
      tags: patch.tags ? [...new Set(patch.tags)] : undefined,
      custom: custom ? JSON.stringify(custom) : undefined,
      search_name: searchName(next.name, next.legal_name),
      search_phones: searchPhones(phones),
      search_emails: searchEmails(emails),
      search_tax_ids: taxIds(next),
      updated_by: userId,
    });
    if (!after) throw new AppError('version_conflict', { message: `The company was changed by someone else (now version ${before.version}); reload it`, currentVersion: before.version });
    await recordChanged(trx, ctx, 'company', id, 'update', { changes: diffFields(before as unknown as Fields, after as unknown as Fields, AUDITED) });
    if (points && points.kept.length > 0) await addNote(trx, ctx, 'company', id, keptValuesNote(await workspaceLocale(trx, workspaceId), points.kept));
    return one(trx, workspaceId, after as unknown as ClientRow);
  }

  async function update(ctx: Ctx, id: string, patch: Omit<CompanyUpdateBody, 'version'>, version: number | undefined): Promise<Company> {
    return deps.db.transaction().execute((trx) => updateIn(trx, ctx, id, patch, version));
  }

  /** Merges companies into the survivor: chosen field values, united phones/e-mails/tags, and every person, branch, note moved. */
  async function merge(ctx: Ctx, input: MergeBody): Promise<Company> {
    const { workspaceId, userId } = ctx.actor;
    return deps.db.transaction().execute(async (trx) => {
      const { survivor, merged } = await mergeRecords(trx, ctx, 'company', input.survivorId, input.mergedIds);
      const all = [survivor, ...merged] as unknown as CompanyRowShape[];
      const pick = <T,>(field: string, read: (row: CompanyRowShape) => T) => pickMergedValue(field, input.fields, survivor, merged, (row) => read(row as unknown as CompanyRowShape));
      const next = { name: pick('name', (r) => r.name), legal_name: pick('legalName', (r) => r.legal_name), inn: pick('inn', (r) => r.inn), vat: pick('vat', (r) => r.vat), ogrn: pick('ogrn', (r) => r.ogrn) };
      const phones = unite(all, (r) => r.phones, (p) => p.e164 ?? p.number);
      const emails = unite(all, (r) => r.emails, (e) => e.email);
      const custom = mergeCustom(all, input.fields);
      await repointCompany(trx, workspaceId, merged.map((row) => row.id), survivor.id);
      const after = await updateCompanyRow(trx, workspaceId, survivor.id, survivor.version, {
        ...next,
        kind: pick('kind', (r) => r.kind),
        industry: pick('industry', (r) => r.industry),
        kpp: pick('kpp', (r) => r.kpp),
        legal_address: pick('legalAddress', (r) => r.legal_address),
        actual_address: pick('actualAddress', (r) => r.actual_address),
        website: pick('website', (r) => r.website),
        status: pick('status', (r) => r.status),
        parent_id: pick('parentId', (r) => (merged.some((m) => m.id === r.parent_id) ? null : r.parent_id)),
        phones: JSON.stringify(phones),
        emails: JSON.stringify(emails),
        tags: unite(all, (r) => r.tags, (t) => t),
        custom: JSON.stringify(custom),
        search_name: searchName(next.name, next.legal_name),
        search_phones: searchPhones(phones),
        search_emails: searchEmails(emails),
        search_tax_ids: taxIds(next),
        updated_by: userId,
      });
      await recordChanged(trx, ctx, 'company', survivor.id, 'merge', { changes: diffFields(survivor as unknown as Fields, after as unknown as Fields, AUDITED), meta: { merged: merged.map((row) => ({ id: row.id, title: titleOf('company', row) })) } });
      return one(trx, workspaceId, after as unknown as ClientRow);
    });
  }

  /** Bulk "set field" for one company: a system field marked bulk-editable, or a custom field. */
  async function setField(ctx: Ctx, id: string, field: string, value: unknown): Promise<void> {
    const row = await loadRecord(deps.db, ctx, 'company', id, 'update');
    if (field.startsWith('custom.')) {
      await update(ctx, id, { custom: { [field.slice('custom.'.length)]: value } }, row.version);
      return;
    }
    const patch: Omit<CompanyUpdateBody, 'version'> = {};
    if (field === 'kind' && COMPANY_KINDS.includes(value as Company['kind'])) patch.kind = value as Company['kind'];
    else if (field === 'status' && COMPANY_STATUSES.includes(value as Company['status'])) patch.status = value as Company['status'];
    else if (field === 'industry' && (typeof value === 'string' || value === null)) patch.industry = value;
    else throw new AppError('validation', { message: 'This field cannot be set in bulk, or the value does not fit it', errors: [{ path: '/body/value', message: `not a value for ${field}` }] });
    await update(ctx, id, patch, row.version);
  }

  /** Puts stored column values back (an import's undo), in the caller's transaction; false when changed since `version`. */
  async function restoreColumns(trx: Executor, ctx: Ctx, id: string, columns: Record<string, unknown>, version: number, meta: Record<string, unknown>): Promise<boolean> {
    return restoreRecordColumns(trx, ctx, { object: 'company', id, columns, meta, audited: AUDITED }, (values) => updateCompanyRow(trx, ctx.actor.workspaceId, id, version, values));
  }

  return { get, prepare, insertPrepared, insert, create, update, updateIn, restoreColumns, merge, setField, toCompanies: (rows: ClientRow[], workspaceId: string) => toCompanies(deps.db, workspaceId, rows) };
}

export type CompanyService = ReturnType<typeof createCompanyService>;
