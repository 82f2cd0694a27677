import { effectiveEmailPrefs, type Notification } from '@rapport/shared';
import type { Ctx } from '../../core/context.js';
import { decodeCursor, toPage } from '../../core/pagination.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import { newId } from '../../infra/ids.js';
import { emit } from '../outbox/outbox.service.js';
import type { MailInput } from '../mail/mail.service.js';
import { isEmailKind, renderNotificationMail } from './notification-mail.js';
import { countUnread, findRecipient, insertNotification, listNotifications, markRead } from './notification.repository.js';

export interface NotifyInput {
  workspaceId: string;
  userId: string;
  kind: string;
  /** An i18n key under `notifications.` in the web's dictionaries. */
  messageKey: string;
  params?: Record<string, unknown>;
  link?: string | null;
}

/** Where a notification's e-mail twin goes: the mail outbox, with links made absolute. */
export interface NotifyMail {
  queue(ex: Executor, input: MailInput): Promise<string>;
  publicUrl: string;
}

/**
 * Creates a notification in the caller's transaction; the outbox pushes it to the user's open tabs after commit.
 * With `mail`, kinds the recipient chose to get by e-mail (profile, else the kind's default) are also queued as an e-mail.
 */
export async function notify(ex: Executor, input: NotifyInput, mail?: NotifyMail): Promise<void> {
  const id = newId();
  await insertNotification(ex, {
    workspace_id: input.workspaceId,
    id,
    user_id: input.userId,
    kind: input.kind,
    message_key: input.messageKey,
    params: JSON.stringify(input.params ?? {}),
    link: input.link ?? null,
  });
  await emit(ex, input.workspaceId, 'notification.created', { userId: input.userId, notificationId: id });
  if (!mail || !isEmailKind(input.kind)) return;
  const recipient = await findRecipient(ex, input.workspaceId, input.userId);
  if (!recipient || !effectiveEmailPrefs(recipient.notify_email)[input.kind]) return;
  const link = new URL(input.link ?? '/', mail.publicUrl).toString();
  await mail.queue(ex, { workspaceId: input.workspaceId, to: recipient.email, ...renderNotificationMail(input.kind, recipient.locale, input.params ?? {}, link) });
}

export function createNotificationService(deps: ServiceDeps) {
  // Notifications belong to their recipient: every query is bound to the acting user, no role scope applies.
  async function list(ctx: Ctx, q: { limit?: number | undefined; cursor?: string | undefined; unread?: boolean | undefined }) {
    const limit = q.limit ?? 20;
    const before = decodeCursor(q.cursor, ['uuid'])?.[0];
    const { workspaceId, userId } = ctx.actor;
    const rows = await listNotifications(deps.db, workspaceId, userId, limit, before === undefined ? undefined : String(before), q.unread ?? false);
    const page = toPage(rows, limit, (row) => [row.id]);
    const items: Notification[] = page.items.map((row) => ({
      id: row.id,
      kind: row.kind,
      messageKey: row.message_key,
      params: row.params,
      link: row.link,
      readAt: row.read_at?.toISOString() ?? null,
      createdAt: row.created_at.toISOString(),
    }));
    return { items, nextCursor: page.nextCursor, unread: await countUnread(deps.db, workspaceId, userId) };
  }

  async function markAsRead(ctx: Ctx, ids: string[] | 'all'): Promise<{ updated: number; unread: number }> {
    const { workspaceId, userId } = ctx.actor;
    const updated = await markRead(deps.db, workspaceId, userId, ids);
    return { updated, unread: await countUnread(deps.db, workspaceId, userId) };
  }

  return { list, markAsRead, unread: (ctx: Ctx) => countUnread(deps.db, ctx.actor.workspaceId, ctx.actor.userId) };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
