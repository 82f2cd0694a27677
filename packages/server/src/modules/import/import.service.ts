import { Readable } from 'node:stream';
import { importRight, IMPORT_FIELDS, IMPORT_OBJECTS, scopeOf, toCsv, type Company, type CompanyBody, type Contact, type ContactBody, type ImportJob, type ImportMapping, type ImportObject, type ImportPreview, type ImportSettingsBody, type ImportStartBody, type ImportUploadQuery } from '@rapport/shared';
import { accessScope, isInScope } from '../../core/access-scope.js';
import { AppError, requireVersion } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import type { FileStorage } from '../../infra/file-storage.js';
import { newId } from '../../infra/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { actorOfUser } from '../auth/auth.service.js';
import { receiveUpload } from '../attachment/attachment.service.js';
import { customFieldsOf, getWorkspaceCountry, loadRecord, recordChanged, titleOf, type ClientRecordService, type ClientRow, type WriteOptions } from '../client-record/client-record.service.js';
import { noteImportedRecords } from '../data-quality/data-quality.service.js';
import type { PreparedCompany } from '../company/company.service.js';
import type { PreparedContact } from '../contact/contact.service.js';
import type { LeadService } from '../lead/lead.service.js';
import { emit } from '../outbox/outbox.service.js';
import { workspaceLocale } from '../timeline/timeline.service.js';
import { decodeFile, detectDelimiter, detectEncoding, detectFormat, readImportFile, type ParsedFile } from './import-file.js';
import { applySavedMapping, suggestMapping } from './import-mapping.js';
import { LEAD_COLUMNS, LEAD_SNAPSHOT, leadBody } from './import-lead.js';
import { importProductRow, productUndoConflicts, type ProductWriter } from './import-product.js';
import { importDealRow, type DealImportDeps } from './import-deal.js';
import { fileProblem } from './import-problem.js';
import { IMPORTABLE_CUSTOM_KINDS, readRow, type RowDraft } from './import-row.js';
import {
  activeImports,
  companiesByInnsOrNames,
  findImport,
  importedRecords,
  insertImport,
  insertRejected,
  listImports,
  listMappings,
  purgeRecords,
  recordStates,
  referencedRecords,
  rejectedRows,
  releaseSavepoint,
  rollbackToSavepoint,
  saveMapping,
  savepoint,
  setImportProgress,
  tagRecords,
  updateImportVersioned,
  type ImportRow,
} from './import.repository.js';

/** What the import needs of the contact and company services: writes inside its batch's transaction. */
interface RecordWriter<Body, Patch, Out> {
  insert(trx: Executor, ctx: Ctx, input: Body, options?: WriteOptions): Promise<string>;
  updateIn(trx: Executor, ctx: Ctx, id: string, patch: Patch, version: number | undefined, options?: WriteOptions): Promise<Out>;
  restoreColumns(trx: Executor, ctx: Ctx, id: string, columns: Record<string, unknown>, version: number, meta: Record<string, unknown>): Promise<boolean>;
}

export interface ImportDeps extends ServiceDeps {
  storage: FileStorage;
  maxBytes: number;
  records: ClientRecordService;
  contact: RecordWriter<ContactBody, Omit<ContactBody, 'firstName'> & { firstName?: string }, Contact> & {
    prepare(trx: Executor, ctx: Ctx, input: ContactBody, options?: WriteOptions): Promise<PreparedContact>;
    insertPrepared(trx: Executor, ctx: Ctx, prepared: PreparedContact[]): Promise<void>;
  };
  company: RecordWriter<CompanyBody, Omit<CompanyBody, 'name'> & { name?: string }, Company> & {
    prepare(trx: Executor, ctx: Ctx, input: CompanyBody, options?: WriteOptions): Promise<PreparedCompany>;
    insertPrepared(trx: Executor, ctx: Ctx, prepared: PreparedCompany[]): Promise<void>;
  };
  lead: Pick<LeadService, 'insert' | 'updateIn' | 'restoreColumns'>;
  product: ProductWriter;
  deal: DealImportDeps['deal'];
  pipeline: DealImportDeps['pipeline'];
}

/**
 * Rows per transaction: small enough to keep a batch's locks short (and a retry row by row cheap), large enough that a
 * contact batch's few bulk statements and its commit are spread over many rows.
 */
export const IMPORT_BATCH_SIZE = 500;
const PREVIEW_ROWS = 20;
const UNDO_CONFLICTS_LISTED = 20;

/** The columns an import may change, saved before an update so that undo puts them back exactly. */
const SNAPSHOT: Record<Exclude<ImportObject, 'product' | 'deal'>, string[]> = {
  contact: ['first_name', 'middle_name', 'last_name', 'full_name', 'position', 'phones', 'emails', 'birthday', 'address', 'tags', 'custom', 'search_name', 'search_phones', 'search_emails'],
  company: ['name', 'legal_name', 'inn', 'kpp', 'ogrn', 'industry', 'phones', 'emails', 'website', 'legal_address', 'actual_address', 'tags', 'custom', 'search_name', 'search_phones', 'search_emails', 'search_tax_ids'],
  lead: LEAD_SNAPSHOT,
};
/** Import field → the record's column, for "update empty fields". */
const COLUMN: Record<string, string> = {
  firstName: 'first_name',
  middleName: 'middle_name',
  lastName: 'last_name',
  position: 'position',
  birthday: 'birthday',
  address: 'address',
  name: 'name',
  legalName: 'legal_name',
  inn: 'inn',
  kpp: 'kpp',
  ogrn: 'ogrn',
  industry: 'industry',
  website: 'website',
  legalAddress: 'legal_address',
  actualAddress: 'actual_address',
  ...LEAD_COLUMNS,
};

/** The objects kept as client records (the product catalog is not one). */
const CLIENT_OBJECTS = IMPORT_OBJECTS.filter((object): object is Exclude<ImportObject, 'product'> => object !== 'product');
type CompanyCandidate = Awaited<ReturnType<typeof companiesByInnsOrNames>>[number];
/**
 * A bulk batch's companies: those its rows may name (read at once, plus the ones it creates), and the new ones, to be
 * written together with the batch's contacts.
 */
interface BatchCompanies {
  known: CompanyCandidate[];
  created: { prepared: PreparedCompany; rowNumber: number }[];
  options: WriteOptions;
}
/** A row's phones, e-mails and tax numbers as one set of keys (a phone and an e-mail never look alike). */
const keysOf = (keys: { phones: string[]; emails: string[]; taxIds: string[] }) => [...keys.phones.map((k) => `p:${k}`), ...keys.emails.map((k) => `e:${k}`), ...keys.taxIds.map((k) => `t:${k}`)];
const isoDate = (value: unknown) => (value instanceof Date ? value.toISOString().slice(0, 10) : value);
const emptyValue = (value: unknown) => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

function toImportJob(row: ImportRow): ImportJob {
  const started = row.started_at ? new Date(row.started_at) : null;
  const until = row.finished_at ? new Date(row.finished_at) : new Date();
  const seconds = started ? Math.max((until.getTime() - started.getTime()) / 1000, 0.001) : 0;
  return {
    id: row.id,
    object: row.object,
    status: row.status,
    fileName: row.file_name,
    fileSize: row.file_size,
    format: row.format,
    encoding: row.encoding,
    delimiter: row.delimiter,
    headers: row.headers,
    mapping: row.mapping,
    defaultCountry: row.default_country,
    fileLocale: row.file_locale,
    mode: row.mode,
    totalRows: row.total_rows,
    rowsDone: row.rows_done,
    created: row.created_count,
    updated: row.updated_count,
    skipped: row.skipped_count,
    rejected: row.rejected_count,
    rate: started ? Math.round((row.rows_done / seconds) * 10) / 10 : null,
    error: row.error,
    startedAt: started?.toISOString() ?? null,
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
    undoneAt: row.undone_at ? new Date(row.undone_at).toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
    version: row.version,
  };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The reason a row was refused, as the report lists it. */
function reasonOf(error: unknown): string {
  if (error instanceof AppError) return [error.message, ...(error.errors ?? []).map((e) => `${e.path.replace(/^\/body\//, '')}: ${e.message}`)].join('; ');
  return `could not be stored: ${(error as Error).message}`;
}

export function createImportService(deps: ImportDeps) {
  /** The import right on the object, plus `also` (create to bring records in, update to change existing ones). */
  function checkRights(ctx: Ctx, object: ImportObject, also: ('create' | 'update' | 'delete')[] = []): void {
    // The product catalog's one right (to change settings) covers its import and every change the import makes.
    if (object === 'product') return void accessScope(ctx.actor, 'settings', 'update');
    accessScope(ctx.actor, object, 'import');
    for (const action of also) accessScope(ctx.actor, object, action);
  }

  async function load(ex: Executor, ctx: Ctx, id: string, forUpdate = false): Promise<ImportRow> {
    const row = await findImport(ex, ctx.actor.workspaceId, id, { forUpdate });
    if (!row) throw new AppError('not_found', { message: 'No such import' });
    try {
      checkRights(ctx, row.object);
    } catch {
      throw new AppError('not_found', { message: 'No such import' });
    }
    return row;
  }

  async function fileOf(row: Pick<ImportRow, 'file_sha256' | 'format' | 'encoding' | 'delimiter' | 'file_locale'>): Promise<ParsedFile> {
    const bytes = await readAll(await deps.storage.open(row.file_sha256));
    return readImportFile(bytes, { format: row.format, encoding: row.encoding, delimiter: row.delimiter, fileLocale: row.file_locale });
  }

  async function importableFields(ex: Executor, workspaceId: string, object: ImportObject) {
    // Products have no custom fields.
    if (object === 'product') return [];
    return (await customFieldsOf(ex, workspaceId, object)).filter((field) => IMPORTABLE_CUSTOM_KINDS.has(field.kind));
  }

  /** Suggested fields for the headers; a saved mapping of the same object that names them wins. */
  async function mappingFor(ex: Executor, workspaceId: string, object: ImportObject, headers: string[]): Promise<(string | null)[]> {
    const suggested = suggestMapping(object, headers, await importableFields(ex, workspaceId, object));
    const saved = (await listMappings(ex, workspaceId, object)).find((mapping) => headers.every((header) => header in mapping.columns));
    return saved ? applySavedMapping(headers, suggested, saved.columns) : suggested;
  }

  /**
   * Reads the uploaded file whole (up to the size limit), detects its format (CSV, XLSX, vCard) and, for text, its
   * encoding and delimiter unless given, and parses it. A file refused as a whole (empty, broken quoting, too wide, a
   * workbook that unpacks too large) leaves nothing behind: it is stored only once parsed.
   */
  async function upload(ctx: Ctx, query: ImportUploadQuery, content: Readable): Promise<ImportJob> {
    checkRights(ctx, query.object, ['create']);
    // The bytes are kept as they stream to storage (the size limit stops both), so the file is read before it is stored.
    const chunks: Buffer[] = [];
    const kept = Readable.from(
      (async function* () {
        for await (const chunk of content) {
          chunks.push(chunk as Buffer);
          yield chunk as Buffer;
        }
      })(),
    );
    const pending = await receiveUpload(deps.storage, kept, deps.maxBytes).catch((error: unknown) => {
      if (!(error instanceof AppError) || error.code !== 'payload_too_large') throw error;
      const megabytes = Math.floor(deps.maxBytes / (1024 * 1024));
      throw fileProblem('too_large', error.message, `must be at most ${megabytes} MB`, { megabytes }, 'payload_too_large');
    });
    try {
      if (pending.sizeBytes === 0) throw fileProblem('empty', 'The file is empty', 'must not be empty');
      const bytes = Buffer.concat(chunks);
      const format = await detectFormat(bytes, query.name);
      const encoding = format === 'xlsx' ? 'utf-8' : (query.encoding ?? detectEncoding(bytes));
      const delimiter = format === 'csv' ? (query.delimiter ?? detectDelimiter(decodeFile(bytes, encoding))) : ',';
      const { workspaceId, userId } = ctx.actor;
      const fileLocale = await workspaceLocale(deps.db, workspaceId);
      const parsed = await readImportFile(bytes, { format, encoding, delimiter, fileLocale });
      await pending.store();
      const id = newId();
      return await deps.db.transaction().execute(async (trx) => {
        await insertImport(trx, {
          workspace_id: workspaceId,
          id,
          object: query.object,
          status: 'draft',
          file_name: query.name.trim(),
          file_sha256: pending.sha256,
          file_size: pending.sizeBytes,
          format,
          encoding,
          delimiter,
          headers: JSON.stringify(parsed.headers),
          mapping: JSON.stringify(await mappingFor(trx, workspaceId, query.object, parsed.headers)),
          default_country: await getWorkspaceCountry(trx, workspaceId),
          file_locale: fileLocale,
          // Deals have no natural key to match a row by: they are only created.
          mode: query.object === 'deal' ? 'create' : 'skip',
          total_rows: parsed.rows.length,
          error: null,
          started_at: null,
          finished_at: null,
          undone_at: null,
          created_by: userId,
          updated_by: userId,
        });
        await recordAudit(trx, ctx, { action: 'import.upload', objectType: 'import', objectId: id, meta: { object: query.object, fileName: query.name, rows: parsed.rows.length, format, encoding, delimiter } });
        return toImportJob((await findImport(trx, workspaceId, id))!);
      });
    } finally {
      await pending.discard();
    }
  }

  async function get(ctx: Ctx, id: string): Promise<ImportJob> {
    return toImportJob(await load(deps.db, ctx, id));
  }

  /** Recent imports of the objects the actor may import. */
  async function list(ctx: Ctx): Promise<ImportJob[]> {
    const objects = IMPORT_OBJECTS.filter((object) => scopeOf(ctx.actor.permissions, importRight(object).object, importRight(object).action) !== 'none');
    return (await listImports(deps.db, ctx.actor.workspaceId, [...objects], 50)).map(toImportJob);
  }

  /** The wizard's choices, while the import is a draft. A new encoding or delimiter reads the file again. */
  async function configure(ctx: Ctx, id: string, body: Omit<ImportSettingsBody, 'version'>, version: number | undefined): Promise<ImportJob> {
    const expected = requireVersion(version);
    return deps.db.transaction().execute(async (trx) => {
      const row = await load(trx, ctx, id, true);
      if (row.status !== 'draft') throw new AppError('conflict', { message: 'The import has started; its settings can no longer change' });
      const encoding = body.encoding ?? row.encoding;
      const delimiter = body.delimiter ?? row.delimiter;
      let headers = row.headers;
      let mapping = body.mapping ?? row.mapping;
      let total = row.total_rows;
      if (encoding !== row.encoding || delimiter !== row.delimiter) {
        const parsed = await fileOf({ ...row, encoding, delimiter });
        headers = parsed.headers;
        total = parsed.rows.length;
        mapping = body.mapping && body.mapping.length === headers.length ? body.mapping : await mappingFor(trx, ctx.actor.workspaceId, row.object, headers);
      }
      if (mapping.length !== headers.length) throw new AppError('validation', { message: 'The mapping must name a field (or null) for every column', errors: [{ path: '/body/mapping', message: `must have ${headers.length} items` }] });
      const customKeys = new Set((await importableFields(trx, ctx.actor.workspaceId, row.object)).map((field) => `custom.${field.key}`));
      const known = new Set<string>([...IMPORT_FIELDS[row.object], ...customKeys]);
      const errors = mapping.flatMap((field, i) => (field !== null && !known.has(field) ? [{ path: `/body/mapping/${i}`, message: `not a field of a ${row.object} that a file can fill` }] : []));
      const repeated = mapping.flatMap((field, i) => (field !== null && field !== 'phone' && field !== 'email' && mapping.indexOf(field) !== i ? [{ path: `/body/mapping/${i}`, message: 'this field is already filled by another column' }] : []));
      if (errors.length + repeated.length > 0) throw new AppError('validation', { message: 'The mapping is not valid', errors: [...errors, ...repeated] });
      if (row.object === 'deal' && (body.mode ?? row.mode) !== 'create') throw new AppError('validation', { message: 'Deals are only created: nothing identifies a deal to match a row with', errors: [{ path: '/body/mode', message: 'must be create for deals' }] });
      const after = await updateImportVersioned(trx, ctx.actor.workspaceId, id, expected, {
        encoding,
        delimiter,
        headers: JSON.stringify(headers),
        mapping: JSON.stringify(mapping),
        total_rows: total,
        default_country: body.defaultCountry ?? row.default_country,
        file_locale: body.fileLocale ?? row.file_locale,
        mode: body.mode ?? row.mode,
        updated_by: ctx.actor.userId,
      });
      if (!after) throw new AppError('version_conflict', { message: `The import was changed elsewhere (now version ${row.version}); reload it`, currentVersion: row.version });
      return toImportJob(after);
    });
  }

  function rowOptions(row: ImportRow, customFields: Awaited<ReturnType<typeof importableFields>>) {
    return { object: row.object, mapping: row.mapping, defaultCountry: row.default_country, fileLocale: row.file_locale, customFields };
  }

  /** The first rows as they would be stored, with what is wrong in each cell. */
  async function preview(ctx: Ctx, id: string): Promise<ImportPreview> {
    const row = await load(deps.db, ctx, id);
    const file = await fileOf(row);
    const options = rowOptions(row, await importableFields(deps.db, ctx.actor.workspaceId, row.object));
    return {
      rows: file.rows.slice(0, PREVIEW_ROWS).map((cells, i) => {
        const draft = readRow(cells, options);
        return { rowNumber: i + 2, values: draft.values, errors: draft.errors };
      }),
    };
  }

  /** Queues the durable job; the mapping can be saved under a name for the next file. */
  async function start(ctx: Ctx, id: string, body: Omit<ImportStartBody, 'version'>, version: number | undefined): Promise<ImportJob> {
    const expected = requireVersion(version);
    return deps.db.transaction().execute(async (trx) => {
      const row = await load(trx, ctx, id, true);
      checkRights(ctx, row.object, row.mode === 'update_empty' || row.mode === 'overwrite' ? ['create', 'update'] : ['create']);
      if (row.status !== 'draft') throw new AppError('conflict', { message: 'The import has already started' });
      if (!row.mapping.some((field) => field !== null)) throw new AppError('validation', { message: 'Map at least one column to a field', errors: [{ path: '/body/mapping', message: 'no column is mapped' }] });
      const after = await updateImportVersioned(trx, ctx.actor.workspaceId, id, expected, { status: 'queued', updated_by: ctx.actor.userId });
      if (!after) throw new AppError('version_conflict', { message: `The import was changed elsewhere (now version ${row.version}); reload it`, currentVersion: row.version });
      if (body.saveMappingAs) {
        const columns = Object.fromEntries(row.headers.flatMap((header, i) => (row.mapping[i] ? [[header, row.mapping[i]!]] : [])));
        await saveMapping(trx, { workspace_id: ctx.actor.workspaceId, id: newId(), object: row.object, name: body.saveMappingAs.trim(), columns: JSON.stringify(columns), created_by: ctx.actor.userId, updated_by: ctx.actor.userId });
      }
      await recordAudit(trx, ctx, { action: 'import.start', objectType: 'import', objectId: id, meta: { object: row.object, mode: row.mode, defaultCountry: row.default_country, rows: row.total_rows } });
      await emit(trx, ctx.actor.workspaceId, 'import.queued', { importId: id });
      return toImportJob(after);
    });
  }

  /** Stops a queued or running import after its current batch; what was imported stays (and can be undone). */
  async function cancel(ctx: Ctx, id: string): Promise<ImportJob> {
    return deps.db.transaction().execute(async (trx) => {
      const row = await load(trx, ctx, id, true);
      if (row.status !== 'queued' && row.status !== 'running' && row.status !== 'draft') throw new AppError('conflict', { message: 'The import is not running' });
      await setImportProgress(trx, ctx.actor.workspaceId, id, { status: 'cancelled', finished_at: deps.clock.now() });
      await recordAudit(trx, ctx, { action: 'import.cancel', objectType: 'import', objectId: id, meta: { rowsDone: row.rows_done } });
      return toImportJob((await findImport(trx, ctx.actor.workspaceId, id))!);
    });
  }

  /**
   * The company a contact row names: found by INN, else by name (the oldest first, of the first few) among those the
   * actor sees; created when missing. In a bulk batch the candidates are the batch's, and a new company is only
   * prepared (checked, given its id): the batch writes it; without one the row looks them up and writes it itself.
   */
  async function companyFor(trx: Executor, ctx: Ctx, job: ImportRow, rowNumber: number, link: NonNullable<RowDraft['company']>, batch?: BatchCompanies): Promise<string> {
    const scope = accessScope(ctx.actor, 'company', 'read');
    const name = link.name?.toLowerCase() ?? null;
    const candidates = batch?.known ?? (await companiesByInnsOrNames(trx, ctx.actor.workspaceId, link.inn ? [link.inn] : [], name ? [name] : []));
    const matching = candidates.filter((company) => (link.inn !== null && company.search_tax_ids.includes(link.inn)) || (name !== null && company.lower_name === name));
    const byInn = link.inn ? [...matching.filter((company) => company.inn === link.inn), ...matching.filter((company) => company.inn !== link.inn)] : matching;
    const found = byInn.slice(0, 5).find((company) => isInScope(scope, { ownerId: company.owner_id, teamId: company.team_id }));
    if (found) return found.id;
    if (!link.name) throw new AppError('validation', { message: `No company with INN ${link.inn}, and no company name to create one`, errors: [{ path: '/body/companyName', message: 'required to create the company' }] });
    accessScope(ctx.actor, 'company', 'create');
    const input = { name: link.name, ...(link.inn ? { inn: link.inn } : {}) };
    if (!batch) {
      const id = await deps.company.insert(trx, ctx, input);
      await tagRecords(trx, [companyTag(ctx, job, id, rowNumber)]);
      return id;
    }
    const prepared = await deps.company.prepare(trx, ctx, input, batch.options);
    batch.created.push({ prepared, rowNumber });
    batch.known.push({ id: prepared.row.id, owner_id: prepared.row.owner_id, team_id: prepared.row.team_id, inn: link.inn, search_tax_ids: link.inn ? [link.inn] : [], lower_name: link.name.trim().toLowerCase() });
    return prepared.row.id;
  }

  const companyTag = (ctx: Ctx, job: ImportRow, recordId: string, rowNumber: number) => ({ workspaceId: ctx.actor.workspaceId, importId: job.id, object: 'company' as const, recordId, action: 'created' as const, rowNumber, before: null, versionAfter: 1 });

  /** The fields of an existing record the row changes: only empty ones, or every one the file fills. */
  function patchFor(draft: RowDraft, existing: ClientRow, mode: 'update_empty' | 'overwrite'): Record<string, unknown> {
    const patch: Record<string, unknown> = {};
    const take = (current: unknown) => mode === 'overwrite' || emptyValue(current);
    for (const [field, value] of Object.entries(draft.fields)) {
      if (field === 'tags') {
        if (take(existing.tags)) patch.tags = value;
      } else if (take(existing[COLUMN[field]!])) patch[field] = value;
    }
    if (draft.phones.length > 0 && take(existing.phones)) patch.phones = draft.phones;
    if (draft.emails.length > 0 && take(existing.emails)) patch.emails = draft.emails.map((email) => ({ email }));
    const custom = Object.fromEntries(Object.entries(draft.custom).filter(([key]) => take(existing.custom[key])));
    if (Object.keys(custom).length > 0) patch.custom = custom;
    for (const [field, value] of Object.entries(patch)) if (JSON.stringify(value) === JSON.stringify(existing[COLUMN[field] ?? field])) delete patch[field];
    return patch;
  }

  /** One row, in the batch's transaction: created, updated, skipped, or an error thrown for the report. */
  async function importRow(trx: Executor, ctx: Ctx, job: ImportRow, draft: RowDraft, rowNumber: number): Promise<'created' | 'updated' | 'skipped'> {
    if (draft.errors.length > 0) throw new AppError('validation', { message: draft.errors.map((error) => `${error.field}: ${error.message}`).join('; ') });
    const { workspaceId } = ctx.actor;
    const object = job.object;
    if (object === 'deal') {
      return importDealRow(trx, ctx, deps, draft, (recordId) => tagRecords(trx, [{ workspaceId, importId: job.id, object, recordId, action: 'created', rowNumber, before: null, versionAfter: 1 }]));
    }
    if (object === 'product') {
      return importProductRow(trx, ctx, deps.product, job.mode, draft, (record) => tagRecords(trx, [{ workspaceId, importId: job.id, object, rowNumber, ...record }]));
    }
    const options = { country: job.default_country };
    if (job.mode !== 'create') {
      const duplicates = await deps.records.duplicates(ctx, object, { phones: draft.keys.phones.map((number) => ({ number })), emails: draft.keys.emails.map((email) => ({ email })), taxIds: draft.keys.taxIds }, trx);
      const match = duplicates.find((candidate) => candidate.reasons.some((reason) => reason !== 'name'));
      if (match) {
        if (job.mode === 'skip') return 'skipped';
        const existing = await loadRecord(trx, ctx, object, match.id, 'update', { forUpdate: true });
        const patch = patchFor(draft, existing, job.mode);
        if (Object.keys(patch).length === 0) return 'skipped';
        const before = Object.fromEntries(SNAPSHOT[object].map((column) => [column, isoDate(existing[column])]));
        const writer = { contact: deps.contact, company: deps.company, lead: deps.lead }[object];
        const after = await (writer as ImportDeps['contact']).updateIn(trx, ctx, existing.id, patch, existing.version, options);
        await tagRecords(trx, [{ workspaceId, importId: job.id, object, recordId: existing.id, action: 'updated', rowNumber, before, versionAfter: after.version }]);
        return 'updated';
      }
    }
    let id: string;
    if (object === 'contact') {
      const companyId = draft.company ? await companyFor(trx, ctx, job, rowNumber, draft.company) : null;
      id = await deps.contact.insert(trx, ctx, { ...(draft.fields as Pick<ContactBody, 'firstName'>), phones: draft.phones, emails: draft.emails.map((email) => ({ email })), custom: draft.custom, ...(companyId ? { companies: [{ companyId }] } : {}) }, options);
    } else if (object === 'lead') {
      id = await deps.lead.insert(trx, ctx, leadBody(draft));
    } else {
      id = await deps.company.insert(trx, ctx, { ...(draft.fields as Pick<CompanyBody, 'name'>), phones: draft.phones, emails: draft.emails.map((email) => ({ email })), custom: draft.custom }, options);
    }
    await tagRecords(trx, [{ workspaceId, importId: job.id, object, recordId: id, action: 'created', rowNumber, before: null, versionAfter: 1 }]);
    // Likely duplicates the row did not match on go to the data-quality review list (strong ones too in "create" mode).
    await noteImportedRecords(trx, ctx, { importId: job.id, object, ids: [id], strong: job.mode === 'create' });
    return 'created';
  }

  /** Counts of a job's rows by outcome, carried from batch to batch. */
  type Counts = Record<'created' | 'updated' | 'skipped' | 'rejected', number>;
  type BatchRow = { cells: string[]; rowNumber: number };

  async function reject(trx: Executor, job: ImportRow, row: BatchRow, error: unknown, counts: Counts): Promise<void> {
    if (!(error instanceof AppError)) deps.logger.warn({ err: error, importId: job.id, rowNumber: row.rowNumber }, 'an import row could not be stored');
    await insertRejected(trx, job.workspace_id, job.id, row.rowNumber, row.cells, reasonOf(error));
    counts.rejected += 1;
  }

  /** One row behind a savepoint: all or nothing, a failing one rolled back alone and listed as rejected. */
  async function importRowAlone(trx: Executor, ctx: Ctx, job: ImportRow, row: BatchRow, draft: RowDraft, counts: Counts): Promise<void> {
    await savepoint(trx);
    try {
      counts[await importRow(trx, ctx, job, draft, row.rowNumber)] += 1;
      await releaseSavepoint(trx);
    } catch (error) {
      await rollbackToSavepoint(trx);
      await reject(trx, job, row, error, counts);
    }
  }

  /**
   * A contact batch written in bulk, each row's outcome decided as the row-by-row path decides it: duplicates are found
   * with one query for the whole batch (and among the batch's own rows in memory), the companies rows name with one more,
   * and the new contacts go in with their links, audit entries, events and undo tags in a few multi-row statements. A
   * row is checked in full before anything of it is written, so a refused one leaves nothing behind without a savepoint.
   * Rows that change an existing record take the row-by-row path. A failed write throws: the caller rolls the batch back
   * and runs it row by row.
   */
  async function importInBulk(trx: Executor, ctx: Ctx, job: ImportRow, rows: BatchRow[], rowOpts: ReturnType<typeof rowOptions>, counts: Counts): Promise<void> {
    const { workspaceId } = ctx.actor;
    const drafts = rows.map((row) => ({ row, draft: readRow(row.cells, rowOpts) }));
    const valid = drafts.filter(({ draft }) => draft.errors.length === 0).map(({ draft }) => draft);
    const unique = (values: string[]) => [...new Set(values)];
    const matched = new Set<string>();
    if (job.mode !== 'create') {
      const keys = { phones: unique(valid.flatMap((d) => d.keys.phones)), emails: unique(valid.flatMap((d) => d.keys.emails)), taxIds: unique(valid.flatMap((d) => d.keys.taxIds)) };
      for (const record of await deps.records.keyMatches(ctx, 'contact', keys, trx)) {
        for (const key of keysOf({ phones: record.search_phones, emails: record.search_emails, taxIds: record.search_tax_ids })) matched.add(key);
      }
    }
    const named = valid.flatMap((d) => (d.company ? [d.company] : []));
    const companies: BatchCompanies = {
      known: await companiesByInnsOrNames(trx, workspaceId, unique(named.flatMap((c) => (c.inn ? [c.inn] : []))), unique(named.flatMap((c) => (c.name ? [c.name.toLowerCase()] : [])))),
      created: [],
      options: { country: job.default_country, customFields: await customFieldsOf(trx, workspaceId, 'company') },
    };
    const visibleCompanies = new Set<string>();
    const options: WriteOptions = { country: job.default_country, customFields: await customFieldsOf(trx, workspaceId, 'contact'), visibleCompanies };
    /** Keys of the records this batch created or changed: a later row holding one is a duplicate within the file. */
    const touched = new Set<string>();
    const pending: { prepared: PreparedContact; rowNumber: number }[] = [];
    const flush = async () => {
      // The new companies first: the contacts' links point at them.
      await deps.company.insertPrepared(trx, ctx, companies.created.map((c) => c.prepared));
      await deps.contact.insertPrepared(trx, ctx, pending.map((p) => p.prepared));
      await tagRecords(trx, [
        ...companies.created.map(({ prepared, rowNumber }) => companyTag(ctx, job, prepared.row.id, rowNumber)),
        ...pending.map(({ prepared, rowNumber }) => ({ workspaceId, importId: job.id, object: 'contact' as const, recordId: prepared.row.id, action: 'created' as const, rowNumber, before: null, versionAfter: 1 })),
      ]);
      companies.created.length = 0;
      // As on the row-by-row path: likely duplicates the rows did not match on go to the data-quality review list.
      await noteImportedRecords(trx, ctx, { importId: job.id, object: 'contact', ids: pending.map(({ prepared }) => prepared.row.id), strong: job.mode === 'create' });
      counts.created += pending.length;
      pending.length = 0;
    };
    for (const { row, draft } of drafts) {
      const keys = keysOf(draft.keys);
      if (draft.errors.length > 0) {
        await reject(trx, job, row, new AppError('validation', { message: draft.errors.map((error) => `${error.field}: ${error.message}`).join('; ') }), counts);
        continue;
      }
      if (job.mode !== 'create' && keys.some((key) => matched.has(key) || touched.has(key))) {
        // A skipped row writes nothing: its other keys stay unknown, as they are to the row-by-row path and to later
        // batches, so a later row sharing only one of them is new, wherever the batches happen to split the file.
        if (job.mode === 'skip') {
          counts.skipped += 1;
          continue;
        }
        // An updated record may take the row's keys: a later row holding one goes the row-by-row way, which looks it up.
        for (const key of keys) touched.add(key);
        await flush();
        await importRowAlone(trx, ctx, job, row, draft, counts);
        continue;
      }
      let prepared: PreparedContact;
      try {
        prepared = await deps.contact.prepare(trx, ctx, { ...(draft.fields as Pick<ContactBody, 'firstName'>), phones: draft.phones, emails: draft.emails.map((email) => ({ email })), custom: draft.custom }, options);
        // The company is found or created only once the contact itself is known to be valid; a company's own checks
        // all come before its insert, so a row refused here has written nothing.
        if (draft.company) {
          const companyId = await companyFor(trx, ctx, job, row.rowNumber, draft.company, companies);
          visibleCompanies.add(companyId);
          prepared = { ...prepared, links: [{ companyId, role: null, isPrimary: true }] };
        }
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        await reject(trx, job, row, error, counts);
        continue;
      }
      for (const key of keys) touched.add(key);
      pending.push({ prepared, rowNumber: row.rowNumber });
    }
    await flush();
  }

  /**
   * Runs an import as its creator, batch after batch. Each batch is one transaction: its rows (each all-or-nothing, a
   * failing one listed as rejected), their audit entries and the job's progress commit together, so a job that dies
   * resumes from its last committed batch. Contact batches are written in bulk; a batch whose bulk write fails is rolled
   * back and run again row by row, each row behind a savepoint, as company imports always are. Runs stop at a cancel,
   * and at `maxBatches` (tests).
   */
  async function run(workspaceId: string, id: string, options: { batchSize?: number; maxBatches?: number } = {}): Promise<void> {
    const job = await findImport(deps.db, workspaceId, id);
    if (!job || (job.status !== 'queued' && job.status !== 'running')) return;
    const actor = job.created_by ? await actorOfUser(deps.db, workspaceId, job.created_by) : undefined;
    const fail = (error: string) => setImportProgress(deps.db, workspaceId, id, { status: 'failed', error, finished_at: deps.clock.now() });
    if (!actor) return fail('the user who started the import no longer exists');
    const ctx: Ctx = { actor, meta: { ip: null, requestId: `import:${id}` } };
    let file: ParsedFile;
    try {
      file = await fileOf(job);
    } catch (error) {
      return fail(`the file cannot be read: ${(error as Error).message}`);
    }
    const customFields = await importableFields(deps.db, workspaceId, job.object);
    const batchSize = options.batchSize ?? IMPORT_BATCH_SIZE;
    const runBatch = (bulk: boolean) =>
      deps.db.transaction().execute(async (trx) => {
        const current = (await findImport(trx, workspaceId, id, { forUpdate: true }))!;
        if (current.status !== 'queued' && current.status !== 'running') return false;
        const startedAt = current.started_at ?? deps.clock.now();
        const from = current.rows_done;
        const counts = { created: current.created_count, updated: current.updated_count, skipped: current.skipped_count, rejected: current.rejected_count };
        const rowOpts = rowOptions(current, customFields);
        const rows = file.rows.slice(from, from + batchSize).map((cells, offset) => ({ cells, rowNumber: from + offset + 2 }));
        if (bulk) await importInBulk(trx, ctx, current, rows, rowOpts, counts);
        else for (const row of rows) await importRowAlone(trx, ctx, current, row, readRow(row.cells, rowOpts), counts);
        const done = Math.min(from + batchSize, file.rows.length);
        const finished = done >= file.rows.length;
        await setImportProgress(trx, workspaceId, id, {
          status: finished ? 'done' : 'running',
          started_at: startedAt,
          rows_done: done,
          total_rows: file.rows.length,
          created_count: counts.created,
          updated_count: counts.updated,
          skipped_count: counts.skipped,
          rejected_count: counts.rejected,
          ...(finished ? { finished_at: deps.clock.now() } : {}),
        });
        if (finished) await recordAudit(trx, ctx, { action: 'import.finish', objectType: 'import', objectId: id, meta: { object: current.object, rows: file.rows.length, ...counts } });
        return !finished;
      });
    for (let batches = 0; options.maxBatches === undefined || batches < options.maxBatches; batches += 1) {
      let more: boolean;
      try {
        more = await runBatch(job.object === 'contact');
      } catch (error) {
        if (job.object !== 'contact') throw error;
        deps.logger.warn({ err: error, importId: id }, 'an import batch could not be written in bulk; writing it row by row');
        more = await runBatch(false);
      }
      if (!more) return;
    }
  }

  /** Imports a worker must pick up: queued ones and those a stopped process left running. */
  async function pending(): Promise<{ workspaceId: string; id: string }[]> {
    return (await activeImports(deps.db)).map((row) => ({ workspaceId: row.workspace_id, id: row.id }));
  }

  /** The refused rows as CSV: the file's columns, then the row number and the reason. */
  async function rejectedCsv(ctx: Ctx, id: string): Promise<{ fileName: string; csv: string }> {
    const row = await load(deps.db, ctx, id);
    const rows = await rejectedRows(deps.db, ctx.actor.workspaceId, id);
    const lines = [[...row.headers, 'row', 'reason'], ...rows.map((rejected) => [...row.headers.map((_, i) => rejected.cells[i] ?? ''), String(rejected.row_number), rejected.reason])];
    const base = row.file_name.replace(/\.[^.]+$/, '');
    return { fileName: `${base}-rejected.csv`, csv: toCsv(lines[0] ?? [], lines.slice(1)) };
  }

  /**
   * Rolls the import back as a whole, in one transaction: records it created are removed (so the base is as before),
   * records it updated get their old values back. Refused, with the records at fault, when any of them changed since
   * or something else now points at a created one.
   */
  async function undo(ctx: Ctx, id: string): Promise<ImportJob> {
    const { workspaceId } = ctx.actor;
    return deps.db.transaction().execute(async (trx) => {
      const job = await load(trx, ctx, id, true);
      checkRights(ctx, job.object, ['update', 'delete']);
      if (!['done', 'cancelled', 'failed'].includes(job.status)) throw new AppError('conflict', { message: job.status === 'undone' ? 'The import was already undone' : 'Cancel the import or let it finish before undoing it' });
      const records = await importedRecords(trx, workspaceId, id);
      const conflicts: { path: string; message: string }[] = [];
      const createdContacts = records.filter((r) => r.object === 'contact' && r.action === 'created').map((r) => r.record_id);
      conflicts.push(...(await productUndoConflicts(trx, ctx, deps.product, records.filter((r) => r.object === 'product'))));
      for (const object of CLIENT_OBJECTS) {
        const mine = records.filter((r) => r.object === object);
        const states = new Map((await recordStates(trx, object, workspaceId, mine.map((r) => r.record_id))).map((state) => [state.id, state]));
        for (const record of mine) {
          const state = states.get(record.record_id);
          if (!state || state.deleted_at !== null || state.version !== record.version_after) conflicts.push({ path: `/records/${object}/${record.record_id}`, message: `changed since the import (row ${record.row_number})` });
        }
        const created = mine.filter((r) => r.action === 'created').map((r) => r.record_id);
        for (const referenced of await referencedRecords(trx, object, workspaceId, created, createdContacts)) conflicts.push({ path: `/records/${object}/${referenced}`, message: 'other records now refer to it' });
      }
      if (conflicts.length > 0) {
        throw new AppError('conflict', { message: `${conflicts.length} imported records changed since the import or are in use; the import cannot be undone exactly`, errors: conflicts.slice(0, UNDO_CONFLICTS_LISTED) });
      }
      const meta = { undoOfImport: id };
      let restored = 0;
      for (const record of records.filter((r) => r.action === 'updated')) {
        // Deals are only created, never updated.
        const writer = { contact: deps.contact, company: deps.company, lead: deps.lead, product: deps.product }[record.object as Exclude<ImportObject, 'deal'>];
        if (!(await writer.restoreColumns(trx, ctx, record.record_id, record.before ?? {}, record.version_after, meta))) throw new AppError('conflict', { message: 'A record changed while the import was being undone; try again' });
        restored += 1;
      }
      await deps.product.purge(trx, ctx, records.filter((r) => r.object === 'product' && r.action === 'created').map((r) => r.record_id), meta);
      // Deals first, they hold people and companies; then people: their links hold the companies.
      for (const object of ['deal', 'contact', 'company', 'lead'] as const) {
        const created = records.filter((r) => r.object === object && r.action === 'created');
        for (const record of created) {
          const row = await loadRecord(trx, ctx, object, record.record_id, 'delete');
          await recordChanged(trx, ctx, object, record.record_id, 'purge', { meta: { ...meta, title: titleOf(object, row) } });
        }
        await purgeRecords(trx, object, workspaceId, created.map((r) => r.record_id));
      }
      await setImportProgress(trx, workspaceId, id, { status: 'undone', undone_at: deps.clock.now() });
      await recordAudit(trx, ctx, { action: 'import.undo', objectType: 'import', objectId: id, meta: { removed: records.length - restored, restored } });
      return toImportJob((await findImport(trx, workspaceId, id))!);
    });
  }

  async function mappings(ctx: Ctx, object: ImportObject): Promise<ImportMapping[]> {
    checkRights(ctx, object);
    return listMappings(deps.db, ctx.actor.workspaceId, object);
  }

  return { upload, get, list, configure, preview, start, cancel, run, pending, rejectedCsv, undo, mappings };
}

export type ImportService = ReturnType<typeof createImportService>;
