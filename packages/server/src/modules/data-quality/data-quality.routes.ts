import { BulkResult, DqFixBody, DqRecordPage, DqRecordsQuery, DqScanBody, DqScanResult, DqSummary, ReviewDismissBody, ReviewItemPage, ReviewItemsQuery, ReviewMergeBody } from '@rapport/shared';
import { Type } from 'typebox';
import { ctxOf, expectedVersion } from '../../http/access.js';
import { IdParams, NoContent, type App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

const TAG = { tags: ['data quality'] };
// The service checks the update right on the object concerned (and each record's scope): fixing data is editing it.
const ACCESS = { access: 'authenticated' } as const;

export function dataQualityRoutes(app: App, services: Services): void {
  const dq = services.dataQuality;

  app.get('/api/v1/data-quality/summary', { config: ACCESS, schema: { ...TAG, description: 'Per object the actor may change: records with unreadable phones or e-mails, with a deactivated owner, and open likely-duplicate pairs (counts capped at 10,000).', response: { 200: DqSummary } } }, (request) =>
    dq.summary(ctxOf(request)),
  );

  app.get('/api/v1/data-quality/records', { config: ACCESS, schema: { ...TAG, description: 'The records with one problem, oldest first (keyset pages).', querystring: DqRecordsQuery, response: { 200: DqRecordPage } } }, (request) =>
    dq.records(ctxOf(request), request.query),
  );

  app.post('/api/v1/data-quality/fix-contact-points', { config: ACCESS, schema: { ...TAG, description: 'Takes unreadable phones and e-mails off the records, keeping them as typed in a note on each; each record succeeds or fails alone.', body: DqFixBody, response: { 200: BulkResult } } }, (request) =>
    dq.fixContactPoints(ctxOf(request), request.body),
  );

  app.get('/api/v1/data-quality/review-items', { config: ACCESS, schema: { ...TAG, description: 'Open likely-duplicate pairs whose two records the actor may change, newest first; `importId` narrows to one import.', querystring: ReviewItemsQuery, response: { 200: ReviewItemPage } } }, (request) =>
    dq.reviewItems(ctxOf(request), request.query),
  );

  app.post('/api/v1/data-quality/review-items/:id/merge', { config: ACCESS, schema: { ...TAG, description: 'Merges the pair (the survivor is one of the two; `fields` picks, per field, whose value stays) and closes the item.', params: IdParams, body: ReviewMergeBody, response: { 200: Type.Object({ survivorId: Type.String({ format: 'uuid' }) }) } } }, (request) => {
    const { version, ...body } = request.body;
    return dq.merge(ctxOf(request), request.params.id, body, expectedVersion(request, version));
  }
  );

  app.post('/api/v1/data-quality/review-items/:id/dismiss', { config: ACCESS, schema: { ...TAG, description: '"Not duplicates": closes the item; the pair is not proposed again.', params: IdParams, body: ReviewDismissBody, response: { 204: NoContent } } }, async (request, reply) => {
    await dq.dismiss(ctxOf(request), request.params.id, expectedVersion(request, request.body.version));
    return reply.status(204).send(null);
  });

  app.post('/api/v1/data-quality/scan', { config: ACCESS, schema: { ...TAG, description: 'Looks through the records the actor may change for pairs sharing a phone, e-mail or tax number, or (contacts) with similar names within one company; stores up to 1,000 new pairs.', body: DqScanBody, response: { 200: DqScanResult } } }, (request) =>
    dq.scan(ctxOf(request), request.body.object),
  );
}
