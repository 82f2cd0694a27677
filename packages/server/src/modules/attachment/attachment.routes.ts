import { Attachment, AttachmentFileQuery, AttachmentList, AttachmentSubjectParams, AttachmentUploadQuery, PREVIEWABLE_TYPES } from '@rapport/shared';
import { ctxOf } from '../../http/access.js';
import { IdParams, NoContent, type App } from '../../http/app-types.js';
import { fileUploadRoutes, requireFileBody } from '../../http/file-upload.js';
import type { Services } from '../../services.js';

const TAG = { tags: ['attachments'] };

/** `inline` for what the browser shows safely (images, PDF), else `attachment`; the name in both ASCII and UTF-8. */
export function contentDisposition(fileName: string, contentType: string, download: boolean): string {
  const kind = !download && PREVIEWABLE_TYPES.includes(contentType) ? 'inline' : 'attachment';
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function attachmentRoutes(app: App, services: Services): void {
  // The service checks the right on the record (read to list and download, update to attach).
  app.get('/api/v1/attachments/:object/:id', { config: { access: 'authenticated' }, schema: { ...TAG, params: AttachmentSubjectParams, response: { 200: AttachmentList } } }, (request) =>
    services.attachment.list(ctxOf(request), request.params.object, request.params.id),
  );

  fileUploadRoutes(app, (scope) => {
    scope.post(
      '/api/v1/attachments/:object/:id',
      {
        config: { access: 'authenticated' },
        schema: {
          ...TAG,
          description: 'Attach a file: the request body is the file (Content-Type: application/octet-stream), `name` its file name.',
          params: AttachmentSubjectParams,
          querystring: AttachmentUploadQuery,
          response: { 201: Attachment },
        },
      },
      async (request, reply) => {
        requireFileBody(request);
        return reply.status(201).send(await services.attachment.upload(ctxOf(request), request.params.object, request.params.id, request.query.name, request.raw));
      },
    );
  });

  app.get(
    '/api/v1/attachment-files/:id',
    { config: { access: 'authenticated' }, schema: { ...TAG, description: 'The file: shown inline (images, PDF) or downloaded; `?download=true` always downloads.', params: IdParams, querystring: AttachmentFileQuery } },
    async (request, reply) => {
      const { attachment, content } = await services.attachment.open(ctxOf(request), request.params.id);
      return reply
        .type(attachment.contentType)
        .header('content-length', attachment.sizeBytes)
        .header('content-disposition', contentDisposition(attachment.fileName, attachment.contentType, request.query.download === true))
        .header('cache-control', 'private, max-age=3600')
        .send(content);
    },
  );

  app.delete('/api/v1/attachments/:id', { config: { access: 'authenticated' }, schema: { ...TAG, params: IdParams, response: { 204: NoContent } } }, async (request, reply) => {
    await services.attachment.remove(ctxOf(request), request.params.id);
    return reply.status(204).send(null);
  });
}
