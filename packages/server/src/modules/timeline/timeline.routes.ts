import { ClientObjectSchema, NoteBody, Page, TimelineEntry, TimelineQuery } from '@rapport/shared';
import { Type } from 'typebox';
import { ctxOf } from '../../http/access.js';
import { IdParams, NoContent, type App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

const TAG = { tags: ['timeline'] };
const SubjectParams = Type.Object({ object: ClientObjectSchema, id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export function timelineRoutes(app: App, services: Services): void {
  // The service checks the right on the record named in the path (read for the history, update to add a note).
  app.get('/api/v1/timeline/:object/:id', { config: { access: 'authenticated' }, schema: { ...TAG, params: SubjectParams, querystring: TimelineQuery, response: { 200: Page(TimelineEntry) } } }, (request) =>
    services.timeline.list(ctxOf(request), request.params.object, request.params.id, request.query),
  );

  app.post('/api/v1/timeline/:object/:id/notes', { config: { access: 'authenticated' }, schema: { ...TAG, params: SubjectParams, body: NoteBody, response: { 201: TimelineEntry } } }, async (request, reply) =>
    reply.status(201).send(await services.timeline.createNote(ctxOf(request), request.params.object, request.params.id, request.body.body)),
  );

  app.delete('/api/v1/notes/:id', { config: { access: 'authenticated' }, schema: { ...TAG, params: IdParams, response: { 204: NoContent } } }, async (request, reply) => {
    await services.timeline.removeNote(ctxOf(request), request.params.id);
    return reply.status(204).send(null);
  });
}
