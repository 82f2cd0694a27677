import type { RealtimeBus } from '../infra/realtime.js';
import type { App } from './app-types.js';

const HEARTBEAT_MS = 25_000;

/** Server-Sent Events: each signed-in tab gets its workspace's broadcasts and its user's own events. */
export function realtimeRoutes(app: App, bus: RealtimeBus): void {
  app.get('/api/v1/stream', { config: { access: 'authenticated' }, schema: { tags: ['realtime'], hide: false } }, (request, reply) => {
    const { workspaceId, userId } = request.principal!.actor;
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.write(`event: ready\ndata: {}\n\n`);
    const unsubscribe = bus.subscribe((event) => {
      if (event.workspaceId !== workspaceId || (event.userId !== null && event.userId !== userId)) return;
      raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
    });
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });
}
