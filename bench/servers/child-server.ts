import type { FastifyInstance } from 'fastify';

/**
 * The bench's server children end alike: listen on 127.0.0.1:`port`, tell the parent the address (bench/lib/processes.ts
 * waits for it), and on SIGTERM or a "stop" message close the app, then `close` (the database), and exit.
 */
export async function serveChild(app: FastifyInstance, port: number, close: () => Promise<void>): Promise<void> {
  const url = await app.listen({ port, host: '127.0.0.1' });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.close();
    await close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('message', (message) => {
    if (message === 'stop') void stop();
  });
  process.send?.({ type: 'ready', url });
}
