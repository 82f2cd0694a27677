import { ExportBody } from '@rapport/shared';
import { ctxOf } from '../../http/access.js';
import type { App } from '../../http/app-types.js';
import type { Services } from '../../services.js';
import { contentDisposition } from '../attachment/attachment.routes.js';

export function exportRoutes(app: App, services: Services): void {
  // The service checks the export right on the body's object (and read, whose scope the rows also keep to).
  app.post(
    '/api/v1/exports',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['export'],
        description:
          'Export a list (its filter, quick text, order and columns, or a saved view) to CSV (UTF-8 with BOM) or XLSX, streamed. Needs the export right; the rows keep to its scope; hidden fields are left out. Over the role\'s row limit the export is refused (403 export_limit) before anything is written. The answer carries the row count in X-Export-Rows.',
        body: ExportBody,
      },
    },
    async (request, reply) => {
      const prepared = await services.exports.start(ctxOf(request), request.body);
      return reply
        .type(prepared.contentType)
        .header('content-disposition', contentDisposition(prepared.fileName, prepared.contentType, true))
        .header('x-export-rows', String(prepared.rows))
        .header('cache-control', 'no-store')
        .send(prepared.body);
    },
  );
}
