import {
  ElementMarkList,
  ProcessComment,
  ProcessCommentCreate,
  ProcessCommentList,
  ProcessDefinition,
  ProcessDefinitionCreate,
  ProcessDefinitionList,
  ProcessDefinitionUpdate,
  ProcessInstance,
  ProcessInstanceCard,
  ProcessInstanceList,
  ProcessInstanceQuery,
  ProcessMessage,
  ProcessMigration,
  ProcessMigrationPlan,
  ProcessSignal,
  ProcessSignalResult,
  ProcessStart,
  ProcessStartableList,
  ProcessStartableQuery,
  ProcessTaskIdParams,
  ProcessTaskOf,
  ProcessTaskComplete,
  ProcessTaskParams,
  ProcessTaskReassign,
  ProcessValidation,
  ProcessVariablesPatch,
  ProcessVersionDetail,
  ProcessVersionList,
  ProcessVersionParams,
} from '@rapport/shared';
import { Type } from 'typebox';
import { ctxOf, expectedVersion } from '../../http/access.js';
import { IdParams, NoContent, type App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

const DEFINITIONS = { tags: ['process definitions'] };
const INSTANCES = { tags: ['process instances'] };
const DeleteQuery = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false });
const DESIGN = { access: { object: 'settings', action: 'update' } } as const;
const READ = { access: { object: 'process', action: 'read' } } as const;
const ACT = { access: { object: 'process', action: 'update' } } as const;
/** A diagram (BPMN XML with its layout) is larger than the usual request. */
const DIAGRAM_BODY_LIMIT = 6 * 1024 * 1024;

/**
 * Business processes: administrators design and deploy definitions (settings rights); people with process rights
 * start, watch and administer instances. The service applies the instance scope (own: instances one started).
 */
export function processRoutes(app: App, services: Services): void {
  const process = services.process;

  app.get('/api/v1/process-definitions', { config: READ, schema: { ...DEFINITIONS, response: { 200: ProcessDefinitionList } } }, (request) => process.list(ctxOf(request)));

  app.post('/api/v1/process-definitions', { config: DESIGN, bodyLimit: DIAGRAM_BODY_LIMIT, schema: { ...DEFINITIONS, body: ProcessDefinitionCreate, response: { 201: ProcessDefinition } } }, async (request, reply) =>
    reply.status(201).send(await process.create(ctxOf(request), request.body)),
  );

  app.get('/api/v1/process-definitions/startable', { config: { access: { object: 'process', action: 'create' } }, schema: { ...DEFINITIONS, querystring: ProcessStartableQuery, response: { 200: ProcessStartableList } } }, (request) =>
    process.startable(ctxOf(request), request.query.recordType),
  );

  app.get('/api/v1/process-definitions/:id', { config: READ, schema: { ...DEFINITIONS, params: IdParams, response: { 200: ProcessDefinition } } }, (request) => process.get(ctxOf(request), request.params.id));

  app.patch('/api/v1/process-definitions/:id', { config: DESIGN, bodyLimit: DIAGRAM_BODY_LIMIT, schema: { ...DEFINITIONS, params: IdParams, body: ProcessDefinitionUpdate, response: { 200: ProcessDefinition } } }, (request) => {
    const { version, ...patch } = request.body;
    return process.update(ctxOf(request), request.params.id, patch, expectedVersion(request, version));
  });

  app.delete('/api/v1/process-definitions/:id', { config: DESIGN, schema: { ...DEFINITIONS, params: IdParams, querystring: DeleteQuery, response: { 204: NoContent } } }, async (request, reply) => {
    await process.remove(ctxOf(request), request.params.id, expectedVersion(request, request.query.version));
    return reply.status(204).send(null);
  });

  app.post('/api/v1/process-definitions/:id/validate', { config: DESIGN, schema: { ...DEFINITIONS, params: IdParams, response: { 200: ProcessValidation } } }, (request) => process.validate(ctxOf(request), request.params.id));

  app.post('/api/v1/process-definitions/:id/deploy', { config: DESIGN, schema: { ...DEFINITIONS, params: IdParams, response: { 200: ProcessValidation } } }, (request) => process.deploy(ctxOf(request), request.params.id));

  app.get('/api/v1/process-definitions/:id/versions', { config: READ, schema: { ...DEFINITIONS, params: IdParams, response: { 200: ProcessVersionList } } }, (request) => process.versions(ctxOf(request), request.params.id));

  app.get('/api/v1/process-definitions/:id/versions/:n', { config: READ, schema: { ...DEFINITIONS, params: ProcessVersionParams, response: { 200: ProcessVersionDetail } } }, (request) =>
    process.version(ctxOf(request), request.params.id, request.params.n),
  );

  app.get('/api/v1/process-definitions/:id/versions/:n/marks', { config: READ, schema: { ...DEFINITIONS, params: ProcessVersionParams, response: { 200: ElementMarkList } } }, (request) =>
    process.versionMarks(ctxOf(request), request.params.id, request.params.n),
  );

  app.post('/api/v1/process-definitions/:id/instances', { config: { access: { object: 'process', action: 'create' } }, schema: { ...INSTANCES, params: IdParams, body: ProcessStart, response: { 201: ProcessInstance } } }, async (request, reply) =>
    reply.status(201).send(await process.start(ctxOf(request), request.params.id, request.body)),
  );

  app.get('/api/v1/process-instances', { config: READ, schema: { ...INSTANCES, querystring: ProcessInstanceQuery, response: { 200: ProcessInstanceList } } }, (request) => process.instances(ctxOf(request), request.query));

  app.get('/api/v1/process-instances/:id', { config: READ, schema: { ...INSTANCES, params: IdParams, response: { 200: ProcessInstanceCard } } }, async (request, reply) => {
    const card = await process.card(ctxOf(request), request.params.id);
    return reply.header('etag', `"${String(card.version)}"`).send(card);
  });

  app.get('/api/v1/process-instances/:id/comments', { config: READ, schema: { ...INSTANCES, params: IdParams, response: { 200: ProcessCommentList } } }, (request) => process.comments(ctxOf(request), request.params.id));

  app.post('/api/v1/process-instances/:id/comments', { config: READ, schema: { ...INSTANCES, params: IdParams, body: ProcessCommentCreate, response: { 201: ProcessComment } } }, async (request, reply) =>
    reply.status(201).send(await process.addComment(ctxOf(request), request.params.id, request.body)),
  );

  // Any signed-in user: a task's assignee sees the process step of their task without process rights.
  app.get('/api/v1/process-tasks/:taskId', { config: { access: 'authenticated' }, schema: { ...INSTANCES, params: ProcessTaskIdParams, response: { 200: ProcessTaskOf } } }, (request) => process.taskStep(ctxOf(request), request.params.taskId));

  app.get('/api/v1/process-instances/:id/marks', { config: READ, schema: { ...INSTANCES, params: IdParams, response: { 200: ElementMarkList } } }, (request) => process.marks(ctxOf(request), request.params.id));

  app.patch('/api/v1/process-instances/:id/variables', { config: ACT, schema: { ...INSTANCES, params: IdParams, body: ProcessVariablesPatch, response: { 200: ProcessInstance } } }, (request) =>
    process.setVariables(ctxOf(request), request.params.id, request.body.variables, expectedVersion(request, request.body.version)),
  );

  for (const action of ['suspend', 'resume', 'cancel', 'retry'] as const) {
    app.post(`/api/v1/process-instances/:id/${action}`, { config: ACT, schema: { ...INSTANCES, params: IdParams, response: { 200: ProcessInstance } } }, (request) => process[action](ctxOf(request), request.params.id));
  }

  app.post('/api/v1/process-instances/:id/messages', { config: ACT, schema: { ...INSTANCES, params: IdParams, body: ProcessMessage, response: { 200: ProcessInstance } } }, (request) => process.message(ctxOf(request), request.params.id, request.body));

  app.post('/api/v1/process-signals', { config: ACT, schema: { ...INSTANCES, body: ProcessSignal, response: { 200: ProcessSignalResult } } }, (request) => process.throwSignal(ctxOf(request), request.body));

  app.post('/api/v1/process-instances/:id/tasks/:taskId/complete', { config: READ, schema: { ...INSTANCES, params: ProcessTaskParams, body: ProcessTaskComplete, response: { 200: ProcessInstance } } }, (request) =>
    process.completeTask(ctxOf(request), request.params.id, request.params.taskId, request.body.data ?? {}),
  );

  app.post('/api/v1/process-instances/:id/migrate', { config: DESIGN, schema: { ...INSTANCES, params: IdParams, body: ProcessMigration, response: { 200: ProcessMigrationPlan } } }, (request) =>
    process.migrate(ctxOf(request), request.params.id, request.body),
  );

  app.post('/api/v1/process-instances/:id/tasks/:taskId/reassign', { config: ACT, schema: { ...INSTANCES, params: ProcessTaskParams, body: ProcessTaskReassign, response: { 200: ProcessInstance } } }, (request) =>
    process.reassignTask(ctxOf(request), request.params.id, request.params.taskId, request.body.assigneeId),
  );
}
