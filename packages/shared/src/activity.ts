import { Type, type Static } from 'typebox';
import { ClientObjectSchema, RecordListQuery, RecordPage } from './client-base.js';
import { BodyVersion, DateTime, Email, literals, Nullable, Uuid } from './contracts.js';
import type { FieldError } from './errors.js';
import { MAX_REMINDER_MINUTES } from './task.js';

/** Contracts of activities (calls, meetings, e-mails, SMS, notes) and of the record timeline that shows them. */

const OptText = (max: number) => Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]));

export const ACTIVITY_KINDS = ['note', 'call', 'meeting', 'email', 'sms'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
/** Kinds the activities API writes; notes are written on the timeline (POST /timeline/:object/:id/notes). */
export const LOGGED_ACTIVITY_KINDS = ['call', 'meeting', 'email', 'sms'] as const;
export type LoggedActivityKind = (typeof LOGGED_ACTIVITY_KINDS)[number];
export const ACTIVITY_DIRECTIONS = ['inbound', 'outbound'] as const;
export const ACTIVITY_STATUSES = ['planned', 'done', 'cancelled'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];
/** Suggested call results; any short text is accepted too. */
export const CALL_RESULTS = ['answered', 'no_answer', 'busy', 'voicemail', 'wrong_number'] as const;
/** The longest call or meeting taken seriously: one day. */
export const MAX_DURATION_SEC = 86_400;
/** Clocks of browsers and servers differ a little: "done" may lie this far in the future. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** A record an activity is on: its timeline shows the activity. */
export const ActivityLinkInput = Type.Object({ object: ClientObjectSchema, id: Uuid }, { additionalProperties: false });
export type ActivityLinkInput = Static<typeof ActivityLinkInput>;
/** `title` is null when the reader may not see the record (the link is there, the name is not theirs to read). */
export const ActivityLink = Type.Object({ object: ClientObjectSchema, id: Uuid, title: Nullable(Type.String()) });
export type ActivityLink = Static<typeof ActivityLink>;
export const ActivityParticipant = Type.Object({ userId: Uuid, name: Nullable(Type.String()) });

export const Activity = Type.Object({
  id: Uuid,
  kind: literals(ACTIVITY_KINDS),
  subject: Nullable(Type.String()),
  body: Nullable(Type.String()),
  /** The activity's place on timelines: a call's or meeting's start, an e-mail's or SMS's sending time. */
  occurredAt: DateTime,
  /** Calls and meetings: planned, done or cancelled; null for the other kinds. */
  status: Nullable(literals(ACTIVITY_STATUSES)),
  direction: Nullable(literals(ACTIVITY_DIRECTIONS)),
  /** Calls and SMS: the number in international format, and as E.164 (null when kept as typed). */
  phone: Nullable(Type.String()),
  phoneE164: Nullable(Type.String()),
  durationSec: Nullable(Type.Integer()),
  result: Nullable(Type.String()),
  recordingUrl: Nullable(Type.String()),
  /** Calls and meetings: the calendar slot (a call ends after its duration, when known). */
  startsAt: Nullable(DateTime),
  endsAt: Nullable(DateTime),
  /** Planned calls and meetings: their owner and internal participants are reminded this many minutes before the start, once. */
  reminderMinutes: Nullable(Type.Integer()),
  place: Nullable(Type.String()),
  emailFrom: Nullable(Type.String()),
  emailTo: Type.Array(Type.String()),
  ownerId: Uuid,
  ownerName: Nullable(Type.String()),
  teamId: Nullable(Uuid),
  authorId: Nullable(Uuid),
  authorName: Nullable(Type.String()),
  links: Type.Array(ActivityLink),
  participants: Type.Array(ActivityParticipant),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: Type.Integer(),
});
export type Activity = Static<typeof Activity>;
/** An activity as answered: a role's field rules may hide any field but the id, so the schema leaves them optional. */
export const VisibleActivity = Type.Unsafe<Activity>(
  Type.Object(Object.fromEntries(Object.entries(Activity.properties).map(([key, value]) => [key, key === 'id' ? value : Type.Optional(value)])), { description: 'Fields hidden from the reader by their role are left out' }),
);

/** Writable fields; which of them a kind uses is in ACTIVITY_FIELDS (the others are refused with their path). */
const activityFields = {
  subject: OptText(300),
  body: OptText(20_000),
  links: Type.Optional(Type.Array(ActivityLinkInput, { minItems: 1, maxItems: 50 })),
  ownerId: Type.Optional(Uuid),
  occurredAt: Type.Optional(DateTime),
  status: Type.Optional(literals(ACTIVITY_STATUSES)),
  direction: Type.Optional(literals(ACTIVITY_DIRECTIONS)),
  phone: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 40 }), Type.Null()])),
  durationSec: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: MAX_DURATION_SEC }), Type.Null()])),
  result: OptText(100),
  recordingUrl: Type.Optional(Type.Union([Type.String({ format: 'uri', maxLength: 1000, pattern: '^https?://' }), Type.Null()])),
  startsAt: Type.Optional(DateTime),
  endsAt: Type.Optional(DateTime),
  /** null removes the reminder. */
  reminderMinutes: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: MAX_REMINDER_MINUTES }), Type.Null()])),
  place: OptText(500),
  emailFrom: Type.Optional(Type.Union([Email, Type.Null()])),
  emailTo: Type.Optional(Type.Array(Email, { maxItems: 50 })),
  participantIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
};
export type ActivityField = keyof typeof activityFields;

const COMMON_FIELDS = ['subject', 'body', 'links', 'ownerId'] as const satisfies readonly ActivityField[];
/** The fields each kind uses. A call's or meeting's time is `startsAt`; an e-mail's or SMS's is `occurredAt`. */
export const ACTIVITY_FIELDS: Record<LoggedActivityKind, readonly ActivityField[]> = {
  call: [...COMMON_FIELDS, 'status', 'direction', 'phone', 'durationSec', 'result', 'recordingUrl', 'startsAt', 'reminderMinutes', 'participantIds'],
  meeting: [...COMMON_FIELDS, 'status', 'startsAt', 'endsAt', 'reminderMinutes', 'place', 'participantIds'],
  email: [...COMMON_FIELDS, 'direction', 'occurredAt', 'emailFrom', 'emailTo'],
  sms: [...COMMON_FIELDS, 'direction', 'phone', 'occurredAt'],
};
/** Fields a new activity of the kind cannot do without. */
export const REQUIRED_ACTIVITY_FIELDS: Record<LoggedActivityKind, readonly ActivityField[]> = {
  call: ['links', 'direction'],
  meeting: ['links', 'subject', 'startsAt', 'endsAt'],
  email: ['links', 'subject', 'direction'],
  sms: ['links', 'phone', 'body', 'direction'],
};

export const ActivityBody = Type.Object({ kind: literals(LOGGED_ACTIVITY_KINDS), ...activityFields }, { additionalProperties: false });
export type ActivityBody = Static<typeof ActivityBody>;
export const ActivityUpdateBody = Type.Object({ ...activityFields, version: BodyVersion }, { additionalProperties: false });
export type ActivityUpdateBody = Static<typeof ActivityUpdateBody>;

type ActivityInput = Partial<Record<ActivityField, unknown>>;

/**
 * The rules a schema cannot state: fields of another kind, required fields, a meeting ending before it starts, a call
 * "done" in the future, a reminder on one not planned or in the past. `current` is the stored activity on update (its
 * values count where the body leaves them out). The web runs the same check before sending.
 */
export function activityInputErrors(
  kind: LoggedActivityKind,
  body: ActivityInput,
  now: Date,
  current?: { startsAt: string | null; endsAt: string | null; status: ActivityStatus | null; reminderMinutes: number | null },
): FieldError[] {
  const errors: FieldError[] = [];
  const allowed = ACTIVITY_FIELDS[kind];
  for (const [field, value] of Object.entries(body)) {
    if (field === 'version' || value === undefined) continue;
    if (!allowed.includes(field as ActivityField)) errors.push({ path: `/body/${field}`, message: `not used for a ${kind}` });
  }
  if (!current) {
    for (const field of REQUIRED_ACTIVITY_FIELDS[kind]) {
      const value = body[field];
      if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0)) errors.push({ path: `/body/${field}`, message: 'required' });
    }
  }
  const startsAt = typeof body.startsAt === 'string' ? body.startsAt : (current?.startsAt ?? null);
  const endsAt = typeof body.endsAt === 'string' ? body.endsAt : (current?.endsAt ?? null);
  if (kind === 'meeting' && startsAt && endsAt && Date.parse(endsAt) < Date.parse(startsAt)) errors.push({ path: '/body/endsAt', message: 'must not be before the start' });
  const status = (body.status as ActivityStatus | undefined) ?? current?.status ?? null;
  const at = kind === 'call' || kind === 'meeting' ? startsAt : typeof body.occurredAt === 'string' ? body.occurredAt : null;
  const future = at !== null && Date.parse(at) > now.getTime() + CLOCK_SKEW_MS;
  if (future && (status === 'done' || kind === 'email' || kind === 'sms')) {
    errors.push({ path: kind === 'call' || kind === 'meeting' ? '/body/startsAt' : '/body/occurredAt', message: 'cannot have happened in the future' });
  }
  // A reminder sent back unchanged with an unchanged start is no new reminder (it may have fired already).
  const reminder = typeof body.reminderMinutes === 'number' ? body.reminderMinutes : null;
  const sameStart = startsAt === current?.startsAt || (startsAt !== null && current?.startsAt && Date.parse(startsAt) === Date.parse(current.startsAt));
  const unchanged = current !== undefined && reminder === current.reminderMinutes && sameStart;
  if (reminder !== null && allowed.includes('reminderMinutes') && !unchanged) {
    if (status === 'done' || status === 'cancelled') errors.push({ path: '/body/reminderMinutes', message: 'only a planned call or meeting can have a reminder' });
    else if (startsAt && Date.parse(startsAt) - reminder * 60_000 < now.getTime()) errors.push({ path: '/body/reminderMinutes', message: 'the reminder would be in the past' });
  }
  return errors.filter((error, index) => errors.findIndex((other) => other.path === error.path) === index);
}

export const ActivityListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
    kind: Type.Optional(literals(ACTIVITY_KINDS)),
    status: Type.Optional(literals(ACTIVITY_STATUSES)),
    ownerId: Type.Optional(Uuid),
    /** occurredAt ≥ from and < to. */
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);
export type ActivityListQuery = Static<typeof ActivityListQuery>;

/** What a card's timeline can be narrowed to: one kind of activity, or the changes from the audit trail. */
export const TIMELINE_FILTERS = [...ACTIVITY_KINDS, 'change'] as const;
export type TimelineFilter = (typeof TIMELINE_FILTERS)[number];
const CHANGE_KINDS = ['created', 'updated', 'deleted', 'restored', 'merged', 'converted', 'attached', 'detached'] as const;

/** One entry of a record's timeline: an activity (with its facts), or a change from the audit trail (who, when, old → new). */
export const TimelineEntry = Type.Object({
  id: Uuid,
  kind: literals([...ACTIVITY_KINDS, ...CHANGE_KINDS] as const),
  at: DateTime,
  actorId: Nullable(Uuid),
  actorName: Nullable(Type.String()),
  body: Nullable(Type.String()),
  changes: Type.Union([Type.Record(Type.String(), Type.Object({ from: Type.Unknown(), to: Type.Unknown() })), Type.Null()]),
  meta: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  /** Set for activities (notes included). */
  activity: Nullable(VisibleActivity),
});
export type TimelineEntry = Static<typeof TimelineEntry>;
export const TimelineQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
    kind: Type.Optional(literals(TIMELINE_FILTERS)),
  },
  { additionalProperties: false },
);
export type TimelineQuery = Static<typeof TimelineQuery>;

/** What base rotation walks: the client base. Deals are not rotated: an idle deal "rots" in its stage on the board. */
export const ROTATION_OBJECTS = ['company', 'contact', 'lead'] as const;
export type RotationObject = (typeof ROTATION_OBJECTS)[number];
const RotationObjectSchema = literals(ROTATION_OBJECTS);

/** Base rotation: records nobody has interacted with for `days` days (never-touched ones count from their creation). */
export const RotationQuery = Type.Object(
  {
    object: RotationObjectSchema,
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, default: 30 })),
    ownerId: Type.Optional(Uuid),
    // The lists' paging, quick search and filter grammar over the object's fields (the order is the rotation's own).
    ...Type.Pick(RecordListQuery, ['limit', 'cursor', 'filter', 'q']).properties,
  },
  { additionalProperties: false },
);
export type RotationQuery = Static<typeof RotationQuery>;
export const RotationItem = Type.Object({
  object: RotationObjectSchema,
  id: Uuid,
  title: Type.String(),
  ownerId: Uuid,
  ownerName: Nullable(Type.String()),
  lastActivityAt: Nullable(DateTime),
  createdAt: DateTime,
  /** Whole days since the last interaction (or since the record was created, when there was none). */
  idleDays: Type.Integer(),
});
export type RotationItem = Static<typeof RotationItem>;
export const RotationPage = RecordPage(RotationItem);
export type RotationPage = Static<typeof RotationPage>;

/** One follow-up task per record, assigned to the record's owner and linked to it. */
export const FollowUpBody = Type.Object(
  {
    object: RotationObjectSchema,
    ids: Type.Array(Uuid, { minItems: 1, maxItems: 200 }),
    /** The same title for every task; by default "Follow up: <record>" in the workspace's language. */
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 300, pattern: '\\S' })),
    dueAt: Type.Optional(Type.Union([DateTime, Type.Null()])),
  },
  { additionalProperties: false },
);
export type FollowUpBody = Static<typeof FollowUpBody>;
export const FollowUpResult = Type.Object({
  created: Type.Array(Type.Object({ recordId: Uuid, taskId: Uuid })),
  failed: Type.Array(Type.Object({ id: Uuid, code: Type.String(), message: Type.String() })),
});
export type FollowUpResult = Static<typeof FollowUpResult>;
