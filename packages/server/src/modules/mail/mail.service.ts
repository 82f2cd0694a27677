import type { MailMessage, PageOf } from '@rapport/shared';
import { accessScope } from '../../core/access-scope.js';
import type { Ctx } from '../../core/context.js';
import { decodeCursor, toPage } from '../../core/pagination.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import { newId } from '../../infra/ids.js';
import type { MailTransport } from '../../infra/mail.js';
import { emit } from '../outbox/outbox.service.js';
import { findMail, insertMail, listMail, setMailStatus } from './mail.repository.js';

export interface MailInput {
  workspaceId: string;
  to: string;
  subject: string;
  text: string;
}

export function createMailService(deps: ServiceDeps & { transport: MailTransport | undefined; mailFrom: string }) {
  /**
   * Stores the message in the caller's transaction. With SMTP configured it is queued for delivery by a job;
   * without, it is held in the outbox that administrators read in Settings.
   */
  async function queue(ex: Executor, input: MailInput): Promise<string> {
    const id = newId();
    const status = deps.transport ? 'queued' : 'held';
    await insertMail(ex, { workspace_id: input.workspaceId, id, to_address: input.to, subject: input.subject, text: input.text, status });
    if (status === 'queued') await emit(ex, input.workspaceId, 'mail.queued', { mailId: id });
    return id;
  }

  /**
   * Delivers one queued message; a thrown error lets the job retry. A failed attempt marks the message 'failed'
   * (with the error, for the outbox), so the retries must still deliver a 'failed' one — only 'sent' is final.
   */
  async function deliver(workspaceId: string, id: string): Promise<void> {
    const mail = await findMail(deps.db, workspaceId, id);
    if (!mail || (mail.status !== 'queued' && mail.status !== 'failed') || !deps.transport) return;
    try {
      await deps.transport.send({ from: deps.mailFrom, to: mail.to_address, subject: mail.subject, text: mail.text });
      await setMailStatus(deps.db, workspaceId, id, 'sent', null);
    } catch (error) {
      await setMailStatus(deps.db, workspaceId, id, 'failed', (error as Error).message);
      throw error;
    }
  }

  async function list(ctx: Ctx, q: { limit?: number | undefined; cursor?: string | undefined }): Promise<PageOf<MailMessage>> {
    accessScope(ctx.actor, 'settings', 'read');
    const limit = q.limit ?? 50;
    const before = decodeCursor(q.cursor, ['uuid'])?.[0];
    const rows = await listMail(deps.db, ctx.actor.workspaceId, limit, before === undefined ? undefined : String(before));
    const page = toPage(rows, limit, (row) => [row.id]);
    return {
      nextCursor: page.nextCursor,
      items: page.items.map((row) => ({
        id: row.id,
        to: row.to_address,
        subject: row.subject,
        text: row.text,
        status: row.status,
        error: row.error,
        createdAt: row.created_at.toISOString(),
      })),
    };
  }

  return { queue, deliver, list };
}

export type MailService = ReturnType<typeof createMailService>;
