import { Type, type Static } from 'typebox';
import { BodyVersion, DateTime, literals, Nullable, Uuid } from './contracts.js';

/** Contracts of the client base: companies, contacts, leads, custom fields, saved views, timeline, search. */

const OptText = (max: number) => Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]));
/** A name: required, and more than blanks. */
const NameText = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S' });

export const CLIENT_OBJECTS = ['company', 'contact', 'lead', 'deal'] as const;
/** What a reference field can point to. */
export const RELATION_TARGETS = [...CLIENT_OBJECTS, 'user', 'team'] as const;
export type RelationTarget = (typeof RELATION_TARGETS)[number];
export type ClientObject = (typeof CLIENT_OBJECTS)[number];
export const ClientObjectSchema = literals(CLIENT_OBJECTS);

export const PHONE_TYPES = ['work', 'mobile', 'home', 'fax', 'other'] as const;
export const EMAIL_TYPES = ['work', 'personal', 'other'] as const;
export const MESSENGER_TYPES = ['telegram', 'whatsapp', 'viber', 'skype', 'other'] as const;
export const COMPANY_KINDS = ['prospect', 'customer', 'partner', 'competitor', 'supplier'] as const;
export const COMPANY_STATUSES = ['active', 'inactive'] as const;
export const LEAD_SOURCES = ['website', 'call', 'email', 'campaign', 'referral', 'other'] as const;
export const LEAD_STATUSES = ['new', 'in_work', 'qualified', 'disqualified'] as const;
/** Campaign tags a lead from a website carries, as the page address had them. */
export const UTM_KEYS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;
export type UtmKey = (typeof UTM_KEYS)[number];
export const CONTACT_SOURCES = ['website', 'call', 'email', 'campaign', 'referral', 'lead', 'import', 'other'] as const;

/** A phone as typed, and its E.164 form (set by the server; null only for numbers kept as typed). */
export const Phone = Type.Object({ type: literals(PHONE_TYPES), number: Type.String(), e164: Nullable(Type.String()) });
export const PhoneInput = Type.Object({ type: Type.Optional(literals(PHONE_TYPES)), number: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false });
export const EmailEntry = Type.Object({ type: literals(EMAIL_TYPES), email: Type.String() });
export const EmailInput = Type.Object({ type: Type.Optional(literals(EMAIL_TYPES)), email: Type.String({ minLength: 1, maxLength: 254 }) }, { additionalProperties: false });
export const Messenger = Type.Object({ type: literals(MESSENGER_TYPES), handle: Type.String() });
export const MessengerInput = Type.Object({ type: literals(MESSENGER_TYPES), handle: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export type Phone = Static<typeof Phone>;
export type PhoneInput = Static<typeof PhoneInput>;
export type EmailEntry = Static<typeof EmailEntry>;
export type EmailInput = Static<typeof EmailInput>;
export type Messenger = Static<typeof Messenger>;

/** Custom field values by field key; types are checked against the workspace's field registry. */
export const CustomValues = Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' }), Type.Unknown());
export type CustomValues = Static<typeof CustomValues>;
export const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 50 });

/** Fields every client record carries. */
export const RecordMeta = {
  id: Uuid,
  ownerId: Uuid,
  ownerName: Nullable(Type.String()),
  teamId: Nullable(Uuid),
  tags: Type.Array(Type.String()),
  custom: CustomValues,
  createdAt: DateTime,
  updatedAt: DateTime,
  createdBy: Nullable(Uuid),
  updatedBy: Nullable(Uuid),
  deletedAt: Nullable(DateTime),
  /** The latest call, meeting, e-mail, SMS or note on the record; null when nobody has interacted with it yet. */
  lastActivityAt: Nullable(DateTime),
  version: Type.Integer(),
};
/** Writable fields every client record has; `keepInvalidAsNote` keeps unrecognised phones and e-mails in a timeline note instead of refusing them. */
export const RecordInput = {
  ownerId: Type.Optional(Uuid),
  teamId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  tags: Type.Optional(Tags),
  custom: Type.Optional(CustomValues),
  keepInvalidAsNote: Type.Optional(Type.Boolean()),
};

export const Company = Type.Object({
  ...RecordMeta,
  name: Type.String(),
  legalName: Nullable(Type.String()),
  kind: literals(COMPANY_KINDS),
  industry: Nullable(Type.String()),
  vat: Nullable(Type.String()),
  inn: Nullable(Type.String()),
  kpp: Nullable(Type.String()),
  ogrn: Nullable(Type.String()),
  legalAddress: Nullable(Type.String()),
  actualAddress: Nullable(Type.String()),
  phones: Type.Array(Phone),
  emails: Type.Array(EmailEntry),
  website: Nullable(Type.String()),
  parentId: Nullable(Uuid),
  parentName: Nullable(Type.String()),
  status: literals(COMPANY_STATUSES),
});
export type Company = Static<typeof Company>;
const companyFields = {
  legalName: OptText(300),
  kind: Type.Optional(literals(COMPANY_KINDS)),
  industry: OptText(100),
  vat: OptText(30),
  inn: Type.Optional(Type.Union([Type.String({ pattern: '^(\\d{10}|\\d{12})$' }), Type.Null()])),
  kpp: Type.Optional(Type.Union([Type.String({ pattern: '^\\d{9}$' }), Type.Null()])),
  ogrn: Type.Optional(Type.Union([Type.String({ pattern: '^(\\d{13}|\\d{15})$' }), Type.Null()])),
  legalAddress: OptText(500),
  actualAddress: OptText(500),
  phones: Type.Optional(Type.Array(PhoneInput, { maxItems: 20 })),
  emails: Type.Optional(Type.Array(EmailInput, { maxItems: 20 })),
  website: OptText(300),
  parentId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  status: Type.Optional(literals(COMPANY_STATUSES)),
  ...RecordInput,
};
export const CompanyBody = Type.Object({ name: NameText(300), ...companyFields }, { additionalProperties: false });
export const CompanyUpdateBody = Type.Object({ name: Type.Optional(NameText(300)), ...companyFields, version: BodyVersion }, { additionalProperties: false });
export type CompanyBody = Static<typeof CompanyBody>;
export type CompanyUpdateBody = Static<typeof CompanyUpdateBody>;

/** A contact's place in a company: the person's role there (director, accountant, buyer…). */
export const ContactCompanyLink = Type.Object({ companyId: Uuid, companyName: Type.String(), role: Nullable(Type.String()), isPrimary: Type.Boolean() });
export const ContactCompanyInput = Type.Object(
  { companyId: Uuid, role: OptText(100), isPrimary: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export const Contact = Type.Object({
  ...RecordMeta,
  name: Type.String(),
  firstName: Type.String(),
  middleName: Nullable(Type.String()),
  lastName: Nullable(Type.String()),
  position: Nullable(Type.String()),
  phones: Type.Array(Phone),
  emails: Type.Array(EmailEntry),
  messengers: Type.Array(Messenger),
  birthday: Nullable(Type.String({ format: 'date' })),
  address: Nullable(Type.String()),
  photoUrl: Nullable(Type.String()),
  source: Nullable(literals(CONTACT_SOURCES)),
  emailOptIn: Type.Boolean(),
  smsOptIn: Type.Boolean(),
  companies: Type.Array(ContactCompanyLink),
});
export type Contact = Static<typeof Contact>;
const contactFields = {
  middleName: OptText(100),
  lastName: OptText(100),
  position: OptText(200),
  phones: Type.Optional(Type.Array(PhoneInput, { maxItems: 20 })),
  emails: Type.Optional(Type.Array(EmailInput, { maxItems: 20 })),
  messengers: Type.Optional(Type.Array(MessengerInput, { maxItems: 20 })),
  birthday: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.Null()])),
  address: OptText(500),
  photoUrl: Type.Optional(Type.Union([Type.String({ format: 'uri', maxLength: 1000, pattern: '^https?://' }), Type.Null()])),
  source: Type.Optional(Type.Union([literals(CONTACT_SOURCES), Type.Null()])),
  emailOptIn: Type.Optional(Type.Boolean()),
  smsOptIn: Type.Optional(Type.Boolean()),
  companies: Type.Optional(Type.Array(ContactCompanyInput, { maxItems: 50 })),
  ...RecordInput,
};
export const ContactBody = Type.Object({ firstName: NameText(100), ...contactFields }, { additionalProperties: false });
export const ContactUpdateBody = Type.Object({ firstName: Type.Optional(NameText(100)), ...contactFields, version: BodyVersion }, { additionalProperties: false });
export type ContactBody = Static<typeof ContactBody>;
export type ContactUpdateBody = Static<typeof ContactUpdateBody>;

export const Utm = Type.Object({
  utm_source: Type.Optional(Type.String()),
  utm_medium: Type.Optional(Type.String()),
  utm_campaign: Type.Optional(Type.String()),
  utm_term: Type.Optional(Type.String()),
  utm_content: Type.Optional(Type.String()),
});
export type Utm = Static<typeof Utm>;

export const Lead = Type.Object({
  ...RecordMeta,
  name: Type.String(),
  companyName: Nullable(Type.String()),
  position: Nullable(Type.String()),
  phones: Type.Array(Phone),
  emails: Type.Array(EmailEntry),
  source: literals(LEAD_SOURCES),
  status: literals(LEAD_STATUSES),
  disqualifyReason: Nullable(Type.String()),
  description: Nullable(Type.String()),
  convertedAt: Nullable(DateTime),
  convertedContactId: Nullable(Uuid),
  convertedCompanyId: Nullable(Uuid),
  /** UTM tags of the web page the lead came from (web forms); empty for leads typed in. */
  utm: Utm,
  /** The existing contact a captured lead was recognised as (by phone or e-mail), instead of a duplicate. */
  matchedContactId: Nullable(Uuid),
});
export type Lead = Static<typeof Lead>;
const leadFields = {
  companyName: OptText(300),
  position: OptText(200),
  phones: Type.Optional(Type.Array(PhoneInput, { maxItems: 20 })),
  emails: Type.Optional(Type.Array(EmailInput, { maxItems: 20 })),
  source: Type.Optional(literals(LEAD_SOURCES)),
  status: Type.Optional(literals(LEAD_STATUSES)),
  disqualifyReason: OptText(500),
  description: OptText(5000),
  ...RecordInput,
};
export const LeadBody = Type.Object({ name: NameText(300), ...leadFields }, { additionalProperties: false });
export const LeadUpdateBody = Type.Object({ name: Type.Optional(NameText(300)), ...leadFields, version: BodyVersion }, { additionalProperties: false });
export type LeadBody = Static<typeof LeadBody>;
export type LeadUpdateBody = Static<typeof LeadUpdateBody>;

/** Converting a lead: link to an existing record, create a new one, or (company only) none; optionally a deal too. */
export const LeadConvertBody = Type.Object(
  {
    contact: Type.Union([Type.Object({ mode: Type.Literal('new') }, { additionalProperties: false }), Type.Object({ mode: Type.Literal('existing'), id: Uuid }, { additionalProperties: false })]),
    company: Type.Union([
      Type.Object({ mode: Type.Literal('new') }, { additionalProperties: false }),
      Type.Object({ mode: Type.Literal('existing'), id: Uuid }, { additionalProperties: false }),
      Type.Object({ mode: Type.Literal('none') }, { additionalProperties: false }),
    ]),
    /** Also open a deal for the contact and company, in this pipeline (the default one unless named). */
    deal: Type.Optional(Type.Object({ pipelineId: Type.Optional(Uuid) }, { additionalProperties: false })),
    version: BodyVersion,
  },
  { additionalProperties: false },
);
export type LeadConvertBody = Static<typeof LeadConvertBody>;
export const LeadConvertResult = Type.Object({ lead: Lead, contactId: Uuid, companyId: Nullable(Uuid), dealId: Nullable(Uuid) });

/** A possible duplicate of a record being created or edited, and why it matched. */
export const DuplicateCandidate = Type.Object({
  object: ClientObjectSchema,
  id: Uuid,
  title: Type.String(),
  subtitle: Nullable(Type.String()),
  reasons: Type.Array(literals(['phone', 'email', 'tax_id', 'name'] as const)),
});
export type DuplicateCandidate = Static<typeof DuplicateCandidate>;
/** What a draft record looks like to the duplicate check: any of its identifying fields. */
export const DuplicateCheckBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 300 })),
    phones: Type.Optional(Type.Array(PhoneInput, { maxItems: 20 })),
    emails: Type.Optional(Type.Array(EmailInput, { maxItems: 20 })),
    inn: Type.Optional(Type.String({ maxLength: 12 })),
    vat: Type.Optional(Type.String({ maxLength: 30 })),
    /** Contacts: the companies the person is linked to (a similar name in the same company is a likely duplicate). */
    companyIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
    /** The record being edited, left out of its own candidates. */
    excludeId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type DuplicateCheckBody = Static<typeof DuplicateCheckBody>;
export const DuplicateList = Type.Object({ items: Type.Array(DuplicateCandidate) });
export const LeadConvertPreview = Type.Object({ contacts: Type.Array(DuplicateCandidate), companies: Type.Array(DuplicateCandidate) });

/** Merging: the survivor keeps its id; `fields` names, per field, the record whose value survives. */
export const MergeBody = Type.Object(
  {
    survivorId: Uuid,
    mergedIds: Type.Array(Uuid, { minItems: 1, maxItems: 10 }),
    fields: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Uuid)),
  },
  { additionalProperties: false },
);
export type MergeBody = Static<typeof MergeBody>;

export const BULK_ACTIONS = ['set_field', 'assign', 'add_tags', 'remove_tags', 'delete'] as const;
export const BulkBody = Type.Object(
  {
    ids: Type.Array(Uuid, { minItems: 1, maxItems: 200 }),
    action: literals(BULK_ACTIONS),
    /** set_field: the field and value; assign: ownerId; add_tags / remove_tags: tags. */
    field: Type.Optional(Type.String({ maxLength: 100 })),
    value: Type.Optional(Type.Unknown()),
    ownerId: Type.Optional(Uuid),
    tags: Type.Optional(Tags),
  },
  { additionalProperties: false },
);
export type BulkBody = Static<typeof BulkBody>;
export const BulkResult = Type.Object({
  done: Type.Integer(),
  failed: Type.Array(Type.Object({ id: Uuid, code: Type.String(), message: Type.String() })),
});
export type BulkResult = Static<typeof BulkResult>;

export const RecordListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
    filter: Type.Optional(Type.String({ maxLength: 10_000 })),
    /** A field name, `-` in front for descending. */
    sort: Type.Optional(Type.String({ maxLength: 100 })),
    /** Quick text filter on the name. */
    q: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type RecordListQuery = Static<typeof RecordListQuery>;

/** The same conditions as a list, for "select all matching" before a bulk action. */
export const RecordIdsQuery = Type.Pick(RecordListQuery, ['filter', 'q'], { additionalProperties: false });
export type RecordIdsQuery = Static<typeof RecordIdsQuery>;
export const RecordIds = Type.Object({
  ids: Type.Array(Uuid),
  /** More records match than one bulk run takes (the cap); the ids are the first ones by id. */
  truncated: Type.Boolean(),
});
export type RecordIds = Static<typeof RecordIds>;
/** Lists count up to a cap; beyond it the count is `exact: false` ("10,000+"). */
export const RecordTotal = Type.Object({ value: Type.Integer(), exact: Type.Boolean() });
export const RecordPage = <T extends ReturnType<typeof Type.Object>>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]), total: RecordTotal });

/** Field catalogue of an object, for filter builders, column choosers and bulk edit. */
export const FIELD_KINDS = ['text', 'number', 'money', 'date', 'datetime', 'boolean', 'select', 'multiselect', 'user', 'relation', 'phone', 'email', 'url'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];
export const FieldOption = Type.Object({ value: Type.String({ minLength: 1, maxLength: 100 }), label: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export const ObjectField = Type.Object({
  /** `name`, `company.industry`, `custom.loyalty`… as used in filters and sort. */
  key: Type.String(),
  /** i18n key for system fields; the admin's label for custom fields. */
  labelKey: Nullable(Type.String()),
  label: Nullable(Type.String()),
  kind: literals(FIELD_KINDS),
  options: Type.Array(Type.Object({ value: Type.String(), label: Nullable(Type.String()) })),
  filterOps: Type.Array(Type.String()),
  sortable: Type.Boolean(),
  custom: Type.Boolean(),
  bulkEditable: Type.Boolean(),
  /** For `user` and `relation` fields: what the id points to, so clients can show names and offer pickers. */
  target: Nullable(literals(RELATION_TARGETS)),
});
export type ObjectField = Static<typeof ObjectField>;
export const ObjectFieldList = Type.Object({ items: Type.Array(ObjectField) });

export const CustomField = Type.Object({
  id: Uuid,
  object: ClientObjectSchema,
  key: Type.String(),
  label: Type.String(),
  kind: literals(FIELD_KINDS),
  options: Type.Array(FieldOption),
  /** For relation fields: the object they point to. */
  relationObject: Nullable(ClientObjectSchema),
  currency: Nullable(Type.String()),
  required: Type.Boolean(),
  filterable: Type.Boolean(),
  showInList: Type.Boolean(),
  position: Type.Integer(),
  createdAt: DateTime,
  version: Type.Integer(),
});
export type CustomField = Static<typeof CustomField>;
export const CustomFieldBody = Type.Object(
  {
    object: ClientObjectSchema,
    key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' }),
    label: Type.String({ minLength: 1, maxLength: 200 }),
    kind: literals(FIELD_KINDS),
    options: Type.Optional(Type.Array(FieldOption, { maxItems: 200 })),
    relationObject: Type.Optional(Type.Union([ClientObjectSchema, Type.Null()])),
    currency: Type.Optional(Type.Union([Type.String({ pattern: '^[A-Z]{3}$' }), Type.Null()])),
    required: Type.Optional(Type.Boolean()),
    filterable: Type.Optional(Type.Boolean()),
    showInList: Type.Optional(Type.Boolean()),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  },
  { additionalProperties: false },
);
export type CustomFieldBody = Static<typeof CustomFieldBody>;
export const CustomFieldUpdateBody = Type.Object(
  {
    label: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    options: Type.Optional(Type.Array(FieldOption, { maxItems: 200 })),
    required: Type.Optional(Type.Boolean()),
    filterable: Type.Optional(Type.Boolean()),
    showInList: Type.Optional(Type.Boolean()),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    version: BodyVersion,
  },
  { additionalProperties: false },
);
export type CustomFieldUpdateBody = Static<typeof CustomFieldUpdateBody>;

export const VIEW_VISIBILITY = ['private', 'team', 'workspace'] as const;
export const SavedView = Type.Object({
  id: Uuid,
  object: ClientObjectSchema,
  name: Type.String(),
  ownerId: Uuid,
  ownerName: Nullable(Type.String()),
  visibility: literals(VIEW_VISIBILITY),
  teamId: Nullable(Uuid),
  /** The filter grammar's JSON, as sent in a list's `filter` parameter. */
  filter: Nullable(Type.String()),
  sort: Nullable(Type.String()),
  columns: Type.Array(Type.String()),
  createdAt: DateTime,
  version: Type.Integer(),
});
export type SavedView = Static<typeof SavedView>;
export const SavedViewBody = Type.Object(
  {
    object: ClientObjectSchema,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    visibility: Type.Optional(literals(VIEW_VISIBILITY)),
    filter: Type.Optional(Type.Union([Type.String({ maxLength: 10_000 }), Type.Null()])),
    sort: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    columns: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 60 })),
  },
  { additionalProperties: false },
);
export type SavedViewBody = Static<typeof SavedViewBody>;
export const SavedViewUpdateBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    visibility: Type.Optional(literals(VIEW_VISIBILITY)),
    filter: Type.Optional(Type.Union([Type.String({ maxLength: 10_000 }), Type.Null()])),
    sort: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    columns: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 60 })),
    version: BodyVersion,
  },
  { additionalProperties: false },
);
export type SavedViewUpdateBody = Static<typeof SavedViewUpdateBody>;

export const NoteBody = Type.Object({ body: Type.String({ minLength: 1, maxLength: 20_000 }) }, { additionalProperties: false });

export const SearchQuery = Type.Object({ q: Type.String({ minLength: 1, maxLength: 200 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 8 })) }, { additionalProperties: false });
export const SearchHit = Type.Object({
  object: ClientObjectSchema,
  id: Uuid,
  title: Type.String(),
  subtitle: Nullable(Type.String()),
  matched: literals(['name', 'phone', 'email', 'tax_id'] as const),
  score: Type.Number(),
});
export type SearchHit = Static<typeof SearchHit>;
export const SearchResult = Type.Object({ groups: Type.Array(Type.Object({ object: ClientObjectSchema, items: Type.Array(SearchHit) })) });
export type SearchResult = Static<typeof SearchResult>;

export const DeletedRecord = Type.Object({ object: ClientObjectSchema, id: Uuid, title: Type.String(), deletedAt: DateTime, deletedBy: Nullable(Uuid), deletedByName: Nullable(Type.String()) });
export type DeletedRecord = Static<typeof DeletedRecord>;
export const RecycleBinQuery = Type.Object(
  { object: ClientObjectSchema, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })), cursor: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
