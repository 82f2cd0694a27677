import { Type, type Static } from 'typebox';
import { ClientObjectSchema, type ClientObject } from './client-base.js';
import { BodyVersion, DateTime, Locale, literals, Uuid } from './contracts.js';

/**
 * Contracts of document templates (Settings › Document templates): a DOCX with merge fields such as `{name}` or
 * `{owner.name}`, filled from a record into a DOCX or PDF that is attached to the record.
 */

/** Merge fields every template may use, whatever its record: the workspace's payment details (Settings › Workspace) among them. */
export const COMMON_MERGE_FIELDS = [
  'today',
  'user.name',
  'owner.name',
  'workspace.name',
  'workspace.legalName',
  'workspace.address',
  'workspace.taxId',
  'workspace.kpp',
  'workspace.bankName',
  'workspace.account',
  'workspace.bic',
  'workspace.correspondentAccount',
] as const;

/** The record's own merge fields, per kind of record. */
export const RECORD_MERGE_FIELDS = {
  company: ['name', 'legalName', 'industry', 'inn', 'kpp', 'ogrn', 'vat', 'legalAddress', 'actualAddress', 'phone', 'email', 'website'],
  contact: ['name', 'firstName', 'middleName', 'lastName', 'position', 'phone', 'email', 'address', 'birthday', 'company.name'],
  lead: ['name', 'companyName', 'position', 'phone', 'email', 'description'],
  deal: ['title', 'amount', 'currency', 'stage', 'pipeline', 'expectedCloseDate', 'description', 'campaign', 'company.name', 'company.inn', 'company.legalAddress', 'contact.name', 'contact.phone', 'contact.email', 'contact.address', 'subtotal', 'tax', 'total'],
} as const satisfies Record<ClientObject, readonly string[]>;

/**
 * Loops a record's template may hold, each with the fields of one repetition: `{#items}{name} {total}{/items}` repeats
 * once per deal product (a table row repeats when the loop's tags sit in that one row).
 */
export const RECORD_MERGE_LOOPS: Record<ClientObject, Record<string, readonly string[]>> = {
  company: {},
  contact: {},
  lead: {},
  deal: { items: ['name', 'sku', 'unit', 'quantity', 'unitPrice', 'discount', 'tax', 'net', 'total'] },
};

/** Every merge field a template for `object` may use. */
export function mergeFieldsOf(object: ClientObject): string[] {
  return [...RECORD_MERGE_FIELDS[object], ...COMMON_MERGE_FIELDS];
}

/** The fields of a template for `object`: plain ones and, per loop, the fields of one repetition. */
export function allowedMergeFields(object: ClientObject): { fields: string[]; loops: Record<string, readonly string[]> } {
  return { fields: mergeFieldsOf(object), loops: RECORD_MERGE_LOOPS[object] };
}

export const DOCUMENT_FORMATS = ['docx', 'pdf'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

export const DocumentTemplate = Type.Object({
  id: Uuid,
  name: Type.String(),
  object: ClientObjectSchema,
  /** Dates and numbers in the document are written the way this language writes them. */
  locale: Locale,
  fileName: Type.String(),
  sizeBytes: Type.Integer(),
  /** The merge fields the file uses. */
  fields: Type.Array(Type.String()),
  archivedAt: Type.Union([DateTime, Type.Null()]),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: Type.Integer(),
});
export type DocumentTemplate = Static<typeof DocumentTemplate>;

export const DocumentTemplateList = Type.Object({
  items: Type.Array(DocumentTemplate),
  /** Whether this server can also produce PDF (it needs LibreOffice). */
  pdfAvailable: Type.Boolean(),
});
export type DocumentTemplateList = Static<typeof DocumentTemplateList>;

export const DocumentTemplateListQuery = Type.Object({ object: Type.Optional(ClientObjectSchema), includeArchived: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export type DocumentTemplateListQuery = Static<typeof DocumentTemplateListQuery>;

const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });

/** Upload: the request body is the DOCX itself; these travel in the query string. */
export const DocumentTemplateUploadQuery = Type.Object(
  { name: Name, object: ClientObjectSchema, locale: Type.Optional(Locale), fileName: Type.String({ minLength: 1, maxLength: 255, pattern: '\\S' }) },
  { additionalProperties: false },
);
export type DocumentTemplateUploadQuery = Static<typeof DocumentTemplateUploadQuery>;

export const DocumentTemplateUpdateBody = Type.Object({ name: Type.Optional(Name), locale: Type.Optional(Locale), version: BodyVersion }, { additionalProperties: false });
export type DocumentTemplateUpdateBody = Static<typeof DocumentTemplateUpdateBody>;

export const GenerateDocumentBody = Type.Object({ templateId: Uuid, format: literals(DOCUMENT_FORMATS) }, { additionalProperties: false });
export type GenerateDocumentBody = Static<typeof GenerateDocumentBody>;
