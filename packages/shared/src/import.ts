import { Type, type Static } from 'typebox';
import { BodyVersion, DateTime, literals, Nullable, Uuid } from './contracts.js';
import type { PermissionAction, PermissionObject } from './permissions.js';

/**
 * Contracts of the import wizard: a CSV, XLSX or vCard file uploaded for one object, its encoding and delimiter (detected, overridable),
 * the column → field mapping, the options, the durable job's progress and its report, undo, and saved mappings.
 */

export const IMPORT_OBJECTS = ['contact', 'company', 'lead', 'product', 'deal'] as const;
export type ImportObject = (typeof IMPORT_OBJECTS)[number];

/**
 * The role's right that lets a user import an object: the object's own import right; the product catalog has no
 * rights of its own (whoever may change the workspace's settings keeps it), so that right imports products.
 */
export function importRight(object: ImportObject): { object: PermissionObject; action: PermissionAction } {
  return object === 'product' ? { object: 'settings', action: 'update' } : { object, action: 'import' };
}

/** What happens to a row that matches an existing record (or an earlier row) by phone, e-mail or tax number (leads: phone or e-mail; products: SKU). Deals have no natural key: they are only created. */
export const IMPORT_MODES = ['skip', 'update_empty', 'overwrite', 'create'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export const IMPORT_STATUSES = ['draft', 'queued', 'running', 'done', 'cancelled', 'failed', 'undone'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const IMPORT_ENCODINGS = ['utf-8', 'windows-1251', 'koi8-r', 'utf-16le', 'utf-16be'] as const;
export type ImportEncoding = (typeof IMPORT_ENCODINGS)[number];

export const IMPORT_DELIMITERS = [',', ';', '\t', '|'] as const;
export type ImportDelimiter = (typeof IMPORT_DELIMITERS)[number];

/** How the file is read: encoding and delimiter apply to CSV (and the encoding to vCard) only. */
export const IMPORT_FORMATS = ['csv', 'xlsx', 'vcard'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * Why a file was refused as a whole (a problem's `errors[].code`, with `params`) or a cell cannot be stored (a preview
 * error's `code`): the web translates them, the English `message` is for logs, scripts and the rejected-rows file.
 */
export const IMPORT_FILE_PROBLEMS = ['empty', 'too_large', 'csv_broken', 'too_many_columns', 'no_rows', 'no_data_rows', 'xlsx_unreadable', 'xlsx_unpacked_too_large', 'vcard_broken', 'no_cards', 'unsupported_format'] as const;
export type ImportFileProblem = (typeof IMPORT_FILE_PROBLEMS)[number];
export const IMPORT_CELL_PROBLEMS = ['phone', 'email', 'date', 'number', 'boolean', 'option', 'tax_id', 'too_long', 'required_first_name', 'required_name', 'required_reason', 'required_sku', 'required_title', 'unknown_field', 'invalid'] as const;
export type ImportCellProblem = (typeof IMPORT_CELL_PROBLEMS)[number];

/** The fields a column can fill; custom fields join them as `custom.<key>`. */
export const IMPORT_FIELDS = {
  contact: ['fullName', 'lastName', 'firstName', 'middleName', 'position', 'phone', 'email', 'birthday', 'address', 'companyName', 'companyInn', 'tags'],
  company: ['name', 'legalName', 'inn', 'kpp', 'ogrn', 'industry', 'phone', 'email', 'website', 'legalAddress', 'actualAddress', 'tags'],
  lead: ['name', 'companyName', 'position', 'phone', 'email', 'source', 'status', 'disqualifyReason', 'description', 'tags'],
  product: ['sku', 'name', 'description', 'unit', 'price', 'currency', 'taxRate'],
  deal: ['title', 'amount', 'currency', 'pipeline', 'stage', 'lostReason', 'companyName', 'companyInn', 'contactEmail', 'contactPhone', 'ownerEmail', 'expectedCloseDate', 'source', 'description', 'tags'],
} as const satisfies Record<ImportObject, readonly string[]>;
export const IMPORT_FIELD_KEY = '^([a-zA-Z]{1,40}|custom\\.[a-z][a-z0-9_]{0,62})$';
/** Columns past this many are refused: no export has that many real fields. */
export const IMPORT_MAX_COLUMNS = 2000;

const FieldKey = Type.String({ pattern: IMPORT_FIELD_KEY });
const Country = Type.String({ pattern: '^[A-Z]{2}$' });

export const ImportJob = Type.Object({
  id: Uuid,
  object: literals(IMPORT_OBJECTS),
  status: literals(IMPORT_STATUSES),
  fileName: Type.String(),
  fileSize: Type.Integer(),
  format: literals(IMPORT_FORMATS),
  encoding: literals(IMPORT_ENCODINGS),
  delimiter: literals(IMPORT_DELIMITERS),
  headers: Type.Array(Type.String()),
  /** Per column, in the order of `headers`: the field it fills, or null. */
  mapping: Type.Array(Nullable(FieldKey)),
  defaultCountry: Country,
  fileLocale: literals(['en', 'ru'] as const),
  mode: literals(IMPORT_MODES),
  totalRows: Type.Integer(),
  rowsDone: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  skipped: Type.Integer(),
  rejected: Type.Integer(),
  /** Rows per second since the job started; null before it starts. */
  rate: Nullable(Type.Number()),
  error: Nullable(Type.String()),
  startedAt: Nullable(DateTime),
  finishedAt: Nullable(DateTime),
  undoneAt: Nullable(DateTime),
  createdAt: DateTime,
  version: Type.Integer(),
});
export type ImportJob = Static<typeof ImportJob>;

export const ImportUploadQuery = Type.Object(
  {
    object: literals(IMPORT_OBJECTS),
    name: Type.String({ minLength: 1, maxLength: 255, pattern: '\\S' }),
    encoding: Type.Optional(literals(IMPORT_ENCODINGS)),
    delimiter: Type.Optional(literals(IMPORT_DELIMITERS)),
  },
  { additionalProperties: false },
);
export type ImportUploadQuery = Static<typeof ImportUploadQuery>;

export const ImportSettingsBody = Type.Object(
  {
    encoding: Type.Optional(literals(IMPORT_ENCODINGS)),
    delimiter: Type.Optional(literals(IMPORT_DELIMITERS)),
    mapping: Type.Optional(Type.Array(Nullable(FieldKey), { maxItems: IMPORT_MAX_COLUMNS })),
    defaultCountry: Type.Optional(Country),
    fileLocale: Type.Optional(literals(['en', 'ru'] as const)),
    mode: Type.Optional(literals(IMPORT_MODES)),
    version: BodyVersion,
  },
  { additionalProperties: false },
);
export type ImportSettingsBody = Static<typeof ImportSettingsBody>;

export const ImportStartBody = Type.Object(
  { version: BodyVersion, saveMappingAs: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })) },
  { additionalProperties: false },
);
export type ImportStartBody = Static<typeof ImportStartBody>;

/** A cell's value as it would be stored, or the reason it cannot be. */
export const ImportPreviewRow = Type.Object({
  rowNumber: Type.Integer(),
  values: Type.Record(Type.String(), Type.String()),
  errors: Type.Array(
    Type.Object({
      field: Type.String(),
      code: literals(IMPORT_CELL_PROBLEMS),
      /** The cell's text (`value`), a length limit (`limit`), the tax number's kind (`kind`). */
      params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
      message: Type.String(),
    }),
  ),
});
export type ImportPreviewRow = Static<typeof ImportPreviewRow>;
export const ImportPreview = Type.Object({ rows: Type.Array(ImportPreviewRow) });
export type ImportPreview = Static<typeof ImportPreview>;

export const ImportMapping = Type.Object({ id: Uuid, object: literals(IMPORT_OBJECTS), name: Type.String(), columns: Type.Record(Type.String(), Type.String()) });
export type ImportMapping = Static<typeof ImportMapping>;
export const ImportMappingQuery = Type.Object({ object: literals(IMPORT_OBJECTS) }, { additionalProperties: false });
