import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupWorkspace, waitFor, type Session } from '../../test/factories.js';
import { openStream } from '../../test/stream.js';
import { createTestApp, type TestApp } from '../../test/test-app.js';

describe('live stream (SSE) when the server stops', () => {
  let t: TestApp;
  let admin: Session;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t);
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t.close());

  it('ends the open streams, so a stop (SIGTERM) does not wait for the tabs to go away', async () => {
    const tabs = [await openStream(baseUrl, admin), await openStream(baseUrl, admin)];
    for (const tab of tabs) await waitFor(() => tab.events.some((e) => e.event === 'ready'), { what: 'the ready event' });

    // Before, the close waited for every open stream, which a browser tab never ends: `rapport start` ignored SIGTERM
    // until killed (the embedded database then left locked and unflushed).
    const closing = t.app.close();
    const outcome = await Promise.race([closing.then(() => 'closed'), new Promise((resolve) => setTimeout(resolve, 10_000, 'still waiting for the streams'))]);
    try {
      expect(outcome).toBe('closed');
      // Ended by the server: the browser's EventSource reconnects (to the restarted server) instead of hanging on.
      await waitFor(() => tabs.every((tab) => tab.ended), { what: 'the streams ended' });
    } finally {
      for (const tab of tabs) await tab.close();
      await closing;
    }
  });
});
