import { LeadDistributionOrderBody, LeadDistributionRule, LeadDistributionRuleBody, LeadDistributionRuleUpdateBody } from '@rapport/shared';
import { Type } from 'typebox';
import { ctxOf, expectedVersion } from '../../http/access.js';
import { IdParams, NoContent, type App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

const TAG = { tags: ['lead distribution'] };
const ADMIN = { access: { object: 'settings', action: 'update' } } as const;
const List = Type.Object({ items: Type.Array(LeadDistributionRule) });

export function leadDistributionRoutes(app: App, services: Services): void {
  const rules = services.leadDistribution;
  app.get('/api/v1/lead-distribution-rules', { config: ADMIN, schema: { ...TAG, response: { 200: List } } }, async (request) => ({ items: await rules.list(ctxOf(request)) }));

  app.get('/api/v1/lead-distribution-rules/:id', { config: ADMIN, schema: { ...TAG, params: IdParams, response: { 200: LeadDistributionRule } } }, (request) => rules.get(ctxOf(request), request.params.id));

  app.post('/api/v1/lead-distribution-rules', { config: ADMIN, schema: { ...TAG, body: LeadDistributionRuleBody, response: { 201: LeadDistributionRule } } }, async (request, reply) =>
    reply.status(201).send(await rules.create(ctxOf(request), request.body)),
  );

  app.patch('/api/v1/lead-distribution-rules/:id', { config: ADMIN, schema: { ...TAG, params: IdParams, body: LeadDistributionRuleUpdateBody, response: { 200: LeadDistributionRule } } }, (request) => {
    const { version, ...patch } = request.body;
    return rules.update(ctxOf(request), request.params.id, patch, expectedVersion(request, version));
  });

  app.delete('/api/v1/lead-distribution-rules/:id', { config: ADMIN, schema: { ...TAG, params: IdParams, response: { 204: NoContent } } }, async (request, reply) => {
    await rules.remove(ctxOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  app.put('/api/v1/lead-distribution-rules/order', { config: ADMIN, schema: { ...TAG, body: LeadDistributionOrderBody, response: { 200: List } } }, async (request) => ({ items: await rules.reorder(ctxOf(request), request.body.ids) }));
}
