import { Type, type Static } from 'typebox';
import { BodyVersion, DateTime, literals, Nullable, Uuid } from './contracts.js';
import { LEAD_SOURCES, UTM_KEYS, Utm } from './client-base.js';

/**
 * Contracts of lead capture: web forms an administrator builds in Settings › Web forms, the public submission a website
 * sends, and the same intake through the API for other channels (chat bots, call tracking, landing-page builders).
 */

/** Lead fields a form can ask for; lead custom fields join them as `custom.<key>`. */
export const WEB_FORM_LEAD_FIELDS = ['name', 'companyName', 'position', 'phone', 'email', 'description'] as const;
export const WEB_FORM_FIELD_KEY = '^(name|companyName|position|phone|email|description|custom\\.[a-z][a-z0-9_]{0,62})$';
/** Custom field kinds a website visitor can type or pick. */
export const WEB_FORM_CUSTOM_KINDS = ['text', 'number', 'date', 'select', 'boolean', 'phone', 'email', 'url'] as const;
/** Who gets the lead: one person, the next active member of a team in turn, or the member with the fewest open leads. */
export const WEB_FORM_ASSIGN_MODES = ['user', 'round_robin', 'least_loaded'] as const;
export type WebFormAssignMode = (typeof WEB_FORM_ASSIGN_MODES)[number];
/**
 * The honeypot: a field hidden from people that bots fill in. A submission with it filled gets the usual success answer
 * and creates nothing, so the bot learns nothing.
 */
export const WEB_FORM_HONEYPOT = 'website';
/** Submission keys that are not form fields: page context the embed script adds. */
export const WEB_FORM_CONTEXT_KEYS = [...UTM_KEYS, 'referrer', 'page_url', WEB_FORM_HONEYPOT] as const;

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S' });

export const WebFormField = Type.Object(
  { key: Type.String({ pattern: WEB_FORM_FIELD_KEY }), label: Text(200), required: Type.Boolean() },
  { additionalProperties: false },
);
export type WebFormField = Static<typeof WebFormField>;

export const WebFormAssignment = Type.Object(
  { mode: literals(WEB_FORM_ASSIGN_MODES), userId: Type.Optional(Nullable(Uuid)), teamId: Type.Optional(Nullable(Uuid)) },
  { additionalProperties: false },
);
export type WebFormAssignment = Static<typeof WebFormAssignment>;

/** An origin such as https://example.com (scheme, host, optional port; no path). */
const Origin = Type.String({ maxLength: 200, pattern: '^https?://[^/\\s?#]+$' });

export const WebForm = Type.Object({
  id: Uuid,
  name: Type.String(),
  fields: Type.Array(WebFormField),
  assignment: Type.Object({ mode: literals(WEB_FORM_ASSIGN_MODES), userId: Nullable(Uuid), teamId: Nullable(Uuid) }),
  successMessage: Type.String(),
  redirectUrl: Nullable(Type.String()),
  allowedOrigins: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  /** Also open a deal in this pipeline's first stage for each request (the lead is converted at once); null: a lead only. */
  dealPipelineId: Nullable(Uuid),
  submissionCount: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: Type.Integer(),
});
export type WebForm = Static<typeof WebForm>;

const formFields = {
  name: Text(200),
  fields: Type.Array(WebFormField, { minItems: 1, maxItems: 30 }),
  assignment: WebFormAssignment,
  successMessage: Type.String({ maxLength: 1000 }),
  redirectUrl: Nullable(Type.String({ maxLength: 2000, pattern: '^https?://\\S+$' })),
  allowedOrigins: Type.Array(Origin, { maxItems: 20 }),
  enabled: Type.Boolean(),
  dealPipelineId: Nullable(Uuid),
};

export const WebFormBody = Type.Object(
  {
    name: formFields.name,
    fields: formFields.fields,
    assignment: formFields.assignment,
    successMessage: Type.Optional(formFields.successMessage),
    redirectUrl: Type.Optional(formFields.redirectUrl),
    allowedOrigins: Type.Optional(formFields.allowedOrigins),
    enabled: Type.Optional(formFields.enabled),
    dealPipelineId: Type.Optional(formFields.dealPipelineId),
  },
  { additionalProperties: false },
);
export type WebFormBody = Static<typeof WebFormBody>;

export const WebFormUpdateBody = Type.Object(
  {
    name: Type.Optional(formFields.name),
    fields: Type.Optional(formFields.fields),
    assignment: Type.Optional(formFields.assignment),
    successMessage: Type.Optional(formFields.successMessage),
    redirectUrl: Type.Optional(formFields.redirectUrl),
    allowedOrigins: Type.Optional(formFields.allowedOrigins),
    enabled: Type.Optional(formFields.enabled),
    dealPipelineId: Type.Optional(formFields.dealPipelineId),
    version: BodyVersion,
  },
  { additionalProperties: false },
);
export type WebFormUpdateBody = Static<typeof WebFormUpdateBody>;

/** What the embed script needs to draw a form: no ids of people, no settings beyond the visitor's side. */
export const PublicWebForm = Type.Object({
  id: Uuid,
  fields: Type.Array(
    Type.Object({
      key: Type.String(),
      label: Type.String(),
      required: Type.Boolean(),
      /** How to draw it: an input type, a text area, a select or a checkbox. */
      input: literals(['text', 'email', 'tel', 'number', 'date', 'url', 'textarea', 'select', 'checkbox'] as const),
      options: Type.Array(Type.Object({ value: Type.String(), label: Type.String() })),
    }),
  ),
  successMessage: Type.String(),
  redirectUrl: Nullable(Type.String()),
  honeypot: Type.String(),
  /** The script's own words, in the workspace's language. */
  texts: Type.Object({ submit: Type.String(), done: Type.String(), invalid: Type.String(), tooMany: Type.String(), failed: Type.String() }),
});
export type PublicWebForm = Static<typeof PublicWebForm>;

/**
 * A submission as a website sends it: field keys of the form, UTM keys, `referrer`, `page_url` and the honeypot, all as
 * text (a plain HTML form posts nothing else). Keys the form does not know are ignored: sites add hidden fields.
 */
export const WebFormSubmissionBody = Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 5000 }), { maxProperties: 60 });
export type WebFormSubmissionBody = Static<typeof WebFormSubmissionBody>;

export const WebFormSubmissionAnswer = Type.Object({ ok: Type.Boolean(), message: Type.String(), redirectUrl: Nullable(Type.String()) });
export type WebFormSubmissionAnswer = Static<typeof WebFormSubmissionAnswer>;

/** The API intake for other channels: the same rules as the form named, with the values as the form's field keys. */
export const LeadIntakeBody = Type.Object(
  {
    formId: Uuid,
    values: WebFormSubmissionBody,
    /** Where the lead came from; a web form's own submissions are always 'website'. */
    source: Type.Optional(literals(LEAD_SOURCES)),
    /** The catalog product the lead is interested in: lead distribution rules may route by it. */
    productId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type LeadIntakeBody = Static<typeof LeadIntakeBody>;

/** What a request made: the lead, and when the form opens deals, the contact it became and the deal (which the task is on). */
export const LeadIntakeResult = Type.Object({ leadId: Uuid, ownerId: Uuid, taskId: Uuid, matchedContactId: Nullable(Uuid), contactId: Nullable(Uuid), dealId: Nullable(Uuid) });
export type LeadIntakeResult = Static<typeof LeadIntakeResult>;

export const WebFormSubmission = Type.Object({
  id: Uuid,
  createdAt: DateTime,
  leadId: Uuid,
  leadName: Nullable(Type.String()),
  dealId: Nullable(Uuid),
  dealTitle: Nullable(Type.String()),
  matchedContactId: Nullable(Uuid),
  matchedContactName: Nullable(Type.String()),
  ownerId: Uuid,
  ownerName: Nullable(Type.String()),
  utm: Utm,
  referrer: Nullable(Type.String()),
  pageUrl: Nullable(Type.String()),
});
export type WebFormSubmission = Static<typeof WebFormSubmission>;
