import {
  ChecklistItemUpdateBody,
  DeletedTask,
  Page,
  PageQuery,
  RecurrencePreview,
  RecurrencePreviewBody,
  Task,
  TaskBody,
  TaskComment,
  TaskCommentBody,
  TaskFromTemplateBody,
  TaskDeleteQuery,
  TaskListQuery,
  TaskSettings,
  TaskSettingsBody,
  TaskTemplate,
  TaskTemplateBody,
  TaskTemplateUpdateBody,
  TaskUpdateBody,
} from '@rapport/shared';
import { Type } from 'typebox';
import { ctxOf, expectedVersion } from '../../http/access.js';
import { IdParams, NoContent, type App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

const TAG = { tags: ['tasks'] };
const ItemParams = Type.Object({ id: Type.String({ format: 'uuid' }), itemId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export function taskRoutes(app: App, services: Services): void {
  const { task } = services;

  app.get('/api/v1/tasks', { config: { access: { object: 'task', action: 'read' } }, schema: { ...TAG, querystring: TaskListQuery, response: { 200: Page(Task) } } }, (request) =>
    task.list(ctxOf(request), request.query),
  );

  app.post('/api/v1/tasks', { config: { access: { object: 'task', action: 'create' } }, schema: { ...TAG, body: TaskBody, response: { 201: Task } } }, async (request, reply) =>
    reply.status(201).send(await task.create(ctxOf(request), request.body)),
  );

  app.post('/api/v1/tasks/recurrence-preview', { config: { access: { object: 'task', action: 'read' } }, schema: { ...TAG, body: RecurrencePreviewBody, response: { 200: RecurrencePreview } } }, (request) =>
    task.previewRecurrence(ctxOf(request), request.body),
  );

  app.get('/api/v1/tasks/:id', { config: { access: { object: 'task', action: 'read' } }, schema: { ...TAG, params: IdParams, response: { 200: Task } } }, async (request, reply) => {
    const found = await task.get(ctxOf(request), request.params.id);
    return reply.header('etag', `"${String(found.version)}"`).send(found);
  });

  app.patch('/api/v1/tasks/:id', { config: { access: { object: 'task', action: 'update' } }, schema: { ...TAG, params: IdParams, body: TaskUpdateBody, response: { 200: Task } } }, (request) => {
    const { version, ...patch } = request.body;
    return task.update(ctxOf(request), request.params.id, patch, expectedVersion(request, version));
  });

  app.delete('/api/v1/tasks/:id', { config: { access: { object: 'task', action: 'delete' } }, schema: { ...TAG, params: IdParams, querystring: TaskDeleteQuery, response: { 204: NoContent } } }, async (request, reply) => {
    await task.remove(ctxOf(request), request.params.id, { stopRepeating: request.query.stopRepeating });
    return reply.status(204).send(null);
  });

  // The recycle bin's tasks: the service narrows the list to the caller's delete scope (and what they may read).
  app.get('/api/v1/tasks/deleted', { config: { access: { object: 'task', action: 'delete' } }, schema: { ...TAG, querystring: PageQuery, response: { 200: Page(DeletedTask) } } }, (request) =>
    task.deleted(ctxOf(request), request.query),
  );

  app.post('/api/v1/tasks/:id/restore', { config: { access: { object: 'task', action: 'delete' } }, schema: { ...TAG, params: IdParams, response: { 200: Task } } }, (request) =>
    task.restore(ctxOf(request), request.params.id),
  );

  // Co-executors tick items without the right to edit the task: the service checks who may.
  app.patch('/api/v1/tasks/:id/checklist/:itemId', { config: { access: { object: 'task', action: 'read' } }, schema: { ...TAG, params: ItemParams, body: ChecklistItemUpdateBody, response: { 200: Task } } }, (request) =>
    task.updateChecklistItem(ctxOf(request), request.params.id, request.params.itemId, request.body),
  );

  // Whoever may read a task may comment on it (co-executors, watchers, the author): the service checks.
  app.get('/api/v1/tasks/:id/comments', { config: { access: { object: 'task', action: 'read' } }, schema: { ...TAG, params: IdParams, querystring: PageQuery, response: { 200: Page(TaskComment) } } }, (request) =>
    task.comments(ctxOf(request), request.params.id, request.query),
  );

  app.post('/api/v1/tasks/:id/comments', { config: { access: { object: 'task', action: 'read' } }, schema: { ...TAG, params: IdParams, body: TaskCommentBody, response: { 201: TaskComment } } }, async (request, reply) =>
    reply.status(201).send(await task.addComment(ctxOf(request), request.params.id, request.body.body)),
  );

  app.delete('/api/v1/task-comments/:id', { config: { access: { object: 'task', action: 'read' } }, schema: { ...TAG, params: IdParams, response: { 204: NoContent } } }, async (request, reply) => {
    await task.removeComment(ctxOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/task-templates', { config: { access: { object: 'task', action: 'read' } }, schema: { ...TAG, response: { 200: Type.Object({ items: Type.Array(TaskTemplate) }) } } }, async (request) => ({
    items: await task.templates(ctxOf(request)),
  }));

  app.post('/api/v1/task-templates', { config: { access: { object: 'task', action: 'create' } }, schema: { ...TAG, body: TaskTemplateBody, response: { 201: TaskTemplate } } }, async (request, reply) =>
    reply.status(201).send(await task.createTemplate(ctxOf(request), request.body)),
  );

  app.patch('/api/v1/task-templates/:id', { config: { access: { object: 'task', action: 'create' } }, schema: { ...TAG, params: IdParams, body: TaskTemplateUpdateBody, response: { 200: TaskTemplate } } }, (request) => {
    const { version, ...patch } = request.body;
    return task.updateTemplate(ctxOf(request), request.params.id, patch, expectedVersion(request, version));
  });

  app.delete('/api/v1/task-templates/:id', { config: { access: { object: 'task', action: 'create' } }, schema: { ...TAG, params: IdParams, response: { 204: NoContent } } }, async (request, reply) => {
    await task.removeTemplate(ctxOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  app.post('/api/v1/task-templates/:id/tasks', { config: { access: { object: 'task', action: 'create' } }, schema: { ...TAG, params: IdParams, body: TaskFromTemplateBody, response: { 201: Task } } }, async (request, reply) =>
    reply.status(201).send(await task.createFromTemplate(ctxOf(request), request.params.id, request.body)),
  );

  app.get('/api/v1/settings/tasks', { config: { access: { object: 'settings', action: 'read' } }, schema: { tags: ['settings'], response: { 200: TaskSettings } } }, (request) => task.settings(ctxOf(request)));

  app.patch('/api/v1/settings/tasks', { config: { access: { object: 'settings', action: 'update' } }, schema: { tags: ['settings'], body: TaskSettingsBody, response: { 200: TaskSettings } } }, (request) =>
    task.updateSettings(ctxOf(request), request.body),
  );
}
