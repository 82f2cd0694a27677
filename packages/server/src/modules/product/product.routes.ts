import { Page, Product, ProductBody, ProductListQuery, ProductUpdateBody } from '@rapport/shared';
import { ctxOf, expectedVersion } from '../../http/access.js';
import { IdParams, NoContent, type App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

const TAG = { tags: ['products'] };
const READ = { access: { object: 'deal', action: 'read' } } as const;
const WRITE = { access: { object: 'settings', action: 'update' } } as const;

export function productRoutes(app: App, services: Services): void {
  // Whoever may read deals sees what they can sell; administrators keep the catalog.
  app.get('/api/v1/products', { config: READ, schema: { ...TAG, querystring: ProductListQuery, response: { 200: Page(Product) } } }, (request) => services.product.list(ctxOf(request), request.query));

  app.get('/api/v1/products/:id', { config: READ, schema: { ...TAG, params: IdParams, response: { 200: Product } } }, (request) => services.product.get(ctxOf(request), request.params.id));

  app.post('/api/v1/products', { config: WRITE, schema: { ...TAG, body: ProductBody, response: { 201: Product } } }, async (request, reply) => reply.status(201).send(await services.product.create(ctxOf(request), request.body)));

  app.patch('/api/v1/products/:id', { config: WRITE, schema: { ...TAG, params: IdParams, body: ProductUpdateBody, response: { 200: Product } } }, (request) => {
    const { version, ...patch } = request.body;
    return services.product.update(ctxOf(request), request.params.id, patch, expectedVersion(request, version));
  });

  // Archiving keeps the product (deals that sold it still name it) and frees its SKU; restore brings it back.
  app.delete('/api/v1/products/:id', { config: WRITE, schema: { ...TAG, params: IdParams, response: { 204: NoContent } } }, async (request, reply) => {
    await services.product.archive(ctxOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  app.post('/api/v1/products/:id/restore', { config: WRITE, schema: { ...TAG, params: IdParams, response: { 200: Product } } }, (request) => services.product.restore(ctxOf(request), request.params.id));
}
