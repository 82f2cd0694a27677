import { ActivityBody, ActivityListQuery, ActivityUpdateBody, Page, VisibleActivity, type Activity } from '@rapport/shared';
import { hideFields } from '../../core/field-rules.js';
import { ctxOf, expectedVersion } from '../../http/access.js';
import { IdParams, NoContent, type App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

const TAG = { tags: ['activities'] };

export function activityRoutes(app: App, services: Services): void {
  const show = (request: Parameters<typeof ctxOf>[0], activity: Activity) => hideFields(ctxOf(request).actor, 'activity', activity) as Activity;

  app.get('/api/v1/activities', { config: { access: { object: 'activity', action: 'read' } }, schema: { ...TAG, querystring: ActivityListQuery, response: { 200: Page(VisibleActivity) } } }, async (request) => {
    const page = await services.activity.list(ctxOf(request), request.query);
    return { items: page.items.map((item) => show(request, item)), nextCursor: page.nextCursor };
  });

  // Linked records must also be readable by the caller; the service checks each one.
  app.post('/api/v1/activities', { config: { access: { object: 'activity', action: 'create' } }, schema: { ...TAG, body: ActivityBody, response: { 201: VisibleActivity } } }, async (request, reply) =>
    reply.status(201).send(show(request, await services.activity.create(ctxOf(request), request.body))),
  );

  app.get('/api/v1/activities/:id', { config: { access: { object: 'activity', action: 'read' } }, schema: { ...TAG, params: IdParams, response: { 200: VisibleActivity } } }, async (request, reply) => {
    const activity = await services.activity.get(ctxOf(request), request.params.id);
    return reply.header('etag', `"${String(activity.version)}"`).send(show(request, activity));
  });

  app.patch('/api/v1/activities/:id', { config: { access: { object: 'activity', action: 'update' } }, schema: { ...TAG, params: IdParams, body: ActivityUpdateBody, response: { 200: VisibleActivity } } }, async (request) => {
    const { version, ...patch } = request.body;
    return show(request, await services.activity.update(ctxOf(request), request.params.id, patch, expectedVersion(request, version)));
  });

  app.delete('/api/v1/activities/:id', { config: { access: { object: 'activity', action: 'delete' } }, schema: { ...TAG, params: IdParams, response: { 204: NoContent } } }, async (request, reply) => {
    await services.activity.remove(ctxOf(request), request.params.id);
    return reply.status(204).send(null);
  });
}
