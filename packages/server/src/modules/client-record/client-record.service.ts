import {
  formatPhone,
  normalizeEmail,
  parseFilter,
  toE164,
  type ClientObject,
  type CustomField,
  type CustomValues,
  type BulkBody,
  type BulkResult,
  type DeletedRecord,
  type DuplicateCandidate,
  type EmailInput,
  type FieldError,
  type FieldKind,
  type FilterField,
  type ObjectField,
  type PageOf,
  type PhoneInput,
  type RecordIds,
  type RecordIdsQuery,
  type RecordListQuery,
  type SearchHit,
  type SearchResult,
} from '@rapport/shared';
import { accessScope, can, isInScope, type AccessScope } from '../../core/access-scope.js';
import { AppError, requireVersion } from '../../core/app-error.js';
import { assertWritable } from '../../core/field-rules.js';
import type { Ctx } from '../../core/context.js';
import { decodeCursor, encodeCursor } from '../../core/pagination.js';
import { diffFields } from '../../core/diff.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import type { EmailValue, PhoneValue } from '../../infra/db-schema.js';
import type { FilterColumns } from '../../infra/filter-sql.js';
import { recordAudit, recordAudits } from '../audit/audit.service.js';
import { applyCustomValues, customFieldsOf } from '../custom-field/custom-field.service.js';
import { emit } from '../outbox/outbox.service.js';
import { teamExists } from '../team/team.service.js';
import { findUserById } from '../user/user.service.js';
import { getWorkspaceCountry } from '../workspace/workspace.service.js';
import {
  countRecords,
  estimateRecords,
  listRankedIds,
  nameWalkable,
  pageByNameWalk,
  recordsInOrder,
  type ListParams,
  customColumn,
  customSort,
  duplicateRows,
  findRecord,
  keyMatches,
  insertAlias,
  listIds,
  listDeleted,
  listRecords,
  moveActivityLinks,
  resolveAlias,
  setDeleted,
  setOwner,
  setTags,
  userNames,
  type ClientRow,
  type FieldSort,
  type SortSpec,
  type ObjectDef,
} from './client-record.repository.js';
import { searchRecords, similarWords } from './search.repository.js';

export type { ClientRow, ObjectDef, SystemField } from './client-record.repository.js';
export { aliasesOf, copyActivityLinks } from './client-record.repository.js';

const FILTER_TYPE: Record<FieldKind, FilterField['type']> = {
  text: 'text',
  phone: 'text',
  email: 'text',
  url: 'text',
  number: 'number',
  money: 'number',
  date: 'date',
  datetime: 'date',
  boolean: 'boolean',
  select: 'enum',
  multiselect: 'enum',
  user: 'uuid',
  relation: 'uuid',
};
const FILTER_OPS: Record<FilterField['type'], string[]> = {
  text: ['eq', 'neq', 'contains', 'in', 'empty', 'not_empty'],
  number: ['eq', 'neq', 'in', 'gt', 'gte', 'lt', 'lte', 'between', 'empty', 'not_empty'],
  date: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'empty', 'not_empty'],
  boolean: ['eq', 'neq', 'empty', 'not_empty'],
  enum: ['eq', 'neq', 'in', 'empty', 'not_empty'],
  uuid: ['eq', 'neq', 'in', 'empty', 'not_empty'],
};
/** Lists count exactly up to here and say "1,000+" beyond: counting further costs more than the page itself. */
const LIST_COUNT_CAP = 1_000;
/**
 * Counting even a capped 1,000 matches of a common filter reads thousands of index entries (a tag's whole posting list,
 * say): most of a big list's time. When the planner expects twice the cap, the list says "1,000+" without counting (a
 * planner that overestimates more than twofold can make a list of 500–1,000 read "1,000+": an estimate, as lists promise).
 */
const ESTIMATE_INSTEAD_OF_COUNT = 2 * LIST_COUNT_CAP;
/**
 * Name-index entries a "name contains" list walks for its page before it reads the matches instead (≈0.2 µs an entry;
 * the walk stops at its page's last match): a fragment in 0.13 % of the names fills a page of 50 within it, so a
 * fragment that a million names hold more than the count's cap of times almost always does. A rarer one costs the
 * walk (≈9 ms) and then its few matches read from the table; a common one read that way costs 50–200 ms.
 */
const NAME_WALK_SPAN = 40_000;
/** "Select all matching" takes at most this many ids into one bulk run. */
const IDS_CAP = 10_000;

/** System and custom fields of an object: the filter grammar's field table, the SQL each reads, and the catalogue for the web. */
export function catalogue(def: ObjectDef, customFields: CustomField[]) {
  const filterFields: Record<string, FilterField> = {};
  const columns: FilterColumns = {};
  const sorts: Record<string, FieldSort> = {};
  const items: ObjectField[] = [];
  for (const field of def.fields) {
    if (field.sort) sorts[field.key] = field.sort;
    filterFields[field.key] = { type: FILTER_TYPE[field.kind], ...(field.options ? { values: field.options } : {}) };
    columns[field.key] = field.column;
    items.push({
      key: field.key,
      labelKey: `fields.${def.object}.${field.key}`,
      label: null,
      kind: field.kind,
      options: (field.options ?? []).map((value) => ({ value, label: null })),
      filterOps: FILTER_OPS[FILTER_TYPE[field.kind]],
      sortable: field.sort !== undefined,
      custom: false,
      bulkEditable: field.bulkColumn !== undefined,
      target: field.kind === 'user' ? 'user' : (field.target ?? null),
    });
  }
  for (const field of customFields) {
    const key = `custom.${field.key}`;
    // Filterable is the admin's "use this field to find records": it also makes the field sortable.
    const sort = field.filterable ? customSort(field) : undefined;
    if (sort) sorts[key] = { expr: sort };
    if (field.filterable) {
      filterFields[key] = { type: FILTER_TYPE[field.kind], ...(field.options.length > 0 ? { values: field.options.map((option) => option.value) } : {}) };
      columns[key] = customColumn(field);
    }
    items.push({
      key,
      labelKey: null,
      label: field.label,
      kind: field.kind,
      options: field.options.map((option) => ({ value: option.value, label: option.label })),
      filterOps: field.filterable ? FILTER_OPS[FILTER_TYPE[field.kind]] : [],
      sortable: sort !== undefined,
      custom: true,
      bulkEditable: true,
      target: field.kind === 'user' ? 'user' : field.kind === 'relation' ? field.relationObject : null,
    });
  }
  return { filterFields, columns, sorts, items };
}

/** How a record is written: `country` reads local phone formats instead of the workspace's country (an import's choice). */
export interface WriteOptions {
  country?: string;
  /** The object's custom fields, read once by a caller writing many records in one transaction (an import's batch). */
  customFields?: CustomField[];
  /** Companies the caller found or created in the actor's read scope in this transaction: links to them need no lookup. */
  visibleCompanies?: ReadonlySet<string>;
}

export interface NormalizedContactPoints {
  phones: PhoneValue[];
  emails: EmailValue[];
  /** Values refused as unreadable but kept because the user insisted (they go to a note). */
  kept: string[];
}

/**
 * Phones to E.164 in the workspace's country and e-mails lower-cased. An unreadable value is a field error, unless
 * `keepInvalid` is set: then it is left out of the record and returned, so the caller keeps it in a note.
 */
export function normalizeContactPoints(phones: PhoneInput[] | undefined, emails: EmailInput[] | undefined, country: string, keepInvalid: boolean): NormalizedContactPoints {
  const errors: FieldError[] = [];
  const kept: string[] = [];
  const normalizedPhones: PhoneValue[] = [];
  (phones ?? []).forEach((phone, i) => {
    const e164 = toE164(phone.number, country);
    if (e164) normalizedPhones.push({ type: phone.type ?? 'work', number: phone.number.trim(), e164 });
    else if (keepInvalid) kept.push(phone.number.trim());
    else errors.push({ path: `/body/phones/${i}/number`, message: 'not a phone number we can read' });
  });
  const normalizedEmails: EmailValue[] = [];
  (emails ?? []).forEach((entry, i) => {
    const email = normalizeEmail(entry.email);
    if (email) normalizedEmails.push({ type: entry.type ?? 'work', email });
    else if (keepInvalid) kept.push(entry.email.trim());
    else errors.push({ path: `/body/emails/${i}/email`, message: 'not a valid e-mail address' });
  });
  if (errors.length > 0) throw new AppError('validation', { message: 'Some phones or e-mails are not valid', errors });
  return { phones: normalizedPhones, emails: normalizedEmails, kept };
}

export const searchPhones = (phones: PhoneValue[]): string[] => [...new Set(phones.map((phone) => phone.e164).filter((e164): e164 is string => e164 !== null))];
export const searchEmails = (emails: EmailValue[]): string[] => [...new Set(emails.map((entry) => entry.email))];
export const searchName = (...parts: (string | null | undefined)[]): string =>
  parts
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
    .join(' ')
    .toLowerCase();

export const formatPhones = (phones: PhoneValue[]) => phones.map((phone) => ({ type: phone.type as 'work', number: formatPhone(phone.e164, phone.number), e164: phone.e164 }));

/** The fields every client record's answer carries (owner, team, tags, custom values, times, version). */
export function recordMeta(row: ClientRow, owners: Map<string, string>) {
  return {
    ownerId: row.owner_id,
    ownerName: owners.get(row.owner_id) ?? null,
    teamId: row.team_id,
    tags: row.tags,
    custom: row.custom,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    lastActivityAt: row.last_activity_at?.toISOString() ?? null,
    deletedAt: row.deleted_at?.toISOString() ?? null,
    version: row.version,
  };
}

/** A team named in a write must exist in the workspace (checked here, not left to the foreign key's 500). */
export async function checkTeam(ex: Executor, workspaceId: string, teamId: string | null | undefined): Promise<void> {
  if (teamId && !(await teamExists(ex, workspaceId, teamId))) throw new AppError('validation', { message: 'No such team', errors: [{ path: '/body/teamId', message: 'no such team' }] });
}

/** The owner a record gets: the actor by default; someone else needs the assign right over that person's records. */
export async function resolveOwner(ex: Executor, ctx: Ctx, object: ClientObject, ownerId: string | undefined, teamId: string | null | undefined): Promise<{ ownerId: string; teamId: string | null }> {
  const { actor } = ctx;
  await checkTeam(ex, actor.workspaceId, teamId);
  const target = ownerId ?? actor.userId;
  if (target === actor.userId) return { ownerId: target, teamId: teamId !== undefined ? teamId : actor.teamId };
  const scope = accessScope(actor, object, 'assign');
  const user = await findUserById(ex, actor.workspaceId, target);
  if (!user || user.status === 'disabled') throw new AppError('validation', { message: 'No such active user', errors: [{ path: '/body/ownerId', message: 'no such active user' }] });
  if (!isInScope(scope, { ownerId: user.id, teamId: user.team_id })) throw new AppError('forbidden', { message: `Your role cannot give ${object} records to this user`, errors: [{ path: '/body/ownerId', message: 'outside your assign scope' }] });
  return { ownerId: target, teamId: teamId !== undefined ? teamId : user.team_id };
}

/**
 * Loads a record the actor may see; one they may not see is "not found" (its existence is not revealed).
 * For a write, the record must also be in the scope of that action.
 */
export async function loadRecord(ex: Executor, ctx: Ctx, object: ClientObject, id: string, action: 'read' | 'update' | 'delete' = 'read', options: { forUpdate?: boolean; withDeleted?: boolean } = {}): Promise<ClientRow> {
  const readScope = accessScope(ctx.actor, object, 'read');
  const row = await findRecord(ex, object, ctx.actor.workspaceId, id, options);
  const visible = row && isInScope(readScope, { ownerId: row.owner_id, teamId: row.team_id });
  if (!row || !visible) {
    const survivor = row?.merged_into ?? (await resolveAlias(ex, ctx.actor.workspaceId, object, id));
    throw new AppError('not_found', survivor ? { message: `The record was merged into ${survivor}`, mergedInto: survivor } : { message: `No such ${object}` });
  }
  if (action !== 'read') {
    const scope = accessScope(ctx.actor, object, action);
    if (!isInScope(scope, { ownerId: row.owner_id, teamId: row.team_id })) throw new AppError('forbidden', { message: `Your role does not allow ${action} on this ${object}` });
  }
  return row;
}

/** What an edit of any client record may name besides the object's own fields. */
export interface RecordPatch {
  phones?: PhoneInput[] | undefined;
  emails?: EmailInput[] | undefined;
  keepInvalidAsNote?: boolean | undefined;
  custom?: CustomValues | undefined;
  ownerId?: string | undefined;
  teamId?: string | null | undefined;
}

/** Where an edit starts from: the record as it was and the shared parts of the patch, checked and normalized. */
export interface UpdateBasis {
  expected: number;
  before: ClientRow;
  /** The patch's phones and e-mails, read (only when it names them). */
  points: NormalizedContactPoints | undefined;
  custom: CustomValues | undefined;
  /** A new owner and the team that goes with them. */
  owner: { ownerId: string; teamId: string | null } | undefined;
}

/**
 * The start every object's edit shares, in its transaction: the actor may write the fields and the record, a version
 * is named, a named team exists, phones and e-mails are read (in `options.country` or the workspace's), custom values
 * are checked, and a new owner is resolved.
 */
export async function beginUpdate(trx: Executor, ctx: Ctx, object: ClientObject, id: string, patch: RecordPatch, version: number | undefined, options: WriteOptions): Promise<UpdateBasis> {
  assertWritable(ctx.actor, object, patch);
  const expected = requireVersion(version);
  const { workspaceId } = ctx.actor;
  const before = await loadRecord(trx, ctx, object, id, 'update');
  await checkTeam(trx, workspaceId, patch.teamId);
  const country = options.country ?? (await getWorkspaceCountry(trx, workspaceId));
  const points = patch.phones || patch.emails ? normalizeContactPoints(patch.phones, patch.emails, country, patch.keepInvalidAsNote ?? false) : undefined;
  const custom = patch.custom ? applyCustomValues(options.customFields ?? (await customFieldsOf(trx, workspaceId, object)), before.custom, patch.custom) : undefined;
  const owner = patch.ownerId && patch.ownerId !== before.owner_id ? await resolveOwner(trx, ctx, object, patch.ownerId, patch.teamId) : undefined;
  return { expected, before, points, custom, owner };
}

/** Audit entry and outbox event of a record change, in the caller's transaction. */
export async function recordChanged(ex: Executor, ctx: Ctx, object: ClientObject, id: string, action: string, entry: { changes?: Record<string, { from: unknown; to: unknown }> | null; meta?: Record<string, unknown> | null } = {}): Promise<void> {
  await recordAudit(ex, ctx, { action: `${object}.${action}`, objectType: object, objectId: id, changes: entry.changes ?? null, meta: entry.meta ?? null });
  await announceRecordChange(ex, ctx, object, id, action, entry.changes ?? undefined);
}

/**
 * Audit entries and the live event of records created together (an import's batch): one statement each. Several
 * records make one event listing them (`records`), so the dispatcher handles a batch once rather than record by record.
 */
export async function recordsCreated(ex: Executor, ctx: Ctx, object: ClientObject, records: { id: string; ownerId: string; teamId: string | null; meta: Record<string, unknown> }[]): Promise<void> {
  if (records.length === 0) return;
  await recordAudits(ex, ctx, records.map((record) => ({ action: `${object}.create`, objectType: object, objectId: record.id, changes: null, meta: record.meta })));
  const announced = records.map((record) => ({ id: record.id, ownerId: record.ownerId, teamId: record.teamId }));
  await emit(ex, ctx.actor.workspaceId, 'record.changed', announced.length === 1 ? { objectType: object, ...announced[0], action: 'create' } : { objectType: object, action: 'create', records: announced });
}

/**
 * The live "record changed" event. It carries the record's owner and team, so each stream only hears about records
 * its user may read (ids of others' records are not revealed).
 */
export async function announceRecordChange(ex: Executor, ctx: Ctx, object: ClientObject, id: string, action: string, changes?: Record<string, { from: unknown; to: unknown }>): Promise<void> {
  const row = await findRecord(ex, object, ctx.actor.workspaceId, id, { withDeleted: true });
  // The field changes are for the dispatcher's consumers (a process starting on a changed field), not the live stream.
  await emit(ex, ctx.actor.workspaceId, 'record.changed', { objectType: object, id, action, ownerId: row?.owner_id ?? null, teamId: row?.team_id ?? null, ...(changes && Object.keys(changes).length > 0 ? { changes } : {}) });
}

export { customFieldsOf, getWorkspaceCountry, userNames };

/**
 * The shared half of a merge, in the caller's transaction: the actor must be able to edit every record involved
 * (else 403 and nothing moves); merged records go to the bin marked as merged, their ids become aliases of the
 * survivor and their timeline entries move to it. The object's service then picks field values and moves relations.
 */
export async function mergeRecords(ex: Executor, ctx: Ctx, object: ClientObject, survivorId: string, mergedIds: string[]): Promise<{ survivor: ClientRow; merged: ClientRow[] }> {
  const ids = [...new Set(mergedIds)].filter((id) => id !== survivorId);
  if (ids.length === 0) throw new AppError('validation', { message: 'Name at least one other record to merge', errors: [{ path: '/body/mergedIds', message: 'must differ from the survivor' }] });
  const survivor = await loadRecord(ex, ctx, object, survivorId, 'update', { forUpdate: true });
  const merged: ClientRow[] = [];
  for (const id of ids) merged.push(await loadRecord(ex, ctx, object, id, 'update', { forUpdate: true }));
  for (const row of merged) {
    await setDeleted(ex, object, ctx.actor.workspaceId, row.id, row.version, ctx.actor.userId, true, survivorId);
    await insertAlias(ex, ctx.actor.workspaceId, object, row.id, survivorId);
    await recordChanged(ex, ctx, object, row.id, 'merge', { meta: { into: survivorId, title: titleOf(object, row) } });
  }
  await moveActivityLinks(ex, ctx.actor.workspaceId, object, ids, survivorId);
  return { survivor, merged };
}

const JSON_COLUMNS = new Set(['phones', 'emails', 'messengers', 'custom']);

/**
 * Writes stored column values back over a record (an import's undo) through the object's `write` (its versioned row
 * update), with the audit entry of the change; false when the record changed since. JSON columns come as values.
 */
export async function restoreRecordColumns(ex: Executor, ctx: Ctx, entry: { object: ClientObject; id: string; columns: Record<string, unknown>; meta: Record<string, unknown>; audited: string[] }, write: (values: Record<string, unknown>) => Promise<object | undefined>): Promise<boolean> {
  const before = await loadRecord(ex, ctx, entry.object, entry.id, 'update');
  const values = Object.fromEntries(Object.entries(entry.columns).map(([column, value]) => [column, JSON_COLUMNS.has(column) ? JSON.stringify(value) : value]));
  const after = await write({ ...values, updated_by: ctx.actor.userId });
  if (!after) return false;
  await recordChanged(ex, ctx, entry.object, entry.id, 'update', { changes: diffFields(before as unknown as Record<string, unknown>, after as Record<string, unknown>, entry.audited), meta: entry.meta });
  return true;
}

/** Picks, per field, the value of the record the user chose (default: the survivor's). */
export function pickMergedValue<T>(field: string, choices: Record<string, string> | undefined, survivor: ClientRow, merged: ClientRow[], read: (row: ClientRow) => T): T {
  const sourceId = choices?.[field];
  const source = sourceId === undefined ? survivor : [survivor, ...merged].find((row) => row.id === sourceId);
  if (!source) throw new AppError('validation', { message: 'A chosen value comes from a record not in the merge', errors: [{ path: `/body/fields/${field}`, message: 'not one of the merged records' }] });
  return read(source);
}

/** Custom values of a merge: every record's values, the survivor's winning, then the user's choice per `custom.<key>`. */
export function mergeCustom(all: ClientRow[], choices: Record<string, string> | undefined): Record<string, unknown> {
  const custom: Record<string, unknown> = {};
  for (const row of [...all].reverse()) Object.assign(custom, row.custom);
  for (const [field, sourceId] of Object.entries(choices ?? {})) {
    if (!field.startsWith('custom.')) continue;
    const key = field.slice('custom.'.length);
    const source = all.find((row) => row.id === sourceId);
    if (source?.custom[key] === undefined) delete custom[key];
    else custom[key] = source.custom[key];
  }
  return custom;
}

/** Multi-value fields are united, survivor's entries first. */
export function unite<R, T>(rows: R[], read: (row: R) => T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  const result: T[] = [];
  for (const row of rows) {
    for (const item of read(row)) {
      const k = key(item);
      if (!seen.has(k)) {
        seen.add(k);
        result.push(item);
      }
    }
  }
  return result;
}

export function createClientRecordService(deps: ServiceDeps, defs: Record<ClientObject, ObjectDef>) {
  async function fields(ctx: Ctx, object: ClientObject): Promise<ObjectField[]> {
    accessScope(ctx.actor, object, 'read');
    return catalogue(defs[object], await customFieldsOf(deps.db, ctx.actor.workspaceId, object)).items;
  }

  /** The visible-records conditions of a list query, checked: scope, quick text and the parsed filter. */
  async function listConditions(ctx: Ctx, object: ClientObject, q: { filter?: string | undefined; q?: string | undefined }, scope: AccessScope = accessScope(ctx.actor, object, 'read')) {
    const { filterFields, columns, sorts } = catalogue(defs[object], await customFieldsOf(deps.db, ctx.actor.workspaceId, object));
    const parsed = parseFilter(q.filter, filterFields);
    if (!parsed.ok) throw new AppError('bad_filter', { message: 'The filter is not valid', errors: parsed.errors });
    return { base: { object, workspaceId: ctx.actor.workspaceId, scope, filter: parsed.filter, columns, q: q.q }, sorts };
  }

  /**
   * A page (`limit + 1` rows) and its list's count, capped. A large list is not counted; a small list's first page
   * comes out of the narrow scan that counts it; a later page and its count run side by side (two connections on
   * PostgreSQL).
   */
  async function pageAndCount(params: ListParams): Promise<[(ClientRow & { sort_key: string })[], number]> {
    const walked = nameWalkable(params) ? await pageByNameWalk(deps.db, params, NAME_WALK_SPAN) : undefined;
    if (walked) return Promise.all([recordsInOrder(deps.db, params, walked), countRecords(deps.db, params, LIST_COUNT_CAP)]);
    const estimate = await estimateRecords(deps.db, params);
    if (estimate > ESTIMATE_INSTEAD_OF_COUNT) return [await listRecords(deps.db, params), LIST_COUNT_CAP + 1];
    if (params.after === undefined) {
      const ranked = await listRankedIds(deps.db, { ...params, limit: LIST_COUNT_CAP });
      return [await recordsInOrder(deps.db, params, ranked.slice(0, params.limit + 1)), ranked.length];
    }
    return Promise.all([listRecords(deps.db, params), countRecords(deps.db, params, LIST_COUNT_CAP)]);
  }

  /** A list's order: `field` or `-field`, by default the last changed first. */
  function sortOf(sorts: Record<string, FieldSort>, sortParam: string | undefined, path: string): SortSpec {
    const desc = sortParam?.startsWith('-') ?? false;
    const sortKey = sortParam?.replace(/^-/, '') ?? 'updatedAt';
    const sort = sorts[sortKey];
    if (!sort) throw new AppError('validation', { message: 'Cannot sort by this field', errors: [{ path, message: `sortable: ${Object.keys(sorts).join(', ')}` }] });
    return { ...sort, desc: sortKey === 'updatedAt' && sortParam === undefined ? true : desc };
  }

  /** A filtered, sorted keyset page of records the actor may see, with a capped count. */
  async function list(ctx: Ctx, object: ClientObject, q: RecordListQuery): Promise<{ page: PageOf<ClientRow>; total: { value: number; exact: boolean } }> {
    const { base, sorts } = await listConditions(ctx, object, q);
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, ['text', 'uuid']) as [string, string] | undefined;
    const params = { ...base, sort: sortOf(sorts, q.sort, '/query/sort'), after, limit };
    const [rows, counted] = await pageAndCount(params);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    // A first page that holds every match is the exact count, whatever the planner expected.
    const count = after === undefined && rows.length <= limit ? items.length : counted;
    return {
      page: { items, nextCursor: rows.length > limit && last ? encodeCursor([last.sort_key, last.id]) : null },
      total: { value: Math.min(count, LIST_COUNT_CAP), exact: count <= LIST_COUNT_CAP },
    };
  }

  /**
   * A list's rows for an export: the same filter, quick text and order as the list, within `scope` (the export
   * scope, narrowed to what the actor may read). `count` counts up to a cap; `pages` walks the list by keyset,
   * `pageSize` rows at a time, so memory holds one page (and the next, read while this one is written) whatever the
   * list's size.
   */
  async function exportSource(ctx: Ctx, object: ClientObject, q: { filter?: string | undefined; q?: string | undefined; sort?: string | undefined }, scope: AccessScope, paths: { sort: string }) {
    const { base, sorts } = await listConditions(ctx, object, q, scope);
    const sort = sortOf(sorts, q.sort, paths.sort);
    return {
      count: (cap: number) => countRecords(deps.db, base, cap),
      async *pages(pageSize: number, cap: number): AsyncGenerator<ClientRow[]> {
        const read = (after: [string, string] | undefined, limit: number) => {
          const rows = listRecords(deps.db, { ...base, sort, after, limit });
          // A reader that stops early leaves the prefetched page unread: its failure must not go unhandled.
          rows.catch(() => undefined);
          return { rows, limit };
        };
        let next: ReturnType<typeof read> | undefined = cap > 0 ? read(undefined, Math.min(pageSize, cap)) : undefined;
        let left = cap;
        while (next) {
          const { rows, limit } = next;
          const page = (await rows).slice(0, limit);
          const last = page.at(-1);
          left -= page.length;
          // The next page is read while this one is formatted and sent.
          next = (await rows).length > limit && last && left > 0 ? read([last.sort_key, last.id], Math.min(pageSize, left)) : undefined;
          if (page.length > 0) yield page;
        }
      },
    };
  }

  /** Every match of a list query (up to the bulk cap), so a bulk action can cover more than the loaded pages. */
  async function ids(ctx: Ctx, object: ClientObject, q: RecordIdsQuery): Promise<RecordIds> {
    const { base } = await listConditions(ctx, object, q);
    const found = await listIds(deps.db, base, IDS_CAP);
    return { ids: found.slice(0, IDS_CAP), truncated: found.length > IDS_CAP };
  }

  async function remove(ctx: Ctx, object: ClientObject, id: string): Promise<void> {
    await deps.db.transaction().execute(async (trx) => {
      const row = await loadRecord(trx, ctx, object, id, 'delete', { forUpdate: true });
      await setDeleted(trx, object, ctx.actor.workspaceId, id, row.version, ctx.actor.userId, true);
      await recordChanged(trx, ctx, object, id, 'delete', { meta: { title: titleOf(object, row) } });
    });
  }

  /** Brings a record back from the recycle bin; needs the read and delete rights over it. */
  async function restore(ctx: Ctx, object: ClientObject, id: string): Promise<ClientRow> {
    return deps.db.transaction().execute(async (trx) => {
      const scopes = [accessScope(ctx.actor, object, 'read'), accessScope(ctx.actor, object, 'delete')];
      const row = await findRecord(trx, object, ctx.actor.workspaceId, id, { withDeleted: true, forUpdate: true });
      if (!row || row.deleted_at === null || row.merged_into !== null || !scopes.every((scope) => isInScope(scope, { ownerId: row.owner_id, teamId: row.team_id }))) {
        throw new AppError('not_found', { message: `No deleted ${object} with this id` });
      }
      const restored = await setDeleted(trx, object, ctx.actor.workspaceId, id, row.version, ctx.actor.userId, false);
      await recordChanged(trx, ctx, object, id, 'restore');
      return restored!;
    });
  }

  async function recycleBin(ctx: Ctx, object: ClientObject, q: { limit?: number | undefined; cursor?: string | undefined }): Promise<PageOf<DeletedRecord>> {
    const scopes = [accessScope(ctx.actor, object, 'read'), accessScope(ctx.actor, object, 'delete')];
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, ['timestamp', 'uuid']) as [string, string] | undefined;
    const rows = await listDeleted(deps.db, object, ctx.actor.workspaceId, scopes, after, limit);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map((row) => ({ object, id: row.id, title: titleOf(object, row), deletedAt: (row.deleted_at as Date).toISOString(), deletedBy: row.deleted_by, deletedByName: row.deleted_by_name })),
      nextCursor: rows.length > limit && last ? encodeCursor([last.at_key, last.id]) : null,
    };
  }

  /**
   * Companies, contacts, leads and deals matching a name (word forms, typos, partial input), a phone in any format, an e-mail or
   * a tax number. A query that reads as a phone, e-mail or tax number looks only there (exact index lookups); a name is
   * looked up through the full-text index with each typed word as a prefix or one of the vocabulary's similar words.
   */
  async function search(ctx: Ctx, text: string, limit: number): Promise<SearchResult> {
    const query = text.trim();
    if (query === '') return { groups: [] };
    const { workspaceId } = ctx.actor;
    const country = await getWorkspaceCountry(deps.db, workspaceId);
    const phone = /\d{5,}/.test(query.replace(/\D/g, '')) ? toE164(query, country) : null;
    const email = query.includes('@') ? query.toLowerCase() : null;
    const taxId = /^\d{9,15}$/.test(query) ? query : null;
    const objects = (['company', 'contact', 'lead', 'deal'] as const).filter((object) => can(ctx.actor, object, 'read'));
    return deps.db.transaction().execute(async (trx) => {
      const nameQuery = phone || email || taxId ? null : nameTsQuery(await similarWords(trx, workspaceId, nameWords(query)));
      const groups: SearchResult['groups'] = [];
      for (const object of objects) {
        const scope = accessScope(ctx.actor, object, 'read');
        const rows = await searchRecords(trx, object, { workspaceId, scope, text: query.toLowerCase(), nameQuery, phones: phone ? [phone] : [], email, taxId, limit, title: defs[object].title, subtitle: defs[object].subtitle });
        if (rows.length > 0) groups.push({ object, items: rows.map((row): SearchHit => ({ object, id: row.id, title: row.title, subtitle: row.subtitle, matched: row.matched, score: Number(row.score) })) });
      }
      return { groups: groups.sort((a, b) => (b.items[0]?.score ?? 0) - (a.items[0]?.score ?? 0)) };
    });
  }

  /** Records that a draft would likely duplicate, among those the actor may see (`ex`: a caller's transaction, as an import's batch). */
  async function duplicates(ctx: Ctx, object: ClientObject, draft: { name?: string | undefined; phones?: PhoneInput[] | undefined; emails?: EmailInput[] | undefined; taxIds?: string[]; companyIds?: string[] | undefined; excludeId?: string | undefined }, ex: Executor = deps.db): Promise<DuplicateCandidate[]> {
    const scope = accessScope(ctx.actor, object, 'read');
    const country = await getWorkspaceCountry(ex, ctx.actor.workspaceId);
    const phones = (draft.phones ?? []).map((phone) => toE164(phone.number, country)).filter((e164): e164 is string => e164 !== null);
    const emails = (draft.emails ?? []).map((entry) => normalizeEmail(entry.email)).filter((email): email is string => email !== null);
    const name = draft.name && draft.name.trim().length >= 3 ? draft.name.trim().toLowerCase() : null;
    const rows = await duplicateRows(ex, object, {
      workspaceId: ctx.actor.workspaceId,
      scope,
      name,
      phones,
      emails,
      taxIds: (draft.taxIds ?? []).filter((tax) => tax.trim() !== ''),
      companyIds: object === 'contact' ? (draft.companyIds ?? []) : null,
      excludeId: draft.excludeId ?? null,
      title: defs[object].title,
      subtitle: defs[object].subtitle,
    });
    return rows.map((row) => ({
      object,
      id: row.id,
      title: row.title,
      subtitle: row.subtitle,
      reasons: [...(row.by_phone ? (['phone'] as const) : []), ...(row.by_email ? (['email'] as const) : []), ...(row.by_tax ? (['tax_id'] as const) : []), ...(row.by_name ? (['name'] as const) : [])],
    }));
  }

  /**
   * Records the actor may read that share a phone, an e-mail or a tax number with any of the given ones: one query for
   * a whole import batch, which then tells each row's duplicate apart in memory (newest change first, as `duplicates`).
   */
  async function keyMatchesOf(ctx: Ctx, object: ClientObject, keys: { phones: string[]; emails: string[]; taxIds: string[] }, ex: Executor = deps.db) {
    return keyMatches(ex, object, { workspaceId: ctx.actor.workspaceId, scope: accessScope(ctx.actor, object, 'read'), ...keys });
  }

  /**
   * Applies one action to many records, each in its own transaction: a record the actor may not change fails alone,
   * with its reason, and the rest go through. The web sends chunks and shows progress.
   */
  async function bulk(ctx: Ctx, object: ClientObject, body: BulkBody, setField: (ctx: Ctx, id: string, field: string, value: unknown) => Promise<void>): Promise<BulkResult> {
    // The whole request is refused when the role lacks the action at all; records outside its scope fail one by one.
    accessScope(ctx.actor, object, body.action === 'delete' ? 'delete' : body.action === 'assign' ? 'assign' : 'update');
    const result: BulkResult = { done: 0, failed: [] };
    const need = (path: string, ok: boolean) => {
      if (!ok) throw new AppError('validation', { message: `${body.action} needs ${path.slice('/body/'.length)}`, errors: [{ path, message: 'required for this action' }] });
    };
    if (body.action === 'set_field') need('/body/field', body.field !== undefined);
    if (body.action === 'assign') need('/body/ownerId', body.ownerId !== undefined);
    if (body.action === 'add_tags' || body.action === 'remove_tags') need('/body/tags', (body.tags ?? []).length > 0);
    for (const id of new Set(body.ids)) {
      try {
        switch (body.action) {
          case 'set_field':
            await setField(ctx, id, body.field!, body.value ?? null);
            break;
          case 'delete':
            await remove(ctx, object, id);
            break;
          case 'assign':
            await deps.db.transaction().execute(async (trx) => {
              const row = await loadRecord(trx, ctx, object, id, 'update', { forUpdate: true });
              if (row.owner_id === body.ownerId) return;
              accessScope(ctx.actor, object, 'assign');
              const owner = await resolveOwner(trx, ctx, object, body.ownerId, undefined);
              await setOwner(trx, object, ctx.actor.workspaceId, id, owner.ownerId, owner.teamId, ctx.actor.userId);
              await recordChanged(trx, ctx, object, id, 'update', { changes: { owner_id: { from: row.owner_id, to: owner.ownerId }, team_id: { from: row.team_id, to: owner.teamId } } });
            });
            break;
          case 'add_tags':
          case 'remove_tags':
            await deps.db.transaction().execute(async (trx) => {
              const row = await loadRecord(trx, ctx, object, id, 'update', { forUpdate: true });
              const tags = body.action === 'add_tags' ? [...new Set([...row.tags, ...(body.tags ?? [])])] : row.tags.filter((tag) => !(body.tags ?? []).includes(tag));
              if (JSON.stringify(tags) === JSON.stringify(row.tags)) return;
              await setTags(trx, object, ctx.actor.workspaceId, id, tags, ctx.actor.userId);
              await recordChanged(trx, ctx, object, id, 'update', { changes: { tags: { from: row.tags, to: tags } } });
            });
            break;
        }
        result.done += 1;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        result.failed.push({ id, code: error.code, message: error.message });
      }
    }
    return result;
  }

  return { fields, list, ids, exportSource, conditions: listConditions, remove, restore, recycleBin, search, duplicates, keyMatches: keyMatchesOf, bulk };
}

/**
 * The words of a typed name: letters and digits, lower-cased (the vocabulary and the tsvector hold them so). One- and
 * two-letter words ("O'Con", "J. Smith") are left out when a longer one is there: as prefixes they match half the index.
 */
export function nameWords(text: string): string[] {
  const words = [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])];
  return words.some((word) => word.length >= 3) ? words.filter((word) => word.length >= 3) : words;
}

/**
 * A `simple` tsquery: every typed word must match, as itself or one of its similar vocabulary words (typos, other word
 * forms); the last word also as a prefix, since it may still be being typed. Words hold only letters and digits, so
 * quoting is safe.
 */
export function nameTsQuery(similar: Map<string, string[]>): string | null {
  if (similar.size === 0) return null;
  const last = [...similar.keys()].at(-1);
  return [...similar]
    .map(([typed, words]) => `(${[typed === last ? `'${typed}':*` : `'${typed}'`, ...words.filter((word) => word !== typed).map((word) => `'${word}'`)].join(' | ')})`)
    .join(' & ');
}

/** A record's display name, as lists and history show it. */
export function titleOf(object: ClientObject, row: ClientRow): string {
  return String(object === 'contact' ? row.full_name : object === 'deal' ? row.title : row.name);
}

export type ClientRecordService = ReturnType<typeof createClientRecordService>;
export type { AccessScope };
