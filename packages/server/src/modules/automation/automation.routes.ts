import { RobotRule, RobotRuleBody, RobotRuleList, RobotRuleQuery, RobotRuleUpdateBody, RobotRunList } from '@rapport/shared';
import { Type } from 'typebox';
import { ctxOf, expectedVersion } from '../../http/access.js';
import { IdParams, NoContent, type App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

const TAG = { tags: ['robots'] };
const DeleteQuery = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false });

/** Stage robots: administrators shape them in Settings › Pipelines; a deal's card shows what they did to it. */
export function automationRoutes(app: App, services: Services): void {
  app.get('/api/v1/robots', { config: { access: { object: 'settings', action: 'read' } }, schema: { ...TAG, querystring: RobotRuleQuery, response: { 200: RobotRuleList } } }, (request) =>
    services.automation.list(ctxOf(request), request.query.stageId),
  );

  app.post('/api/v1/robots', { config: { access: { object: 'settings', action: 'update' } }, schema: { ...TAG, body: RobotRuleBody, response: { 201: RobotRule } } }, async (request, reply) =>
    reply.status(201).send(await services.automation.create(ctxOf(request), request.body)),
  );

  app.patch('/api/v1/robots/:id', { config: { access: { object: 'settings', action: 'update' } }, schema: { ...TAG, params: IdParams, body: RobotRuleUpdateBody, response: { 200: RobotRule } } }, (request) => {
    const { version, ...patch } = request.body;
    return services.automation.update(ctxOf(request), request.params.id, patch, expectedVersion(request, version));
  });

  app.delete('/api/v1/robots/:id', { config: { access: { object: 'settings', action: 'update' } }, schema: { ...TAG, params: IdParams, querystring: DeleteQuery, response: { 204: NoContent } } }, async (request, reply) => {
    await services.automation.remove(ctxOf(request), request.params.id, expectedVersion(request, request.query.version));
    return reply.status(204).send(null);
  });

  app.get('/api/v1/deals/:id/robot-runs', { config: { access: { object: 'deal', action: 'read' } }, schema: { ...TAG, params: IdParams, response: { 200: RobotRunList } } }, (request) =>
    services.automation.runs(ctxOf(request), request.params.id),
  );
}
