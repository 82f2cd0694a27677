import { Type, type Static } from 'typebox';
import { DateTime, literals, Nullable, Uuid } from './contracts.js';

/** Contracts of the data-quality page: problem counts, the records behind them, and the review list of likely duplicates. */

export const DQ_OBJECTS = ['company', 'contact', 'lead'] as const;
export type DqObject = (typeof DQ_OBJECTS)[number];
export const DqObjectSchema = literals(DQ_OBJECTS);

/** Problems a record can have: an unreadable phone or e-mail, or an owner who can no longer work on it (deactivated). */
export const DQ_PROBLEMS = ['invalid_phones', 'invalid_emails', 'missing_owner'] as const;
export type DqProblem = (typeof DQ_PROBLEMS)[number];

/** A count up to a cap: `exact` false means "at least value". */
export const DqCount = Type.Object({ value: Type.Integer(), exact: Type.Boolean() });
export type DqCount = Static<typeof DqCount>;

export const DqSummary = Type.Object({
  objects: Type.Array(
    Type.Object({
      object: DqObjectSchema,
      invalidPhones: DqCount,
      invalidEmails: DqCount,
      missingOwner: DqCount,
      duplicates: DqCount,
    }),
  ),
});
export type DqSummary = Static<typeof DqSummary>;

export const DqRecordsQuery = Type.Object(
  {
    object: DqObjectSchema,
    problem: literals(DQ_PROBLEMS),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
export type DqRecordsQuery = Static<typeof DqRecordsQuery>;

/** A record as the data-quality lists show it: enough to recognise it and see what is wrong. */
export const DqRecord = Type.Object({
  object: DqObjectSchema,
  id: Uuid,
  title: Type.String(),
  subtitle: Nullable(Type.String()),
  ownerId: Uuid,
  ownerName: Nullable(Type.String()),
  ownerActive: Type.Boolean(),
  /** Phones and e-mails as stored; `valid` false marks the ones the problem is about. */
  phones: Type.Array(Type.Object({ number: Type.String(), e164: Nullable(Type.String()), valid: Type.Boolean() })),
  emails: Type.Array(Type.Object({ email: Type.String(), valid: Type.Boolean() })),
  createdAt: DateTime,
  version: Type.Integer(),
});
export type DqRecord = Static<typeof DqRecord>;
export const DqRecordPage = Type.Object({ items: Type.Array(DqRecord), nextCursor: Nullable(Type.String()) });
export type DqRecordPage = Static<typeof DqRecordPage>;

/** "Clear invalid values": unreadable phones and e-mails leave the records and are kept, as typed, in a note on each. */
export const DqFixBody = Type.Object({ object: DqObjectSchema, ids: Type.Array(Uuid, { minItems: 1, maxItems: 200 }) }, { additionalProperties: false });
export type DqFixBody = Static<typeof DqFixBody>;

export const DUPLICATE_REASONS = ['phone', 'email', 'tax_id', 'name'] as const;
export const REVIEW_STATUSES = ['open', 'merged', 'dismissed'] as const;
export const REVIEW_SOURCES = ['import', 'scan'] as const;

export const ReviewItem = Type.Object({
  id: Uuid,
  object: DqObjectSchema,
  reasons: Type.Array(literals(DUPLICATE_REASONS)),
  source: literals(REVIEW_SOURCES),
  importId: Nullable(Uuid),
  status: literals(REVIEW_STATUSES),
  createdAt: DateTime,
  /** The pair, oldest first. */
  records: Type.Array(DqRecord, { minItems: 2, maxItems: 2 }),
  version: Type.Integer(),
});
export type ReviewItem = Static<typeof ReviewItem>;
/** `total`: the open items of the same query, counted up to a cap. */
export const ReviewItemPage = Type.Object({ items: Type.Array(ReviewItem), nextCursor: Nullable(Type.String()), total: DqCount });
export type ReviewItemPage = Static<typeof ReviewItemPage>;

export const ReviewItemsQuery = Type.Object(
  {
    object: DqObjectSchema,
    importId: Type.Optional(Uuid),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type ReviewItemsQuery = Static<typeof ReviewItemsQuery>;

/** Merging a review item's pair: the survivor (one of the two) and, per field, whose value stays (as the card's merge). */
export const ReviewMergeBody = Type.Object(
  { survivorId: Uuid, fields: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Uuid)), version: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);
export type ReviewMergeBody = Static<typeof ReviewMergeBody>;
export const ReviewDismissBody = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false });

export const DqScanBody = Type.Object({ object: DqObjectSchema }, { additionalProperties: false });
export const DqScanResult = Type.Object({ found: Type.Integer(), limited: Type.Boolean() });
export type DqScanResult = Static<typeof DqScanResult>;
