import { InviteUserBody, ListQuery, Page, UpdateUserBody, User } from '@rapport/shared';
import { Type } from 'typebox';
import { ctxOf, expectedVersion } from '../../http/access.js';
import { IdParams, type App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

const TAG = { tags: ['users'] };
// A role's field rules can hide any field of a user, so answers may leave fields out (a required field would fail to serialise).
const VisibleUser = Type.Partial(User, { description: 'A user; fields hidden from the reader by their role are left out' });

export function userRoutes(app: App, services: Services): void {
  app.get('/api/v1/users', { config: { access: { object: 'user', action: 'read' } }, schema: { ...TAG, querystring: ListQuery, response: { 200: Page(VisibleUser) } } }, (request) =>
    services.user.list(ctxOf(request), request.query),
  );

  app.get('/api/v1/users/:id', { config: { access: { object: 'user', action: 'read' } }, schema: { ...TAG, params: IdParams, response: { 200: VisibleUser } } }, async (request, reply) => {
    const user = await services.user.get(ctxOf(request), request.params.id);
    return reply.header('etag', `"${user.version}"`).send(user);
  });

  app.post('/api/v1/users/invite', { config: { access: { object: 'user', action: 'create' } }, schema: { ...TAG, body: InviteUserBody, response: { 201: VisibleUser } } }, async (request, reply) =>
    reply.status(201).send(await services.user.invite(ctxOf(request), request.body)),
  );

  app.post('/api/v1/users/:id/resend-invite', { config: { access: { object: 'user', action: 'create' } }, schema: { ...TAG, params: IdParams, response: { 204: Type.Null() } } }, async (request, reply) => {
    await services.user.resendInvite(ctxOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  app.patch('/api/v1/users/:id', { config: { access: { object: 'user', action: 'update' } }, schema: { ...TAG, params: IdParams, body: UpdateUserBody, response: { 200: VisibleUser } } }, (request) => {
    const { version, ...patch } = request.body;
    return services.user.update(ctxOf(request), request.params.id, patch, expectedVersion(request, version));
  });
}
