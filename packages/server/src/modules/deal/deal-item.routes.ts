import { DealItems, DealItemsBody, ProductQuotes } from '@rapport/shared';
import { Type } from 'typebox';
import { ctxOf, expectedVersion } from '../../http/access.js';
import { IdParams, type App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

const TAG = { tags: ['deals'] };

export function dealItemRoutes(app: App, services: Services): void {
  app.get('/api/v1/deals/:id/items', { config: { access: { object: 'deal', action: 'read' } }, schema: { ...TAG, description: "The deal's products with each line's net, tax and total, and the deal's totals.", params: IdParams, response: { 200: DealItems } } }, (request) =>
    services.dealItems.list(ctxOf(request), request.params.id),
  );

  app.get(
    '/api/v1/deals/:id/quotes',
    {
      config: { access: { object: 'deal', action: 'read' } },
      schema: {
        ...TAG,
        description: "The price each product would take as a new line of the deal: its price in the deal's price list valid today, else its catalog price when that is in the deal's currency, else null.",
        params: IdParams,
        querystring: Type.Object({ productIds: Type.String({ pattern: '^[0-9a-fA-F-]{36}(,[0-9a-fA-F-]{36}){0,199}$', description: 'comma-separated product ids' }) }, { additionalProperties: false }),
        response: { 200: ProductQuotes },
      },
    },
    (request) => services.dealItems.quotes(ctxOf(request), request.params.id, request.query.productIds.split(',')),
  );

  app.put(
    '/api/v1/deals/:id/items',
    { config: { access: { object: 'deal', action: 'update' } }, schema: { ...TAG, description: "Replaces all of the deal's products (with the deal's version); the deal's amount becomes their total.", params: IdParams, body: DealItemsBody, response: { 200: DealItems } } },
    (request) => services.dealItems.replace(ctxOf(request), request.params.id, request.body.items, expectedVersion(request, request.body.version)),
  );
}
