import { Team, TeamBody, TeamUpdateBody } from '@rapport/shared';
import { Type } from 'typebox';
import { ctxOf, expectedVersion } from '../../http/access.js';
import { IdParams, type App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

const TAG = { tags: ['teams'] };

export function teamRoutes(app: App, services: Services): void {
  app.get('/api/v1/teams', { config: { access: { object: 'team', action: 'read' } }, schema: { ...TAG, response: { 200: Type.Object({ items: Type.Array(Team) }) } } }, async (request) => ({
    items: await services.team.list(ctxOf(request)),
  }));

  app.post('/api/v1/teams', { config: { access: { object: 'team', action: 'create' } }, schema: { ...TAG, body: TeamBody, response: { 201: Team } } }, async (request, reply) =>
    reply.status(201).send(await services.team.create(ctxOf(request), request.body)),
  );

  app.patch('/api/v1/teams/:id', { config: { access: { object: 'team', action: 'update' } }, schema: { ...TAG, params: IdParams, body: TeamUpdateBody, response: { 200: Team } } }, (request) => {
    const { version, ...patch } = request.body;
    return services.team.update(ctxOf(request), request.params.id, patch, expectedVersion(request, version));
  });

  app.delete('/api/v1/teams/:id', { config: { access: { object: 'team', action: 'delete' } }, schema: { ...TAG, params: IdParams, response: { 204: Type.Null() } } }, async (request, reply) => {
    await services.team.remove(ctxOf(request), request.params.id);
    return reply.status(204).send(null);
  });
}
