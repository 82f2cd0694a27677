import type { Notification, Role } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, inviteAndAccept, roleByName, setupWorkspace, waitFor, type Session } from '../../../test/factories.js';
import { openStream } from '../../../test/stream.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

interface NotificationPage {
  items: Notification[];
  nextCursor: string | null;
  unread: number;
}

describe('notifications', () => {
  let t: TestApp;
  let admin: Session;
  let roles: { rep: Role; manager: Role };

  const page = async (session: Session, query = '') => {
    const response = await as(t, session)('GET', `/api/v1/notifications${query}`);
    expect(response.statusCode).toBe(200);
    return response.json<NotificationPage>();
  };
  /** Each role change notifies the user it happened to. */
  const flipRole = async (session: Session) => {
    const user = (await as(t, admin)('GET', `/api/v1/users/${session.userId}`)).json<{ roleId: string; version: number }>();
    const roleId = user.roleId === roles.rep.id ? roles.manager.id : roles.rep.id;
    const response = await as(t, admin)('PATCH', `/api/v1/users/${session.userId}`, { roleId, version: user.version });
    expect(response.statusCode).toBe(200);
  };

  beforeAll(async () => {
    t = await createTestApp({ workers: true });
    admin = await setupWorkspace(t);
    roles = { rep: await roleByName(t, admin, 'Sales rep'), manager: await roleByName(t, admin, 'Sales manager') };
  });
  afterAll(() => t.close());

  describe('inbox', () => {
    it('lists newest first, counts unread, and marks read by ids and all at once', async () => {
      const user = await addUser(t, admin, { role: 'Sales rep' });
      expect(await page(user)).toEqual({ items: [], nextCursor: null, unread: 0 });
      for (let i = 0; i < 3; i += 1) await flipRole(user);

      const all = await page(user);
      expect(all.unread).toBe(3);
      expect(all.items).toHaveLength(3);
      expect(all.items.every((n) => n.messageKey === 'notifications.accessChanged' && n.readAt === null)).toBe(true);
      expect(all.items.map((n) => n.id)).toEqual([...all.items.map((n) => n.id)].sort().reverse());

      const first = all.items[2]!.id;
      const marked = await as(t, user)('POST', '/api/v1/notifications/read', { ids: [first] });
      expect(marked.statusCode).toBe(200);
      expect(marked.json()).toEqual({ updated: 1, unread: 2 });
      // Marking again changes nothing.
      expect((await as(t, user)('POST', '/api/v1/notifications/read', { ids: [first] })).json()).toEqual({ updated: 0, unread: 2 });

      const unreadOnly = await page(user, '?unread=true');
      expect(unreadOnly.items.map((n) => n.id)).not.toContain(first);
      expect(unreadOnly.items).toHaveLength(2);
      expect((await page(user)).items.find((n) => n.id === first)?.readAt).not.toBeNull();

      expect((await as(t, user)('POST', '/api/v1/notifications/read', { all: true })).json()).toEqual({ updated: 2, unread: 0 });
      expect((await page(user)).unread).toBe(0);
    });

    it('pages with a cursor without repeating or skipping', async () => {
      const user = await addUser(t, admin, { role: 'Sales rep' });
      for (let i = 0; i < 5; i += 1) await flipRole(user);
      const all = (await page(user)).items.map((n) => n.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const next: NotificationPage = await page(user, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...next.items.map((n) => n.id));
        cursor = next.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all);
      expect(all).toHaveLength(5);
    });

    it("does not let a user mark, or see, someone else's notifications", async () => {
      const owner = await addUser(t, admin, { role: 'Sales rep' });
      const snoop = await addUser(t, admin, { role: 'Sales rep' });
      await flipRole(owner);
      const [theirs] = (await page(owner)).items;
      expect((await page(snoop)).items).toEqual([]);
      const attempt = await as(t, snoop)('POST', '/api/v1/notifications/read', { ids: [theirs!.id] });
      expect(attempt.statusCode).toBe(200);
      expect(attempt.json()).toEqual({ updated: 0, unread: 0 });
      expect(await as(t, snoop)('POST', '/api/v1/notifications/read', { all: true }).then((r) => r.json())).toEqual({ updated: 0, unread: 0 });
      const after = await page(owner);
      expect(after.unread).toBe(1);
      expect(after.items[0]).toMatchObject({ id: theirs!.id, readAt: null });
    });

    it('needs ids or all: true (400)', async () => {
      expect((await as(t, admin)('POST', '/api/v1/notifications/read', {})).statusCode).toBe(400);
      expect((await as(t, admin)('POST', '/api/v1/notifications/read', { ids: [] })).statusCode).toBe(400);
      expect((await as(t, admin)('POST', '/api/v1/notifications/read', { all: false })).statusCode).toBe(400);
    });
  });

  describe('live stream (SSE)', () => {
    let baseUrl: string;
    beforeAll(async () => {
      baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    });

    it('refuses the stream without a session', async () => {
      const response = await fetch(`${baseUrl}/api/v1/stream`);
      expect(response.status).toBe(401);
      await response.body?.cancel();
    });

    it("pushes a notification to its recipient's open streams only", async () => {
      const rep = await addUser(t, admin, { role: 'Sales rep' });
      const bystander = await addUser(t, admin, { role: 'Sales rep' });
      const repStream = await openStream(baseUrl, rep);
      const repSecondTab = await openStream(baseUrl, rep);
      const adminStream = await openStream(baseUrl, admin);
      const bystanderStream = await openStream(baseUrl, bystander);
      try {
        expect(repStream.status).toBe(200);
        expect(repStream.contentType).toContain('text/event-stream');
        for (const stream of [repStream, repSecondTab, adminStream, bystanderStream]) {
          await waitFor(() => stream.events.some((e) => e.event === 'ready'), { what: 'the ready event' });
        }

        // 1. The rep's role changes: only the rep's tabs hear about it.
        await flipRole(rep);
        const [forRep] = (await page(rep)).items;
        const pushed = await waitFor(() => repStream.events.find((e) => e.event === 'notification'), { what: "the rep's notification" });
        expect(pushed.data).toEqual({ id: forRep!.id });
        await waitFor(() => repSecondTab.events.find((e) => e.event === 'notification' && e.data.id === forRep!.id), { what: 'the second tab' });

        // 2. Someone accepts the admin's invitation: only the admin hears about it. Events go out in order,
        //    so had the admin's stream received the rep's event, it would have come first.
        await inviteAndAccept(t, admin, { role: 'Sales rep', name: 'Stream Tester' });
        const forAdmin = (await page(admin)).items.find((n) => n.messageKey === 'notifications.inviteAccepted');
        const adminEvent = await waitFor(() => adminStream.events.find((e) => e.event === 'notification'), { what: "the admin's notification" });
        expect(adminEvent.data).toEqual({ id: forAdmin!.id });

        expect(repStream.events.filter((e) => e.event === 'notification').map((e) => e.data.id)).toEqual([forRep!.id]);
        expect(adminStream.events.filter((e) => e.event === 'notification').map((e) => e.data.id)).toEqual([forAdmin!.id]);
        expect(bystanderStream.events.filter((e) => e.event === 'notification')).toEqual([]);
      } finally {
        await Promise.all([repStream, repSecondTab, adminStream, bystanderStream].map((s) => s.close()));
      }
    });

    it('delivers to a tab that reconnected after closing its stream', async () => {
      const rep = await addUser(t, admin, { role: 'Sales rep' });
      const first = await openStream(baseUrl, rep);
      await waitFor(() => first.events.some((e) => e.event === 'ready'));
      await first.close();
      const second = await openStream(baseUrl, rep);
      try {
        await waitFor(() => second.events.some((e) => e.event === 'ready'));
        await flipRole(rep);
        const [latest] = (await page(rep)).items;
        const event = await waitFor(() => second.events.find((e) => e.event === 'notification'), { what: 'the notification after reconnecting' });
        expect(event.data).toEqual({ id: latest!.id });
      } finally {
        await second.close();
      }
    });
  });
});
