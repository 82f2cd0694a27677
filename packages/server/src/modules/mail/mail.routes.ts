import { PageQuery, MailMessage, Page } from '@rapport/shared';
import { ctxOf } from '../../http/access.js';
import type { App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

/** The mail outbox: what Rapport sent or, without SMTP, holds for an administrator to read. */
export function mailRoutes(app: App, services: Services): void {
  app.get('/api/v1/mail-outbox', { config: { access: { object: 'settings', action: 'read' } }, schema: { tags: ['settings'], querystring: PageQuery, response: { 200: Page(MailMessage) } } }, (request) =>
    services.mail.list(ctxOf(request), request.query),
  );
}
