import { AuditEntry, Page } from '@rapport/shared';
import { Type } from 'typebox';
import { ctxOf } from '../../http/access.js';
import type { App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

const AuditQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
    actorId: Type.Optional(Type.String({ format: 'uuid' })),
    objectType: Type.Optional(Type.String({ maxLength: 50 })),
    objectId: Type.Optional(Type.String({ maxLength: 100 })),
    action: Type.Optional(Type.String({ maxLength: 100 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export function auditRoutes(app: App, services: Services): void {
  app.get('/api/v1/audit', { config: { access: { object: 'audit', action: 'read' } }, schema: { tags: ['audit'], querystring: AuditQuery, response: { 200: Page(AuditEntry) } } }, (request) =>
    services.audit.list(ctxOf(request), request.query),
  );
}
