import { Type } from 'typebox';

/**
 * Notification kinds a user can also receive by e-mail, with the default when they have not chosen: the ones that need
 * action (assigned, put on a task, reminders of tasks, calls and meetings, overdue, escalation) e-mail by default,
 * chatter (comments) does not; administrators hear of unusual exports by e-mail too.
 */
export const EMAIL_NOTIFICATION_DEFAULTS = {
  task_assigned: true,
  task_co_executor: true,
  task_watcher: true,
  task_reminder: true,
  activity_reminder: true,
  task_overdue: true,
  task_escalated: true,
  task_comment: false,
  /** Administrators: a large export, or one user exporting often (protects the client base). */
  export_unusual: true,
} as const;
export type EmailNotificationKind = keyof typeof EMAIL_NOTIFICATION_DEFAULTS;
export const EMAIL_NOTIFICATION_KINDS = Object.keys(EMAIL_NOTIFICATION_DEFAULTS) as EmailNotificationKind[];

/** Kind → send an e-mail too. Partial: kinds left out keep their default. */
export type NotifyEmailPrefs = Partial<Record<EmailNotificationKind, boolean>>;
export const NotifyEmailPrefs = Type.Unsafe<NotifyEmailPrefs>(
  Type.Object(Object.fromEntries(EMAIL_NOTIFICATION_KINDS.map((kind) => [kind, Type.Optional(Type.Boolean())])), { additionalProperties: false }),
);

/** The stored choices over the defaults. */
export function effectiveEmailPrefs(stored: NotifyEmailPrefs): Record<EmailNotificationKind, boolean> {
  return Object.fromEntries(EMAIL_NOTIFICATION_KINDS.map((kind) => [kind, stored[kind] ?? EMAIL_NOTIFICATION_DEFAULTS[kind]])) as Record<EmailNotificationKind, boolean>;
}
