import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import {
  allowedMergeFields,
  type DealItems,
  type Attachment,
  type ClientObject,
  type Company,
  type Contact,
  type Deal,
  type DocumentTemplate,
  type DocumentTemplateList,
  type DocumentTemplateListQuery,
  type DocumentTemplateUpdateBody,
  type DocumentTemplateUploadQuery,
  type GenerateDocumentBody,
  type Lead,
  type Locale,
} from '@rapport/shared';
import { can } from '../../core/access-scope.js';
import { AppError, requireVersion } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import { diffFields } from '../../core/diff.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { FileStorage } from '../../infra/file-storage.js';
import { newId } from '../../infra/ids.js';
import type { PdfConverter } from '../../infra/pdf-converter.js';
import type { AttachmentService } from '../attachment/attachment.service.js';
import { detectContentType, receiveUpload } from '../attachment/attachment.service.js';
import { recordAudit } from '../audit/audit.service.js';
import { getPaymentDetails, getWorkspace } from '../workspace/workspace.service.js';
import { fillTemplate, inspectTemplate, TemplateError, type MergeValues } from './document-merge.js';
import { findTemplate, insertTemplate, listTemplates, updateTemplate, type DocumentTemplateRow } from './document-template.repository.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** How the document service reads a record: as its card shows it, with the reader's rights applied. */
export interface RecordReaders {
  company(ctx: Ctx, id: string): Promise<Company>;
  contact(ctx: Ctx, id: string): Promise<Contact>;
  lead(ctx: Ctx, id: string): Promise<Lead>;
  deal(ctx: Ctx, id: string): Promise<Deal>;
  dealItems(ctx: Ctx, id: string): Promise<DealItems>;
}

export interface DocumentDeps extends ServiceDeps {
  storage: FileStorage;
  pdf: PdfConverter;
  maxBytes: number;
  attachment: AttachmentService;
  readers: RecordReaders;
}

function toTemplate(row: DocumentTemplateRow): DocumentTemplate {
  return {
    id: row.id,
    name: row.name,
    object: row.object,
    locale: row.locale,
    fileName: row.file_name,
    sizeBytes: row.size_bytes,
    fields: row.fields,
    archivedAt: row.archived_at ? row.archived_at.toISOString() : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

/** A template's problems as field errors of the upload: each names the merge field it is about. */
function templateInvalid(error: TemplateError): AppError {
  return new AppError('validation', {
    message: 'The template cannot be used',
    errors: error.problems.map((problem) => ({ path: '/body', message: problem.message, ...(problem.field ? { field: problem.field } : {}) })),
  });
}

/** A related record the actor may not read (or that is gone) leaves its fields empty rather than failing the document. */
async function readable<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof AppError && (error.code === 'not_found' || error.code === 'forbidden')) return null;
    throw error;
  }
}

const formatDate = (value: Date | string, locale: Locale, timeZone: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone }).format(typeof value === 'string' ? new Date(`${value}T12:00:00Z`) : value);

/** The record's own merge values, by the names RECORD_MERGE_FIELDS gives them. */
async function recordValues(readers: RecordReaders, ctx: Ctx, object: ClientObject, id: string, locale: Locale, dates: (value: string) => string): Promise<{ title: string; values: Record<string, string | null>; loops?: Record<string, Record<string, string>[]> }> {
  switch (object) {
    case 'company': {
      const c = await readers.company(ctx, id);
      const { name, legalName, industry, inn, kpp, ogrn, vat, legalAddress, actualAddress, website } = c;
      return { title: name, values: { name, legalName, industry, inn, kpp, ogrn, vat, legalAddress, actualAddress, website, phone: c.phones[0]?.number ?? null, email: c.emails[0]?.email ?? null, 'owner.name': c.ownerName } };
    }
    case 'contact': {
      const c = await readers.contact(ctx, id);
      const { name, firstName, middleName, lastName, position, address } = c;
      const company = c.companies.find((link) => link.isPrimary) ?? c.companies[0];
      return {
        title: name,
        values: { name, firstName, middleName, lastName, position, address, phone: c.phones[0]?.number ?? null, email: c.emails[0]?.email ?? null, birthday: c.birthday ? dates(c.birthday) : null, 'company.name': company?.companyName ?? null, 'owner.name': c.ownerName },
      };
    }
    case 'lead': {
      const l = await readers.lead(ctx, id);
      const { name, companyName, position, description } = l;
      return { title: name, values: { name, companyName, position, description, phone: l.phones[0]?.number ?? null, email: l.emails[0]?.email ?? null, 'owner.name': l.ownerName } };
    }
    case 'deal': {
      const d = await readers.deal(ctx, id);
      const companyId = d.companyId;
      const contactId = d.contacts[0]?.contactId;
      const company = companyId ? await readable(() => readers.company(ctx, companyId)) : null;
      const contact = contactId ? await readable(() => readers.contact(ctx, contactId)) : null;
      const money = (value: string) => new Intl.NumberFormat(locale, { style: 'currency', currency: d.currency }).format(Number(value));
      const number = (value: string) => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(Number(value));
      const amount = money(d.amount);
      const lines = await readers.dealItems(ctx, id);
      return {
        title: d.title,
        values: {
          title: d.title,
          amount,
          currency: d.currency,
          stage: d.stageName,
          pipeline: d.pipelineName,
          expectedCloseDate: d.expectedCloseDate ? dates(d.expectedCloseDate) : null,
          description: d.description,
          'company.name': d.companyName,
          'company.inn': company?.inn ?? null,
          'company.legalAddress': company?.legalAddress ?? null,
          'contact.name': d.contacts[0]?.contactName ?? null,
          'contact.phone': contact?.phones[0]?.number ?? null,
          'contact.email': contact?.emails[0]?.email ?? null,
          'contact.address': contact?.address ?? null,
          'owner.name': d.ownerName,
          campaign: d.campaign,
          subtotal: money(lines.totals.net),
          tax: money(lines.totals.tax),
          total: money(lines.totals.total),
        },
        loops: {
          items: lines.items.map((item) => ({
            name: item.name,
            sku: item.sku ?? '',
            unit: item.unit,
            quantity: number(item.quantity),
            unitPrice: money(item.price),
            discount: `${number(item.discountPercent)}%`,
            tax: money(item.tax),
            net: money(item.net),
            total: money(item.total),
          })),
        },
      };
    }
  }
}

/** A file name from the template's and the record's names, without what file systems refuse. */
const documentFileName = (template: string, record: string, format: string) => `${`${template} — ${record}`.replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ').trim().slice(0, 200)}.${format}`;

export function createDocumentService(deps: DocumentDeps) {
  async function load(ctx: Ctx, id: string, forUpdate = false, ex = deps.db): Promise<DocumentTemplateRow> {
    const row = await findTemplate(ex, ctx.actor.workspaceId, id, forUpdate);
    if (!row) throw new AppError('not_found', { message: 'No such document template' });
    return row;
  }

  /** Templates for the kinds of record the actor may read. */
  async function list(ctx: Ctx, query: DocumentTemplateListQuery): Promise<DocumentTemplateList> {
    const rows = await listTemplates(deps.db, ctx.actor.workspaceId, { object: query.object, includeArchived: query.includeArchived === true });
    return { items: rows.filter((row) => can(ctx.actor, row.object, 'read')).map(toTemplate), pdfAvailable: deps.pdf.available };
  }

  /** Reads the upload whole (a template is small), checks it is a DOCX whose merge fields all exist, and keeps it. */
  async function upload(ctx: Ctx, query: DocumentTemplateUploadQuery, content: Readable): Promise<DocumentTemplate> {
    const pending = await receiveUpload(deps.storage, content, deps.maxBytes);
    try {
      if ((await detectContentType(pending.head, query.fileName)) !== DOCX) {
        throw new AppError('unsupported_media_type', { message: 'A template must be a DOCX document', errors: [{ path: '/body', message: 'must be a DOCX document (Word 2007 or later)' }] });
      }
      await pending.store();
      const file = await buffer(await deps.storage.open(pending.sha256));
      let fields: string[];
      try {
        fields = inspectTemplate(file, allowedMergeFields(query.object));
      } catch (error) {
        if (error instanceof TemplateError) throw templateInvalid(error);
        throw error;
      }
      return await deps.db.transaction().execute(async (trx) => {
        const { workspaceId, userId } = ctx.actor;
        const locale = query.locale ?? (await getWorkspace(trx, workspaceId)).locale;
        const row = await insertTemplate(trx, { workspace_id: workspaceId, id: newId(), name: query.name.trim(), object: query.object, locale, file_name: query.fileName.trim(), sha256: pending.sha256, size_bytes: pending.sizeBytes, fields, created_by: userId, updated_by: userId });
        await recordAudit(trx, ctx, { action: 'document_template.create', objectType: 'document_template', objectId: row.id, meta: { name: row.name, object: row.object, fileName: row.file_name, fields } });
        return toTemplate(row);
      });
    } finally {
      await pending.discard();
    }
  }

  async function update(ctx: Ctx, id: string, patch: Omit<DocumentTemplateUpdateBody, 'version'>, version: number | undefined): Promise<DocumentTemplate> {
    const expected = requireVersion(version);
    return deps.db.transaction().execute(async (trx) => {
      const current = await load(ctx, id, true, trx);
      if (current.version !== expected) throw new AppError('version_conflict', { message: 'The template was changed meanwhile', currentVersion: current.version });
      const changes = { ...(patch.name !== undefined ? { name: patch.name.trim() } : {}), ...(patch.locale !== undefined ? { locale: patch.locale } : {}) };
      const updated = await updateTemplate(trx, ctx.actor.workspaceId, id, expected, changes, ctx.actor.userId);
      if (!updated) throw new AppError('version_conflict', { message: 'The template was changed meanwhile', currentVersion: current.version });
      await recordAudit(trx, ctx, { action: 'document_template.update', objectType: 'document_template', objectId: id, changes: diffFields(toTemplate(current), toTemplate(updated), ['name', 'locale']) });
      return toTemplate(updated);
    });
  }

  /** Archived templates are no longer offered; documents made from them stay where they are. */
  async function archive(ctx: Ctx, id: string): Promise<void> {
    await deps.db.transaction().execute(async (trx) => {
      const current = await load(ctx, id, true, trx);
      if (current.archived_at) return;
      await updateTemplate(trx, ctx.actor.workspaceId, id, current.version, { archived_at: new Date() }, ctx.actor.userId);
      await recordAudit(trx, ctx, { action: 'document_template.delete', objectType: 'document_template', objectId: id, meta: { name: current.name } });
    });
  }

  /** The template's DOCX, for an administrator to download and edit. */
  async function file(ctx: Ctx, id: string): Promise<{ fileName: string; sizeBytes: number; content: Readable }> {
    const row = await load(ctx, id);
    const content = await deps.storage.open(row.sha256).catch(() => {
      throw new AppError('not_found', { message: 'The file of this template is missing from storage' });
    });
    return { fileName: row.file_name, sizeBytes: row.size_bytes, content };
  }

  /**
   * Fills a template from a record and attaches the result to it (which needs the right to edit the record): the
   * values are the record as the actor's card shows it, dates written the template's way.
   */
  async function generate(ctx: Ctx, object: ClientObject, recordId: string, body: GenerateDocumentBody): Promise<Attachment> {
    const template = await findTemplate(deps.db, ctx.actor.workspaceId, body.templateId);
    if (!template || template.archived_at || template.object !== object) {
      throw new AppError('validation', { message: 'No such template for this kind of record', errors: [{ path: '/body/templateId', message: 'must be a live template for this kind of record' }] });
    }
    if (body.format === 'pdf' && !deps.pdf.available) {
      throw new AppError('validation', { message: 'This server cannot make PDF documents', errors: [{ path: '/body/format', message: 'PDF needs LibreOffice on the server; choose docx' }] });
    }
    const workspace = await getWorkspace(deps.db, ctx.actor.workspaceId);
    const dates = (value: string) => formatDate(value, template.locale, workspace.timezone);
    const record = await recordValues(deps.readers, ctx, object, recordId, template.locale, dates);
    const payment = await getPaymentDetails(deps.db, ctx.actor.workspaceId);
    const values = {
      ...record.values,
      today: formatDate(new Date(), template.locale, workspace.timezone),
      'user.name': ctx.actor.name,
      'workspace.name': workspace.name,
      ...Object.fromEntries(Object.entries(payment).map(([field, value]) => [`workspace.${field}`, value])),
    };
    const merge: MergeValues = { ...Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value ?? ''])), ...record.loops };
    const filled = fillTemplate(await buffer(await deps.storage.open(template.sha256)), merge);
    const content = body.format === 'pdf' ? await deps.pdf.fromDocx(filled) : filled;
    return deps.attachment.upload(ctx, object, recordId, documentFileName(template.name, record.title, body.format), Readable.from(content));
  }

  return { list, upload, update, archive, file, generate };
}

export type DocumentService = ReturnType<typeof createDocumentService>;
