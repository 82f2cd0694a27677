import type { Contact } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, waitFor, type Session } from '../../../test/factories.js';
import { openStream } from '../../../test/stream.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

describe('live record changes respect read scope', () => {
  let t: TestApp;
  let admin: Session;
  let baseUrl: string;

  beforeAll(async () => {
    // Workers on: the outbox dispatcher carries record changes to the streams.
    t = await createTestApp({ workers: true });
    admin = await setupWorkspace(t);
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t.close());

  it('a rep with own scope hears about their own records only; the admin hears about both', async () => {
    const rep = await addUser(t, admin, { role: 'Sales rep' });
    const repStream = await openStream(baseUrl, rep);
    const adminStream = await openStream(baseUrl, admin);
    try {
      for (const stream of [repStream, adminStream]) await waitFor(() => stream.events.some((e) => e.event === 'ready'), { what: 'the ready event' });
      const secret = (await as(t, admin)('POST', '/api/v1/contacts', { firstName: 'Hidden', lastName: 'Person' })).json<Contact>();
      const own = (await as(t, rep)('POST', '/api/v1/contacts', { firstName: 'Own', lastName: 'Client' })).json<Contact>();
      await as(t, admin)('POST', `/api/v1/timeline/contact/${secret.id}/notes`, { body: 'A private remark' });

      const changed = (stream: typeof repStream) => stream.events.filter((e) => e.event === 'record.changed').map((e) => `${String(e.data.id)}:${String(e.data.action)}`);
      await waitFor(() => changed(adminStream).includes(`${secret.id}:note`), { what: "the admin's note event" });
      // Events go out in order: the rep's stream has seen everything sent before the admin's last event.
      await waitFor(() => changed(repStream).includes(`${own.id}:create`), { what: "the rep's own record" });
      expect(changed(adminStream)).toEqual([`${secret.id}:create`, `${own.id}:create`, `${secret.id}:note`]);
      expect(changed(repStream)).toEqual([`${own.id}:create`]);

      // Given to the rep, the admin's record becomes theirs to hear about.
      await as(t, admin)('POST', '/api/v1/contacts/bulk', { action: 'assign', ids: [secret.id], ownerId: rep.userId });
      await waitFor(() => changed(repStream).includes(`${secret.id}:update`), { what: 'the reassigned record' });
    } finally {
      await Promise.all([repStream.close(), adminStream.close()]);
    }
  });
});
