import { Pipeline, PipelineBody, PipelineList, PipelineUpdateBody } from '@rapport/shared';
import { ctxOf, expectedVersion } from '../../http/access.js';
import { IdParams, NoContent, type App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

const TAG = { tags: ['pipelines'] };

export function pipelineRoutes(app: App, services: Services): void {
  // Whoever may read deals sees the pipelines they move through; administrators shape them.
  app.get('/api/v1/pipelines', { config: { access: { object: 'deal', action: 'read' } }, schema: { ...TAG, response: { 200: PipelineList } } }, async (request) => ({ items: await services.pipeline.list(ctxOf(request)) }));

  app.get('/api/v1/pipelines/:id', { config: { access: { object: 'deal', action: 'read' } }, schema: { ...TAG, params: IdParams, response: { 200: Pipeline } } }, (request) => services.pipeline.get(ctxOf(request), request.params.id));

  app.post('/api/v1/pipelines', { config: { access: { object: 'settings', action: 'update' } }, schema: { ...TAG, body: PipelineBody, response: { 201: Pipeline } } }, async (request, reply) =>
    reply.status(201).send(await services.pipeline.create(ctxOf(request), request.body)),
  );

  app.patch('/api/v1/pipelines/:id', { config: { access: { object: 'settings', action: 'update' } }, schema: { ...TAG, params: IdParams, body: PipelineUpdateBody, response: { 200: Pipeline } } }, (request) => {
    const { version, ...patch } = request.body;
    return services.pipeline.update(ctxOf(request), request.params.id, patch, expectedVersion(request, version));
  });

  app.delete('/api/v1/pipelines/:id', { config: { access: { object: 'settings', action: 'update' } }, schema: { ...TAG, params: IdParams, response: { 204: NoContent } } }, async (request, reply) => {
    await services.pipeline.remove(ctxOf(request), request.params.id);
    return reply.status(204).send(null);
  });
}
