import { ClientObjectSchema, SavedView, SavedViewBody, SavedViewUpdateBody } from '@rapport/shared';
import { Type } from 'typebox';
import { ctxOf, expectedVersion } from '../../http/access.js';
import { IdParams, NoContent, type App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

const TAG = { tags: ['saved views'] };

export function savedViewRoutes(app: App, services: Services): void {
  // Views belong to lists: the service checks read access to the view's object and ownership for changes.
  app.get('/api/v1/views', { config: { access: 'authenticated' }, schema: { ...TAG, querystring: Type.Object({ object: ClientObjectSchema }, { additionalProperties: false }), response: { 200: Type.Object({ items: Type.Array(SavedView) }) } } }, async (request) => ({
    items: await services.savedView.list(ctxOf(request), request.query.object),
  }));

  app.post('/api/v1/views', { config: { access: 'authenticated' }, schema: { ...TAG, body: SavedViewBody, response: { 201: SavedView } } }, async (request, reply) =>
    reply.status(201).send(await services.savedView.create(ctxOf(request), request.body)),
  );

  app.patch('/api/v1/views/:id', { config: { access: 'authenticated' }, schema: { ...TAG, params: IdParams, body: SavedViewUpdateBody, response: { 200: SavedView } } }, (request) => {
    const { version, ...patch } = request.body;
    return services.savedView.update(ctxOf(request), request.params.id, patch, expectedVersion(request, version));
  });

  app.delete('/api/v1/views/:id', { config: { access: 'authenticated' }, schema: { ...TAG, params: IdParams, response: { 204: NoContent } } }, async (request, reply) => {
    await services.savedView.remove(ctxOf(request), request.params.id);
    return reply.status(204).send(null);
  });
}
