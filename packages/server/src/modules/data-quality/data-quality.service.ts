import {
  DQ_OBJECTS,
  normalizeEmail,
  type BulkResult,
  type ClientObject,
  type DqCount,
  type DqFixBody,
  type DqObject,
  type DqRecord,
  type DqRecordPage,
  type DqRecordsQuery,
  type DqScanResult,
  type DqSummary,
  type EmailInput,
  type MergeBody,
  type PhoneInput,
  type ReviewItem,
  type ReviewItemPage,
  type ReviewItemsQuery,
  type ReviewMergeBody,
} from '@rapport/shared';
import { accessScope, can } from '../../core/access-scope.js';
import { AppError } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import { decodeCursor, encodeCursor } from '../../core/pagination.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import { newId } from '../../infra/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { loadRecord, type ObjectDef } from '../client-record/client-record.service.js';
import {
  closeReviewItem,
  countOpenItems,
  countProblem,
  findReviewItem,
  insertReviewItems,
  listOpenItems,
  listProblem,
  pairsOfRecords,
  recordsByIds,
  scanPairs,
  type DqRecordRow,
  type PairRow,
  type ReviewItemRow,
} from './data-quality.repository.js';

/** Counts stop here ("10,000+"): enough to size the work, cheap on a million records. */
const COUNT_CAP = 10_000;
/** One scan proposes at most this many new pairs; the next scan finds the rest. */
const SCAN_LIMIT = 1_000;
const E164 = /^\+[1-9]\d{6,14}$/;

/** What the page needs of the object services: their versioned update and their merge. */
interface ObjectWriter {
  update(ctx: Ctx, id: string, patch: { phones?: PhoneInput[]; emails?: EmailInput[]; keepInvalidAsNote?: boolean }, version: number | undefined): Promise<unknown>;
  merge(ctx: Ctx, body: MergeBody): Promise<{ id: string }>;
}

export interface DataQualityDeps extends ServiceDeps {
  defs: Record<DqObject, ObjectDef>;
  writers: Record<DqObject, ObjectWriter>;
}

const isDqObject = (object: string): object is DqObject => (DQ_OBJECTS as readonly string[]).includes(object);
const pairItems = (rows: PairRow[], object: DqObject, source: 'import' | 'scan', importId: string | null) =>
  rows.map((row) => ({ id: newId(), object, recordA: row.record_a, recordB: row.record_b, reasons: row.reasons, source, importId }));

/**
 * An import's hook, in its batch's transaction: the records it just created go to the review list with the records they
 * likely duplicate — a similar name within the same company, and, when the import created rows whatever matched
 * (`strong`), the same phone, e-mail or tax number. Only records the import's user may read are compared.
 */
export async function noteImportedRecords(ex: Executor, ctx: Ctx, input: { importId: string; object: ClientObject; ids: string[]; strong: boolean }): Promise<void> {
  if (!isDqObject(input.object)) return;
  const { workspaceId } = ctx.actor;
  const pairs = await pairsOfRecords(ex, input.object, { workspaceId, ids: input.ids, scope: accessScope(ctx.actor, input.object, 'read'), strong: input.strong });
  await insertReviewItems(ex, workspaceId, ctx.actor.userId, pairItems(pairs, input.object, 'import', input.importId));
}

const counted = (n: number): DqCount => ({ value: Math.min(n, COUNT_CAP), exact: n <= COUNT_CAP });

function toDqRecord(object: DqObject, row: DqRecordRow): DqRecord {
  return {
    object,
    id: row.id,
    title: row.title,
    subtitle: row.subtitle,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    ownerActive: row.owner_active,
    phones: row.phones.map((phone) => ({ number: phone.number, e164: phone.e164, valid: phone.e164 !== null && E164.test(phone.e164) })),
    emails: row.emails.map((entry) => ({ email: entry.email, valid: normalizeEmail(entry.email ?? '') !== null })),
    createdAt: row.created_at.toISOString(),
    version: row.version,
  };
}

export function createDataQualityService(deps: DataQualityDeps) {
  /** The data-quality right on an object is the right to change its records: fixing them is editing them. */
  const scopeOf = (ctx: Ctx, object: DqObject) => accessScope(ctx.actor, object, 'update');

  async function summary(ctx: Ctx): Promise<DqSummary> {
    const objects = DQ_OBJECTS.filter((object) => can(ctx.actor, object, 'update'));
    if (objects.length === 0) throw new AppError('forbidden', { message: 'Your role cannot change companies, contacts or leads' });
    const { workspaceId } = ctx.actor;
    const rows: DqSummary['objects'] = [];
    for (const object of objects) {
      const scope = scopeOf(ctx, object);
      rows.push({
        object,
        invalidPhones: counted(await countProblem(deps.db, object, workspaceId, scope, 'invalid_phones', COUNT_CAP)),
        invalidEmails: counted(await countProblem(deps.db, object, workspaceId, scope, 'invalid_emails', COUNT_CAP)),
        missingOwner: counted(await countProblem(deps.db, object, workspaceId, scope, 'missing_owner', COUNT_CAP)),
        duplicates: counted(await countOpenItems(deps.db, object, workspaceId, scope, undefined, COUNT_CAP)),
      });
    }
    return { objects: rows };
  }

  async function records(ctx: Ctx, q: DqRecordsQuery): Promise<DqRecordPage> {
    const scope = scopeOf(ctx, q.object);
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, ['text', 'uuid']) as [string, string] | undefined;
    const rows = await listProblem(deps.db, q.object, { workspaceId: ctx.actor.workspaceId, scope, problem: q.problem, titles: deps.defs[q.object], after, limit });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items: items.map((row) => toDqRecord(q.object, row)), nextCursor: rows.length > limit && last ? encodeCursor([last.at_key, last.id]) : null };
  }

  /**
   * Takes unreadable phones and e-mails off records, keeping them as typed in a note on each (the record's own update
   * with `keepInvalidAsNote`, so it is versioned and audited as any edit). Readable phones are written back in E.164,
   * which reads the same in any country. Each record succeeds or fails alone.
   */
  async function fixContactPoints(ctx: Ctx, body: DqFixBody): Promise<BulkResult> {
    // The right on the object is checked for the whole request; each record's own scope, by its update.
    scopeOf(ctx, body.object);
    const result: BulkResult = { done: 0, failed: [] };
    const rows = new Map((await recordsByIds(deps.db, body.object, ctx.actor.workspaceId, body.ids, deps.defs[body.object])).map((row) => [row.id, row]));
    for (const id of new Set(body.ids)) {
      try {
        const row = rows.get(id);
        if (!row) throw new AppError('not_found', { message: `No such ${body.object}` });
        const record = toDqRecord(body.object, row);
        const badPhones = record.phones.some((phone) => !phone.valid);
        const badEmails = record.emails.some((entry) => !entry.valid);
        if (!badPhones && !badEmails) {
          result.done += 1;
          continue;
        }
        const patch = {
          ...(badPhones ? { phones: row.phones.map((phone, i) => ({ type: phone.type as 'work', number: record.phones[i]!.valid ? phone.e164! : phone.number })) } : {}),
          ...(badEmails ? { emails: row.emails.map((entry) => ({ type: entry.type as 'work', email: entry.email })) } : {}),
          keepInvalidAsNote: true,
        };
        await deps.writers[body.object].update(ctx, id, patch, row.version);
        result.done += 1;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        result.failed.push({ id, code: error.code, message: error.message });
      }
    }
    return result;
  }

  async function toReviewItems(ex: Executor, object: DqObject, workspaceId: string, rows: ReviewItemRow[]): Promise<ReviewItem[]> {
    const records = new Map((await recordsByIds(ex, object, workspaceId, rows.flatMap((row) => [row.record_a, row.record_b]), deps.defs[object])).map((row) => [row.id, toDqRecord(object, row)]));
    return rows.flatMap((row) => {
      const pair = [records.get(row.record_a), records.get(row.record_b)].filter((record): record is DqRecord => record !== undefined).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      if (pair.length < 2) return [];
      return [{ id: row.id, object, reasons: row.reasons as ReviewItem['reasons'], source: row.source, importId: row.import_id, status: row.status, createdAt: row.created_at.toISOString(), records: pair, version: row.version }];
    });
  }

  /** Open review items whose two records the actor may change, newest first; narrowed to one import on request. */
  async function reviewItems(ctx: Ctx, q: ReviewItemsQuery): Promise<ReviewItemPage> {
    const scope = scopeOf(ctx, q.object);
    const { workspaceId } = ctx.actor;
    const limit = q.limit ?? 20;
    const after = decodeCursor(q.cursor, ['text', 'uuid']) as [string, string] | undefined;
    const rows = await listOpenItems(deps.db, q.object, { workspaceId, scope, importId: q.importId, after, limit });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const total = await countOpenItems(deps.db, q.object, workspaceId, scope, q.importId, COUNT_CAP);
    return { items: await toReviewItems(deps.db, q.object, workspaceId, page), nextCursor: rows.length > limit && last ? encodeCursor([last.at_key, last.id]) : null, total: counted(total) };
  }

  /** An open item whose two records the actor may change; any other is "not found" (its records are not revealed). */
  async function loadItem(ex: Executor, ctx: Ctx, id: string, forUpdate = false): Promise<ReviewItemRow> {
    const item = await findReviewItem(ex, ctx.actor.workspaceId, id, forUpdate);
    if (!item || !can(ctx.actor, item.object, 'update')) throw new AppError('not_found', { message: 'No such review item' });
    for (const recordId of [item.record_a, item.record_b]) {
      try {
        await loadRecord(ex, ctx, item.object, recordId, 'update');
      } catch (error) {
        if (error instanceof AppError && (error.code === 'not_found' || error.code === 'forbidden')) {
          throw new AppError('not_found', { message: item.status === 'open' ? 'No such review item' : 'The review item is closed' });
        }
        throw error;
      }
    }
    if (item.status !== 'open') throw new AppError('conflict', { message: `The review item is already ${item.status}` });
    return item;
  }

  async function close(ctx: Ctx, trx: Executor, item: ReviewItemRow, version: number | undefined, status: 'merged' | 'dismissed', meta: Record<string, unknown>): Promise<ReviewItemRow> {
    if (version !== undefined && version !== item.version) throw new AppError('version_conflict', { message: `The review item was changed elsewhere (now version ${item.version})`, currentVersion: item.version });
    const after = await closeReviewItem(trx, ctx.actor.workspaceId, item.id, item.version, status, ctx.actor.userId);
    if (!after) throw new AppError('version_conflict', { message: 'The review item was changed elsewhere; reload it' });
    await recordAudit(trx, ctx, { action: `data_quality.${status === 'merged' ? 'merge' : 'dismiss'}`, objectType: 'data_review_item', objectId: item.id, meta: { object: item.object, records: [item.record_a, item.record_b], reasons: item.reasons, ...meta } });
    return after;
  }

  /** "Not duplicates": the pair leaves the list and is never proposed again (its row stays, dismissed). */
  async function dismiss(ctx: Ctx, id: string, version: number | undefined): Promise<void> {
    await deps.db.transaction().execute(async (trx) => {
      const item = await loadItem(trx, ctx, id, true);
      await close(ctx, trx, item, version, 'dismissed', {});
    });
  }

  /** Merges the pair through the object's own merge (survivor and surviving values as chosen), then closes the item. */
  async function merge(ctx: Ctx, id: string, body: Omit<ReviewMergeBody, 'version'>, version: number | undefined): Promise<{ survivorId: string }> {
    const item = await loadItem(deps.db, ctx, id);
    if (version !== undefined && version !== item.version) throw new AppError('version_conflict', { message: `The review item was changed elsewhere (now version ${item.version})`, currentVersion: item.version });
    const pair = [item.record_a, item.record_b];
    if (!pair.includes(body.survivorId)) throw new AppError('validation', { message: 'The survivor must be one of the two records', errors: [{ path: '/body/survivorId', message: 'must be one of the pair' }] });
    const mergedId = pair.find((recordId) => recordId !== body.survivorId)!;
    await deps.writers[item.object].merge(ctx, { survivorId: body.survivorId, mergedIds: [mergedId], ...(body.fields ? { fields: body.fields } : {}) });
    await deps.db.transaction().execute(async (trx) => {
      const current = await findReviewItem(trx, ctx.actor.workspaceId, id, true);
      if (current?.status === 'open') await close(ctx, trx, current, undefined, 'merged', { survivorId: body.survivorId, mergedId });
    });
    return { survivorId: body.survivorId };
  }

  /** Looks through the records the actor may change for likely duplicates not proposed before. */
  async function scan(ctx: Ctx, object: DqObject): Promise<DqScanResult> {
    const scope = scopeOf(ctx, object);
    const { workspaceId } = ctx.actor;
    return deps.db.transaction().execute(async (trx) => {
      const pairs = await scanPairs(trx, object, { workspaceId, scope, limit: SCAN_LIMIT });
      const found = await insertReviewItems(trx, workspaceId, ctx.actor.userId, pairItems(pairs, object, 'scan', null));
      await recordAudit(trx, ctx, { action: 'data_quality.scan', objectType: 'data_review_item', objectId: null, meta: { object, found } });
      return { found, limited: pairs.length >= SCAN_LIMIT };
    });
  }

  return { summary, records, fixContactPoints, reviewItems, dismiss, merge, scan };
}

export type DataQualityService = ReturnType<typeof createDataQualityService>;
