import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import { newId } from '../infra/ids.js';
import { emit } from '../modules/outbox/outbox.service.js';
import { OUTBOX_CHANNEL } from './outbox-dispatcher.js';

/** Waits until `done()` holds, looking every few milliseconds, or fails after `ms`. */
async function until(done: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error('not within the wait');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// PostgreSQL only: the embedded database has no notices (Database.listen), its dispatcher polls.
describe.skipIf(!process.env.DATABASE_URL)('outbox notices', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('wake the dispatcher when an outbox row commits, not before, and not for a rolled-back one', async () => {
    let notices = 0;
    const unlisten = await database.listen(OUTBOX_CHANNEL, () => {
      notices += 1;
    });
    try {
      const workspaceId = newId();
      await database.db.transaction().execute(async (trx) => {
        await emit(trx, workspaceId, 'record.changed', { id: newId() });
        await emit(trx, workspaceId, 'record.changed', { id: newId() });
        // Uncommitted: nobody has been told yet.
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(notices).toBe(0);
      });
      await until(() => notices > 0);
      // Two rows of one transaction: one notice.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(notices).toBe(1);

      await database.db
        .transaction()
        .execute(async (trx) => {
          await emit(trx, workspaceId, 'record.changed', { id: newId() });
          throw new Error('rolled back');
        })
        .catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(notices).toBe(1);
    } finally {
      await unlisten();
    }
  });
});
