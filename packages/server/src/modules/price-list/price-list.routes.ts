import { PriceList, PriceListBody, PriceListItems, PriceListItemsBody, PriceListList, PriceListQuery, PriceListUpdateBody } from '@rapport/shared';
import { ctxOf, expectedVersion } from '../../http/access.js';
import { IdParams, type App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

const TAG = { tags: ['price-lists'] };
const READ = { access: { object: 'deal', action: 'read' } } as const;
const WRITE = { access: { object: 'settings', action: 'update' } } as const;

export function priceListRoutes(app: App, services: Services): void {
  // Whoever may read deals sees the lists their prices come from; administrators keep them, as they keep the catalog.
  app.get('/api/v1/price-lists', { config: READ, schema: { ...TAG, querystring: PriceListQuery, response: { 200: PriceListList } } }, (request) => services.priceList.list(ctxOf(request), request.query));

  app.get('/api/v1/price-lists/:id', { config: READ, schema: { ...TAG, params: IdParams, response: { 200: PriceList } } }, (request) => services.priceList.get(ctxOf(request), request.params.id));

  app.post('/api/v1/price-lists', { config: WRITE, schema: { ...TAG, body: PriceListBody, response: { 201: PriceList } } }, async (request, reply) => reply.status(201).send(await services.priceList.create(ctxOf(request), request.body)));

  app.patch('/api/v1/price-lists/:id', { config: WRITE, schema: { ...TAG, params: IdParams, body: PriceListUpdateBody, response: { 200: PriceList } } }, (request) => {
    const { version, ...patch } = request.body;
    return services.priceList.update(ctxOf(request), request.params.id, patch, expectedVersion(request, version));
  });

  app.delete('/api/v1/price-lists/:id', { config: WRITE, schema: { ...TAG, description: 'Archives the list: no longer offered to deals, no longer a default.', params: IdParams, response: { 200: PriceList } } }, (request) =>
    services.priceList.archive(ctxOf(request), request.params.id),
  );

  app.post('/api/v1/price-lists/:id/restore', { config: WRITE, schema: { ...TAG, params: IdParams, response: { 200: PriceList } } }, (request) => services.priceList.restore(ctxOf(request), request.params.id));

  app.get('/api/v1/price-lists/:id/items', { config: READ, schema: { ...TAG, params: IdParams, response: { 200: PriceListItems } } }, (request) => services.priceList.items(ctxOf(request), request.params.id));

  app.put('/api/v1/price-lists/:id/items', { config: WRITE, schema: { ...TAG, description: "Replaces all of the list's prices (with the list's version).", params: IdParams, body: PriceListItemsBody, response: { 200: PriceListItems } } }, (request) =>
    services.priceList.replaceItems(ctxOf(request), request.params.id, request.body.items, expectedVersion(request, request.body.version)),
  );
}
