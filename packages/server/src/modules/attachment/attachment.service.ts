import type { Readable } from 'node:stream';
import { ATTACHMENT_TYPES, type Attachment, type AttachmentList, type ClientObject } from '@rapport/shared';
import { fileTypeFromBuffer } from 'file-type';
import { accessScope, can, isInScope } from '../../core/access-scope.js';
import { AppError } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import { FileTooLargeError, type FileStorage, type PendingFile } from '../../infra/file-storage.js';
import { newId } from '../../infra/ids.js';
import { aliasesOf, loadRecord, recordChanged, userNames, type ClientRow } from '../client-record/client-record.service.js';
import { findAttachment, insertAttachment, listAttachments, markAttachmentDeleted, type AttachmentRow } from './attachment.repository.js';

export interface AttachmentDeps extends ServiceDeps {
  storage: FileStorage;
  maxBytes: number;
}

const ALLOWED: readonly string[] = ATTACHMENT_TYPES;
const TEXT_TYPES: Record<string, string> = { txt: 'text/plain', csv: 'text/csv' };

/**
 * The type the content shows. Text has no magic bytes: a .txt or .csv whose start has no NUL byte is text (in any
 * encoding: 1C and Excel exports come in Windows-1251). Anything else unrecognised is refused.
 */
export async function detectContentType(head: Buffer, fileName: string): Promise<string | null> {
  const detected = await fileTypeFromBuffer(head);
  if (detected) return ALLOWED.includes(detected.mime) ? detected.mime : null;
  const text = TEXT_TYPES[fileName.toLowerCase().split('.').pop() ?? ''];
  return text && !head.includes(0) ? text : null;
}

/** Streams an upload into storage, pending; one over `maxBytes` is a 413 problem at `/body` and leaves nothing. */
export async function receiveUpload(storage: FileStorage, content: Readable, maxBytes: number): Promise<PendingFile> {
  try {
    return await storage.receive(content, maxBytes);
  } catch (error) {
    if (error instanceof FileTooLargeError) {
      const megabytes = Math.floor(maxBytes / (1024 * 1024));
      throw new AppError('payload_too_large', { message: `The file is larger than ${megabytes} MB`, errors: [{ path: '/body', message: `must be at most ${megabytes} MB` }] });
    }
    throw error;
  }
}

function toAttachment(row: AttachmentRow, ctx: Ctx, names: Map<string, string>, recordEditable: boolean): Attachment {
  return {
    id: row.id,
    object: row.subject_type,
    recordId: row.subject_id,
    fileName: row.file_name,
    contentType: row.content_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    createdByName: row.created_by ? (names.get(row.created_by) ?? null) : null,
    removable: recordEditable || (row.created_by !== null && row.created_by === ctx.actor.userId),
  };
}

/** The record an attachment is on; one merged away is now its survivor's. */
async function loadSubject(ex: Executor, ctx: Ctx, row: AttachmentRow, action: 'read' | 'update'): Promise<ClientRow> {
  try {
    return await loadRecord(ex, ctx, row.subject_type, row.subject_id, action);
  } catch (error) {
    if (error instanceof AppError && error.extra.mergedInto) return loadRecord(ex, ctx, row.subject_type, error.extra.mergedInto, action);
    throw error;
  }
}

export function createAttachmentService(deps: AttachmentDeps) {
  /** A record's files, its merged records' included; needs the record's read right. */
  async function list(ctx: Ctx, object: ClientObject, id: string): Promise<AttachmentList> {
    const record = await loadRecord(deps.db, ctx, object, id);
    const rows = await listAttachments(deps.db, ctx.actor.workspaceId, object, [id, ...(await aliasesOf(deps.db, ctx.actor.workspaceId, object, id))]);
    const names = await userNames(deps.db, ctx.actor.workspaceId, rows.flatMap((row) => (row.created_by ? [row.created_by] : [])));
    // The rule loadRecord applies for 'update', on the row already read.
    const editable = can(ctx.actor, object, 'update') && isInScope(accessScope(ctx.actor, object, 'update'), { ownerId: record.owner_id, teamId: record.team_id });
    return { items: rows.map((row) => toAttachment(row, ctx, names, editable)) };
  }

  /**
   * Stores an upload on a record the actor may edit. The rights are checked before a byte is read; the size while it
   * streams in; the type from the content. A refused file leaves nothing behind, in storage or in the database.
   */
  async function upload(ctx: Ctx, object: ClientObject, id: string, fileName: string, content: Readable): Promise<Attachment> {
    await loadRecord(deps.db, ctx, object, id, 'update');
    const pending = await receiveUpload(deps.storage, content, deps.maxBytes);
    const name = fileName.trim();
    try {
      if (pending.sizeBytes === 0) throw new AppError('validation', { message: 'The file is empty', errors: [{ path: '/body', message: 'must not be empty' }] });
      const contentType = await detectContentType(pending.head, name);
      if (!contentType) throw new AppError('unsupported_media_type', { message: 'Files of this type cannot be attached', errors: [{ path: '/body', message: 'must be a document, a spreadsheet, a PDF, an image, an archive or plain text' }] });
      // The content is in place before its row can be seen. A failed transaction leaves a file nobody points to, which
      // is harmless: content-addressed files are shared by identical uploads, so none is ever removed on a rollback.
      await pending.store();
      const row = await deps.db.transaction().execute(async (trx) => {
        await loadRecord(trx, ctx, object, id, 'update', { forUpdate: true });
        const inserted = await insertAttachment(trx, { workspace_id: ctx.actor.workspaceId, id: newId(), subject_type: object, subject_id: id, file_name: name, content_type: contentType, size_bytes: pending.sizeBytes, sha256: pending.sha256, created_by: ctx.actor.via === 'system' ? null : ctx.actor.userId });
        await recordChanged(trx, ctx, object, id, 'attach', { meta: { attachmentId: inserted.id, fileName: name, sizeBytes: pending.sizeBytes } });
        return inserted;
      });
      return toAttachment(row, ctx, await userNames(deps.db, ctx.actor.workspaceId, row.created_by ? [row.created_by] : []), true);
    } finally {
      await pending.discard();
    }
  }

  /** The file for download or preview; needs the record's read right. */
  async function open(ctx: Ctx, attachmentId: string): Promise<{ attachment: Attachment; content: Readable }> {
    const row = await findAttachment(deps.db, ctx.actor.workspaceId, attachmentId);
    if (!row) throw new AppError('not_found', { message: 'No such attachment' });
    await loadSubject(deps.db, ctx, row, 'read');
    const content = await deps.storage.open(row.sha256).catch(() => {
      throw new AppError('not_found', { message: 'The file of this attachment is missing from storage' });
    });
    return { attachment: toAttachment(row, ctx, new Map(), false), content };
  }

  /** Whoever added the file, or anyone who may edit the record, can remove it; it shows on the record's timeline. */
  async function remove(ctx: Ctx, attachmentId: string): Promise<void> {
    await deps.db.transaction().execute(async (trx) => {
      const row = await findAttachment(trx, ctx.actor.workspaceId, attachmentId);
      if (!row) throw new AppError('not_found', { message: 'No such attachment' });
      const own = row.created_by !== null && row.created_by === ctx.actor.userId;
      const record = await loadSubject(trx, ctx, row, own ? 'read' : 'update');
      if (!(await markAttachmentDeleted(trx, ctx.actor.workspaceId, attachmentId, ctx.actor.userId))) throw new AppError('not_found', { message: 'No such attachment' });
      await recordChanged(trx, ctx, row.subject_type, record.id, 'detach', { meta: { attachmentId, fileName: row.file_name, sizeBytes: row.size_bytes } });
    });
  }

  return { list, upload, open, remove };
}

export type AttachmentService = ReturnType<typeof createAttachmentService>;
