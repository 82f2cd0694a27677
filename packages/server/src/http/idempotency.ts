import type { FastifyInstance } from 'fastify';
import { sha256 } from '../infra/crypto.js';
import type { Db } from '../infra/db.js';
import { claimKey, findKey, releaseKey, storeResponse } from '../infra/idempotency.repository.js';
import { sendProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey: string | null;
  }
}

/**
 * `Idempotency-Key` on POST: the first request runs and its successful answer is stored;
 * a retry with the same key and body gets that answer again instead of a second record.
 */
export function registerIdempotency(app: FastifyInstance, db: Db): void {
  app.decorateRequest('idempotencyKey', null);
  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || typeof key !== 'string' || !request.principal) return;
    if (key.length < 8 || key.length > 200) return sendProblem(reply, request, 'validation', undefined, [{ path: '/headers/idempotency-key', message: 'must be 8 to 200 characters' }]);
    const { workspaceId, userId } = request.principal.actor;
    const hash = sha256(`${request.method} ${request.url} ${JSON.stringify(request.body ?? null)}`);
    if (await claimKey(db, { workspace_id: workspaceId, principal_id: userId, key, request_hash: hash })) {
      request.idempotencyKey = key;
      return;
    }
    const stored = await findKey(db, workspaceId, userId, key);
    if (!stored || stored.request_hash !== hash) return sendProblem(reply, request, 'idempotency_conflict', 'This Idempotency-Key was used for a different request');
    if (stored.status_code === null) return sendProblem(reply, request, 'idempotency_conflict', 'A request with this Idempotency-Key is still running');
    return reply.status(stored.status_code).header('idempotent-replayed', 'true').type('application/json').send(JSON.stringify(stored.response));
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const key = request.idempotencyKey;
    if (!key || !request.principal) return payload;
    const { workspaceId, userId } = request.principal.actor;
    if (reply.statusCode >= 200 && reply.statusCode < 300 && typeof payload === 'string') {
      await storeResponse(db, workspaceId, userId, key, reply.statusCode, payload === '' ? 'null' : payload);
    } else {
      // Failures are not remembered: the client may fix the request and retry with the same key.
      await releaseKey(db, workspaceId, userId, key);
    }
    return payload;
  });
}
