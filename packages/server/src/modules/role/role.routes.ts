import { Role, RoleBody, RoleUpdateBody } from '@rapport/shared';
import { Type } from 'typebox';
import { ctxOf, expectedVersion } from '../../http/access.js';
import { IdParams, type App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

const TAG = { tags: ['roles'] };

export function roleRoutes(app: App, services: Services): void {
  app.get('/api/v1/roles', { config: { access: { object: 'role', action: 'read' } }, schema: { ...TAG, response: { 200: Type.Object({ items: Type.Array(Role) }) } } }, async (request) => ({
    items: await services.role.list(ctxOf(request)),
  }));

  app.get('/api/v1/roles/:id', { config: { access: { object: 'role', action: 'read' } }, schema: { ...TAG, params: IdParams, response: { 200: Role } } }, async (request, reply) => {
    const role = await services.role.get(ctxOf(request), request.params.id);
    return reply.header('etag', `"${role.version}"`).send(role);
  });

  app.post('/api/v1/roles', { config: { access: { object: 'role', action: 'create' } }, schema: { ...TAG, body: RoleBody, response: { 201: Role } } }, async (request, reply) =>
    reply.status(201).send(await services.role.create(ctxOf(request), request.body)),
  );

  app.patch('/api/v1/roles/:id', { config: { access: { object: 'role', action: 'update' } }, schema: { ...TAG, params: IdParams, body: RoleUpdateBody, response: { 200: Role } } }, (request) => {
    const { version, ...patch } = request.body;
    return services.role.update(ctxOf(request), request.params.id, patch, expectedVersion(request, version));
  });

  app.delete('/api/v1/roles/:id', { config: { access: { object: 'role', action: 'delete' } }, schema: { ...TAG, params: IdParams, response: { 204: Type.Null() } } }, async (request, reply) => {
    await services.role.remove(ctxOf(request), request.params.id);
    return reply.status(204).send(null);
  });
}
