import { ClientObjectSchema, CustomField, CustomFieldBody, CustomFieldUpdateBody } from '@rapport/shared';
import { Type } from 'typebox';
import { ctxOf, expectedVersion } from '../../http/access.js';
import { IdParams, NoContent, type App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

const TAG = { tags: ['custom fields'] };

export function customFieldRoutes(app: App, services: Services): void {
  app.get(
    '/api/v1/custom-fields',
    { config: { access: 'authenticated' }, schema: { ...TAG, querystring: Type.Object({ object: Type.Optional(ClientObjectSchema) }, { additionalProperties: false }), response: { 200: Type.Object({ items: Type.Array(CustomField) }) } } },
    async (request) => ({ items: await services.customField.list(ctxOf(request), request.query.object) }),
  );

  app.post('/api/v1/custom-fields', { config: { access: { object: 'settings', action: 'update' } }, schema: { ...TAG, body: CustomFieldBody, response: { 201: CustomField } } }, async (request, reply) =>
    reply.status(201).send(await services.customField.create(ctxOf(request), request.body)),
  );

  app.patch('/api/v1/custom-fields/:id', { config: { access: { object: 'settings', action: 'update' } }, schema: { ...TAG, params: IdParams, body: CustomFieldUpdateBody, response: { 200: CustomField } } }, (request) => {
    const { version, ...patch } = request.body;
    return services.customField.update(ctxOf(request), request.params.id, patch, expectedVersion(request, version));
  });

  app.delete('/api/v1/custom-fields/:id', { config: { access: { object: 'settings', action: 'update' } }, schema: { ...TAG, params: IdParams, response: { 204: NoContent } } }, async (request, reply) => {
    await services.customField.remove(ctxOf(request), request.params.id);
    return reply.status(204).send(null);
  });
}
