import type { ServerResponse } from 'node:http';
import { accessScope, can, isInScope } from '../core/access-scope.js';
import type { Actor } from '../core/context.js';
import type { RealtimeBus, RealtimeEvent } from '../infra/realtime.js';
import type { App } from './app-types.js';

const HEARTBEAT_MS = 25_000;

/**
 * Server-Sent Events: each signed-in tab gets its workspace's broadcasts and its user's own events. Every stream opens
 * with `ready` (a tab that sees it again has reconnected and may have missed events). Closing the app ends the open
 * streams first: a stream never ends on its own, so the close (a stop, SIGTERM) would otherwise wait for every open tab.
 */
export function realtimeRoutes(app: App, bus: RealtimeBus): void {
  /** Each open stream's way to stop listening (and, on close, to end). */
  const open = new Map<ServerResponse, () => void>();
  app.addHook('preClose', async () => {
    for (const [raw, stop] of open) {
      stop();
      raw.end();
    }
  });
  app.get('/api/v1/stream', { config: { access: 'authenticated' }, schema: { tags: ['realtime'], hide: false } }, (request, reply) => {
    const { actor } = request.principal!;
    const { workspaceId, userId } = actor;
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.write(`event: ready\ndata: {}\n\n`);
    const unsubscribe = bus.subscribe((event) => {
      if (event.workspaceId !== workspaceId || (event.userId !== null && event.userId !== userId)) return;
      if (event.record && !mayRead(actor, event.record)) return;
      raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
    });
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const stop = () => {
      open.delete(raw);
      clearInterval(heartbeat);
      unsubscribe();
    };
    open.set(raw, stop);
    request.raw.on('close', stop);
  });
}

/** The stream's user may read the record the event is about (with the rights they had when the stream opened). */
function mayRead(actor: Actor, record: NonNullable<RealtimeEvent['record']>): boolean {
  if (!can(actor, record.object, 'read')) return false;
  // A record that is gone (ownerless) is announced to those who may read every record of its kind.
  if (record.ownerId === null) return accessScope(actor, record.object, 'read').kind === 'all';
  return isInScope(accessScope(actor, record.object, 'read'), { ownerId: record.ownerId, teamId: record.teamId });
}
