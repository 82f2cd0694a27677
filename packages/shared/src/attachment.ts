import { Type, type Static } from 'typebox';
import { ClientObjectSchema } from './client-base.js';
import { DateTime, Uuid } from './contracts.js';

/** Contracts of files attached to records: upload, list, download, preview. */

/** The default largest upload; administrators change it with ATTACHMENT_MAX_MB. */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024;

/**
 * What may be uploaded, by the type the content itself shows (its magic bytes), never by the name or the browser's
 * word for it: office documents, PDF, images, archives, and plain text (which has no magic bytes; see the server).
 */
export const ATTACHMENT_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/x-cfb',
  'application/zip',
  'text/plain',
  'text/csv',
] as const;
/** Shown inside the page (an image, or a PDF in the browser's viewer); anything else is downloaded. */
export const PREVIEWABLE_TYPES: readonly string[] = ['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp'];

export const Attachment = Type.Object({
  id: Uuid,
  object: ClientObjectSchema,
  recordId: Uuid,
  fileName: Type.String(),
  contentType: Type.String(),
  sizeBytes: Type.Integer(),
  /** SHA-256 of the content, hex: the file's address in storage. */
  sha256: Type.String(),
  createdAt: DateTime,
  createdBy: Type.Union([Uuid, Type.Null()]),
  createdByName: Type.Union([Type.String(), Type.Null()]),
  /** The reader may remove it (they uploaded it, or may edit the record). */
  removable: Type.Boolean(),
});
export type Attachment = Static<typeof Attachment>;

export const AttachmentList = Type.Object({ items: Type.Array(Attachment) });
export type AttachmentList = Static<typeof AttachmentList>;

export const AttachmentSubjectParams = Type.Object({ object: ClientObjectSchema, id: Uuid }, { additionalProperties: false });
export const AttachmentUploadQuery = Type.Object(
  {
    /** The file's name as the user sees it; the body is the file itself. */
    name: Type.String({ minLength: 1, maxLength: 255, pattern: '\\S' }),
  },
  { additionalProperties: false },
);
export type AttachmentUploadQuery = Static<typeof AttachmentUploadQuery>;
export const AttachmentFileQuery = Type.Object({ download: Type.Optional(Type.Boolean({ description: 'always as a download, never shown inline' })) }, { additionalProperties: false });
