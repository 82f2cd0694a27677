import { FollowUpBody, FollowUpResult, RotationPage, RotationQuery } from '@rapport/shared';
import { ctxOf } from '../../http/access.js';
import type { App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

const TAG = { tags: ['base rotation'] };

export function rotationRoutes(app: App, services: Services): void {
  // The object is a parameter: the service applies that object's read scope (as the lists do).
  app.get('/api/v1/rotation', { config: { access: 'authenticated' }, schema: { ...TAG, querystring: RotationQuery, response: { 200: RotationPage } } }, (request) =>
    services.rotation.list(ctxOf(request), request.query),
  );

  // Each record must be readable; each task goes through the tasks module (its assign rights, audit, notification).
  app.post('/api/v1/rotation/follow-ups', { config: { access: { object: 'task', action: 'create' } }, schema: { ...TAG, body: FollowUpBody, response: { 200: FollowUpResult } } }, (request) =>
    services.rotation.followUp(ctxOf(request), request.body),
  );
}
