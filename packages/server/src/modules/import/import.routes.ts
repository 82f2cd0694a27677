import { ImportJob, ImportMapping, ImportMappingQuery, ImportPreview, ImportSettingsBody, ImportStartBody, ImportUploadQuery } from '@rapport/shared';
import { Type } from 'typebox';
import { ctxOf, expectedVersion } from '../../http/access.js';
import { IdParams, type App } from '../../http/app-types.js';
import { fileUploadRoutes, requireFileBody } from '../../http/file-upload.js';
import type { Services } from '../../services.js';
import { contentDisposition } from '../attachment/attachment.routes.js';

const TAG = { tags: ['import'] };
// The service checks the import right on the import's object (and create / update / delete where they apply).
const ACCESS = { access: 'authenticated' } as const;

export function importRoutes(app: App, services: Services): void {
  fileUploadRoutes(app, (scope) => {
    scope.post(
      '/api/v1/imports',
      {
        config: ACCESS,
        schema: {
          ...TAG,
          description: 'Upload a CSV file to import (Content-Type: application/octet-stream). Encoding and delimiter are detected unless given; the answer is a draft with suggested column mapping.',
          querystring: ImportUploadQuery,
          response: { 201: ImportJob },
        },
      },
      async (request, reply) => {
        requireFileBody(request);
        return reply.status(201).send(await services.imports.upload(ctxOf(request), request.query, request.raw));
      },
    );
  });

  app.get('/api/v1/imports', { config: ACCESS, schema: { ...TAG, response: { 200: Type.Object({ items: Type.Array(ImportJob) }) } } }, async (request) => ({ items: await services.imports.list(ctxOf(request)) }));

  app.get('/api/v1/imports/:id', { config: ACCESS, schema: { ...TAG, params: IdParams, response: { 200: ImportJob } } }, (request) => services.imports.get(ctxOf(request), request.params.id));

  app.patch('/api/v1/imports/:id', { config: ACCESS, schema: { ...TAG, description: 'Encoding, delimiter, mapping, default country, file locale and duplicate mode of a draft.', params: IdParams, body: ImportSettingsBody, response: { 200: ImportJob } } }, (request) => {
    const { version, ...body } = request.body;
    return services.imports.configure(ctxOf(request), request.params.id, body, expectedVersion(request, version));
  });

  app.get('/api/v1/imports/:id/preview', { config: ACCESS, schema: { ...TAG, params: IdParams, response: { 200: ImportPreview } } }, (request) => services.imports.preview(ctxOf(request), request.params.id));

  app.post('/api/v1/imports/:id/start', { config: ACCESS, schema: { ...TAG, params: IdParams, body: ImportStartBody, response: { 200: ImportJob } } }, (request) => {
    const { version, ...body } = request.body;
    return services.imports.start(ctxOf(request), request.params.id, body, expectedVersion(request, version));
  });

  app.post('/api/v1/imports/:id/cancel', { config: ACCESS, schema: { ...TAG, params: IdParams, response: { 200: ImportJob } } }, (request) => services.imports.cancel(ctxOf(request), request.params.id));

  app.post('/api/v1/imports/:id/undo', { config: ACCESS, schema: { ...TAG, description: 'Roll the import back: created records removed, updated fields restored.', params: IdParams, response: { 200: ImportJob } } }, (request) =>
    services.imports.undo(ctxOf(request), request.params.id),
  );

  app.get('/api/v1/imports/:id/rejected', { config: ACCESS, schema: { ...TAG, description: 'The rejected rows as CSV, each with its row number and reason.', params: IdParams } }, async (request, reply) => {
    const { fileName, csv } = await services.imports.rejectedCsv(ctxOf(request), request.params.id);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', contentDisposition(fileName, 'text/csv', true)).send(csv);
  });

  app.get('/api/v1/import-mappings', { config: ACCESS, schema: { ...TAG, querystring: ImportMappingQuery, response: { 200: Type.Object({ items: Type.Array(ImportMapping) }) } } }, async (request) => ({
    items: await services.imports.mappings(ctxOf(request), request.query.object),
  }));
}
