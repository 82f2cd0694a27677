import { Attachment, AttachmentSubjectParams, DocumentTemplate, DocumentTemplateList, DocumentTemplateListQuery, DocumentTemplateUpdateBody, DocumentTemplateUploadQuery, GenerateDocumentBody } from '@rapport/shared';
import { ctxOf, expectedVersion } from '../../http/access.js';
import { IdParams, NoContent, type App } from '../../http/app-types.js';
import { fileUploadRoutes, requireFileBody } from '../../http/file-upload.js';
import type { Services } from '../../services.js';
import { contentDisposition } from '../attachment/attachment.routes.js';

const TAG = { tags: ['documents'] };
const MANAGE = { access: { object: 'settings', action: 'update' } } as const;
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export function documentRoutes(app: App, services: Services): void {
  // Everyone sees the templates for the records they may read (to generate from a card); administrators keep them.
  app.get('/api/v1/document-templates', { config: { access: 'authenticated' }, schema: { ...TAG, querystring: DocumentTemplateListQuery, response: { 200: DocumentTemplateList } } }, (request) =>
    services.document.list(ctxOf(request), request.query),
  );

  fileUploadRoutes(app, (scope) => {
    scope.post(
      '/api/v1/document-templates',
      {
        config: MANAGE,
        schema: {
          ...TAG,
          description: 'Upload a template: the request body is the DOCX (Content-Type: application/octet-stream). Unknown merge fields and broken tags are refused, each named in `errors[].field`.',
          querystring: DocumentTemplateUploadQuery,
          response: { 201: DocumentTemplate },
        },
      },
      async (request, reply) => {
        requireFileBody(request);
        return reply.status(201).send(await services.document.upload(ctxOf(request), request.query, request.raw));
      },
    );
  });

  app.patch('/api/v1/document-templates/:id', { config: MANAGE, schema: { ...TAG, params: IdParams, body: DocumentTemplateUpdateBody, response: { 200: DocumentTemplate } } }, (request) => {
    const { version, ...patch } = request.body;
    return services.document.update(ctxOf(request), request.params.id, patch, expectedVersion(request, version));
  });

  app.delete('/api/v1/document-templates/:id', { config: MANAGE, schema: { ...TAG, params: IdParams, response: { 204: NoContent } } }, async (request, reply) => {
    await services.document.archive(ctxOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/document-templates/:id/file', { config: { access: { object: 'settings', action: 'read' } }, schema: { ...TAG, description: 'The template DOCX, to edit and upload again.', params: IdParams } }, async (request, reply) => {
    const { fileName, sizeBytes, content } = await services.document.file(ctxOf(request), request.params.id);
    return reply.type(DOCX).header('content-length', sizeBytes).header('content-disposition', contentDisposition(fileName, DOCX, true)).send(content);
  });

  // The record's edit right is checked by the service: the document is attached to the record.
  app.post(
    '/api/v1/documents/:object/:id',
    { config: { access: 'authenticated' }, schema: { ...TAG, description: 'Fill a template from the record and attach the DOCX or PDF to it.', params: AttachmentSubjectParams, body: GenerateDocumentBody, response: { 201: Attachment } } },
    async (request, reply) => reply.status(201).send(await services.document.generate(ctxOf(request), request.params.object, request.params.id, request.body)),
  );
}
