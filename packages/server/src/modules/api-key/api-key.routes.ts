import { ApiKey, ApiKeyBody, ApiKeyCreated } from '@rapport/shared';
import { Type } from 'typebox';
import { ctxOf } from '../../http/access.js';
import { IdParams, type App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

const TAG = { tags: ['api-keys'] };

export function apiKeyRoutes(app: App, services: Services): void {
  app.get('/api/v1/api-keys', { config: { access: { object: 'api_key', action: 'read' } }, schema: { ...TAG, response: { 200: Type.Object({ items: Type.Array(ApiKey) }) } } }, async (request) => ({
    items: await services.apiKey.list(ctxOf(request)),
  }));

  app.post('/api/v1/api-keys', { config: { access: { object: 'api_key', action: 'create' } }, schema: { ...TAG, body: ApiKeyBody, response: { 201: ApiKeyCreated } } }, async (request, reply) =>
    reply.status(201).send(await services.apiKey.create(ctxOf(request), request.body)),
  );

  app.delete('/api/v1/api-keys/:id', { config: { access: { object: 'api_key', action: 'delete' } }, schema: { ...TAG, params: IdParams, response: { 204: Type.Null() } } }, async (request, reply) => {
    await services.apiKey.revoke(ctxOf(request), request.params.id);
    return reply.status(204).send(null);
  });
}
