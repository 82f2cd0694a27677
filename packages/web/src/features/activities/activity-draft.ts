import { activityInputErrors, type Activity, type ActivityBody, type ActivityLinkInput, type ActivityUpdateBody, type LoggedActivityKind } from '@rapport/shared';

/** What an activity form edits: inputs as typed (times in the browser's zone, duration as "m:ss" or minutes). */
export interface ActivityDraft {
  kind: LoggedActivityKind;
  direction: 'inbound' | 'outbound';
  subject: string;
  body: string;
  phone: string;
  duration: string;
  result: string | null;
  recordingUrl: string;
  /** `datetime-local` values. */
  startsAt: string;
  endsAt: string;
  occurredAt: string;
  /** Calls and meetings: minutes before the start to be reminded, as the select holds them; '' = no reminder. */
  reminder: string;
  place: string;
  emailFrom: string;
  emailTo: string[];
  participantIds: string[];
  links: ActivityLinkInput[];
}

/** Form fields by the API's field names, so server errors land beside the right input. */
const FIELD_OF_PATH: Record<string, keyof ActivityDraft> = { durationSec: 'duration', links: 'links', reminderMinutes: 'reminder' };

/** Offered reminders, in minutes before the start. */
export const ACTIVITY_REMINDER_PRESETS = [0, 5, 15, 30, 60, 1440] as const;

const pad = (n: number) => String(n).padStart(2, '0');

/** A time as the `datetime-local` input shows it, in the browser's zone. */
export function toLocalInput(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const fromLocalInput = (value: string): string | undefined => {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

/** "3:05" → 185 s, "12" → 12 min, "1:02:03" → 3723 s; blank → null; anything else (or negative) → undefined. */
export function parseDuration(text: string): number | null | undefined {
  const value = text.trim();
  if (value === '') return null;
  if (/^\d+([.,]\d+)?$/.test(value)) return Math.round(Number(value.replace(',', '.')) * 60);
  const parts = value.split(':');
  if (parts.length > 3 || parts.some((part) => !/^\d+$/.test(part))) return undefined;
  return parts.reduce((total, part) => total * 60 + Number(part), 0);
}

export function formatDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds % 60)}` : `${minutes}:${pad(seconds % 60)}`;
}

/** A new activity on a record: now, outbound, with the record's phone when there is one; a meeting takes the next full hour. */
export function newDraft(kind: LoggedActivityKind, links: ActivityLinkInput[], options: { now: Date; phone?: string | undefined }): ActivityDraft {
  const nextHour = new Date(options.now);
  nextHour.setMinutes(0, 0, 0);
  nextHour.setHours(nextHour.getHours() + 1);
  const start = kind === 'meeting' ? nextHour : options.now;
  return {
    kind,
    direction: 'outbound',
    subject: '',
    body: '',
    phone: options.phone ?? '',
    duration: '',
    result: null,
    recordingUrl: '',
    startsAt: toLocalInput(start),
    endsAt: toLocalInput(new Date(nextHour.getTime() + 3_600_000)),
    occurredAt: toLocalInput(options.now),
    reminder: '',
    place: '',
    emailFrom: '',
    emailTo: [],
    participantIds: [],
    links,
  };
}

export function draftOfActivity(activity: Activity): ActivityDraft {
  const at = (iso: string | null) => (iso ? toLocalInput(new Date(iso)) : '');
  return {
    kind: activity.kind as LoggedActivityKind,
    direction: activity.direction ?? 'outbound',
    subject: activity.subject ?? '',
    body: activity.body ?? '',
    phone: activity.phone ?? '',
    duration: activity.durationSec === null ? '' : formatDuration(activity.durationSec),
    result: activity.result,
    recordingUrl: activity.recordingUrl ?? '',
    startsAt: at(activity.startsAt),
    endsAt: at(activity.endsAt),
    occurredAt: at(activity.occurredAt),
    reminder: activity.reminderMinutes === null ? '' : String(activity.reminderMinutes),
    place: activity.place ?? '',
    emailFrom: activity.emailFrom ?? '',
    emailTo: activity.emailTo,
    participantIds: activity.participants.map((participant) => participant.userId),
    links: activity.links.map((link) => ({ object: link.object, id: link.id })),
  };
}

export type DraftErrors = Partial<Record<keyof ActivityDraft, string>>;

/** Error keys (i18n) by the shared rule's message. */
const MESSAGE_KEYS: [RegExp, string][] = [
  [/before the start/, 'activities.errors.endBeforeStart'],
  [/in the future/, 'activities.errors.future'],
  [/reminder would be in the past/, 'activities.errors.reminderPast'],
  [/only a planned call or meeting/, 'activities.errors.reminderNotPlanned'],
  [/^required$/, 'fieldErrors.required'],
];

/** The i18n key of an activity rule's message (the shared check's or the server's), if it is one of them. */
export function activityMessageKey(message: string): string | undefined {
  return MESSAGE_KEYS.find(([test]) => test.test(message))?.[1];
}

/**
 * The request body of a draft (only the fields its kind uses) and the mistakes the shared rules find before sending:
 * an end before the start, a "done" call in the future, an unreadable duration, something required left empty, a
 * reminder in the past. Editing, `current` is the activity as stored (a reminder kept as it was is not checked again).
 */
export function buildActivityBody(draft: ActivityDraft, now: Date, current?: Activity): { body: ActivityBody; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const text = (value: string) => (value.trim() === '' ? null : value.trim());
  const durationSec = parseDuration(draft.duration);
  if (durationSec === undefined) errors.duration = 'activities.errors.duration';
  const common = { subject: text(draft.subject), body: text(draft.body), links: draft.links };
  const when = { startsAt: fromLocalInput(draft.startsAt), endsAt: fromLocalInput(draft.endsAt), occurredAt: fromLocalInput(draft.occurredAt) };
  const reminderMinutes = draft.reminder === '' ? null : Number(draft.reminder);
  let body: ActivityBody;
  switch (draft.kind) {
    case 'call':
      body = { kind: 'call', ...common, direction: draft.direction, phone: text(draft.phone), durationSec: durationSec ?? null, result: draft.result, recordingUrl: text(draft.recordingUrl), startsAt: when.startsAt, reminderMinutes, participantIds: draft.participantIds };
      break;
    case 'meeting':
      body = { kind: 'meeting', ...common, startsAt: when.startsAt, endsAt: when.endsAt, reminderMinutes, place: text(draft.place), participantIds: draft.participantIds };
      break;
    case 'email':
      body = { kind: 'email', ...common, direction: draft.direction, occurredAt: when.occurredAt, emailFrom: text(draft.emailFrom), emailTo: draft.emailTo };
      break;
    case 'sms':
      body = { kind: 'sms', ...common, direction: draft.direction, occurredAt: when.occurredAt, phone: text(draft.phone) };
      break;
  }
  const { kind, ...fields } = body;
  const stored = current ? { startsAt: current.startsAt, endsAt: current.endsAt, status: current.status, reminderMinutes: current.reminderMinutes } : undefined;
  for (const error of activityInputErrors(kind, stripUndefined(fields), now, stored)) {
    const field = fieldOfPath(error.path);
    if (!field || errors[field]) continue;
    errors[field] = activityMessageKey(error.message) ?? 'fieldErrors.invalid';
  }
  return { body: stripUndefined(body), errors };
}

/** The changes of an edit: the new body without its kind (a kind does not change). */
export function updateBody(body: ActivityBody, version: number): ActivityUpdateBody {
  const { kind: _kind, ...fields } = body;
  return { ...fields, version };
}

export function fieldOfPath(path: string): keyof ActivityDraft | undefined {
  const name = path.split('/')[2];
  if (!name) return undefined;
  return FIELD_OF_PATH[name] ?? (name as keyof ActivityDraft);
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}
