import { NotificationList } from '@rapport/shared';
import { Type } from 'typebox';
import { ctxOf } from '../../http/access.js';
import type { App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

const TAG = { tags: ['notifications'] };
const ReadAnswer = Type.Object({ updated: Type.Integer(), unread: Type.Integer() });

// A user's own notifications: any signed-in user, bound to themselves in the service.
export function notificationRoutes(app: App, services: Services): void {
  app.get(
    '/api/v1/notifications',
    {
      config: { access: 'authenticated' },
      schema: {
        ...TAG,
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), cursor: Type.Optional(Type.String({ maxLength: 500 })), unread: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 200: NotificationList },
      },
    },
    (request) => services.notification.list(ctxOf(request), request.query),
  );

  app.post(
    '/api/v1/notifications/read',
    {
      config: { access: 'authenticated' },
      schema: {
        ...TAG,
        body: Type.Union([Type.Object({ ids: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 200 }) }, { additionalProperties: false }), Type.Object({ all: Type.Literal(true) }, { additionalProperties: false })]),
        response: { 200: ReadAnswer },
      },
    },
    (request) => services.notification.markAsRead(ctxOf(request), 'ids' in request.body ? request.body.ids : 'all'),
  );
}
