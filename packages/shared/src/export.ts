import { Type, type Static } from 'typebox';
import { ClientObjectSchema } from './client-base.js';
import { literals, Uuid } from './contracts.js';

/**
 * Contracts of list exports: a list (or saved view) of companies, contacts, leads or deals written to CSV or XLSX and
 * streamed back. The rows are the list's (filter, quick text, order) within the role's export scope; the columns are
 * the given field keys (a list's visible columns), by default every field the role may see.
 */
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** CSV separators: a comma, or a semicolon for spreadsheets set up for locales whose decimal mark is a comma. */
export const EXPORT_DELIMITERS = [',', ';'] as const;

export const EXPORT_MAX_COLUMNS = 300;

export const ExportBody = Type.Object(
  {
    object: ClientObjectSchema,
    format: literals(EXPORT_FORMATS),
    /** A saved view: its filter, order and columns, unless given here too. */
    viewId: Type.Optional(Uuid),
    filter: Type.Optional(Type.String({ maxLength: 10_000 })),
    /** A field name, `-` in front for descending; the list's default (last changed first) when left out. */
    sort: Type.Optional(Type.String({ maxLength: 100 })),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    /** Field keys of the list's catalogue (`GET /objects/{object}/fields`) and `id`, in order. */
    columns: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: EXPORT_MAX_COLUMNS })),
    /** Header texts for `columns`, one each (the labels the user sees); by default the field keys and custom fields' labels. */
    headers: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: EXPORT_MAX_COLUMNS })),
    delimiter: Type.Optional(literals(EXPORT_DELIMITERS)),
  },
  { additionalProperties: false },
);
export type ExportBody = Static<typeof ExportBody>;
