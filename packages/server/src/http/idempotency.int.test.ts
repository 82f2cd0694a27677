import type { Role, User } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, outbox, roleByName, setupWorkspace, uniqueEmail, type Session } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/test-app.js';

describe('Idempotency-Key', () => {
  let t: TestApp;
  let admin: Session;
  let repRole: Role;

  const users = async () => (await as(t, admin)('GET', '/api/v1/users?limit=200')).json<{ items: User[] }>().items;
  const invite = (session: Session, body: Record<string, unknown>, key?: string) =>
    as(t, session)('POST', '/api/v1/users/invite', body, key ? { 'idempotency-key': key } : {});

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t);
    repRole = await roleByName(t, admin, 'Sales rep');
  });
  afterAll(() => t.close());

  it('runs a retried POST once: one user, one mail, and the same answer replayed', async () => {
    const email = uniqueEmail('once');
    const body = { email, roleId: repRole.id, name: 'Retried Rita' };
    const first = await invite(admin, body, 'invite-rita-0001');
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    const second = await invite(admin, body, 'invite-rita-0001');
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());

    expect((await users()).filter((u) => u.email === email)).toHaveLength(1);
    expect((await outbox(t, admin)).filter((m) => m.to === email)).toHaveLength(1);
  });

  it('runs two simultaneous requests with one key once', async () => {
    const email = uniqueEmail('race');
    const body = { email, roleId: repRole.id };
    const answers = await Promise.all([invite(admin, body, 'invite-race-0005'), invite(admin, body, 'invite-race-0005')]);
    const statuses = answers.map((r) => r.statusCode).sort();
    expect(statuses[0]).toBe(201);
    // The other one either waits for the first and replays it, or is told the first is still running.
    expect([201, 409]).toContain(statuses[1]);
    expect((await users()).filter((u) => u.email === email)).toHaveLength(1);
    expect((await outbox(t, admin)).filter((m) => m.to === email)).toHaveLength(1);
  });

  it('without a key, a repeated POST is simply a second request', async () => {
    const email = uniqueEmail('twice');
    expect((await invite(admin, { email, roleId: repRole.id })).statusCode).toBe(201);
    expect((await invite(admin, { email, roleId: repRole.id })).statusCode).toBe(409);
  });

  it('refuses the same key with a different body (409 idempotency_conflict) and does nothing', async () => {
    const first = await invite(admin, { email: uniqueEmail('first'), roleId: repRole.id }, 'invite-key-0002');
    expect(first.statusCode).toBe(201);
    const before = (await users()).length;
    const other = uniqueEmail('other');
    const second = await invite(admin, { email: other, roleId: repRole.id }, 'invite-key-0002');
    expect(second.statusCode).toBe(409);
    expect(second.headers['content-type']).toContain('application/problem+json');
    expect(second.json<{ code: string }>().code).toBe('idempotency_conflict');
    expect((await users()).length).toBe(before);
    expect((await outbox(t, admin)).some((m) => m.to === other)).toBe(false);
  });

  it('does not burn the key on a failed request: the corrected request runs', async () => {
    const email = uniqueEmail('fixed');
    const key = 'invite-key-0003';
    // Rejected by the schema…
    const invalid = await invite(admin, { email, roleId: 'not-a-uuid' }, key);
    expect(invalid.statusCode).toBe(400);
    // …and by the service (no such role).
    const missingRole = await invite(admin, { email, roleId: '00000000-0000-7000-8000-000000000000' }, key);
    expect(missingRole.statusCode).toBe(400);
    expect(missingRole.json<{ errors: { path: string }[] }>().errors[0]!.path).toBe('/body/roleId');
    // A failure is not replayed either: the same failing request runs again and fails again.
    expect((await invite(admin, { email, roleId: '00000000-0000-7000-8000-000000000000' }, key)).headers['idempotent-replayed']).toBeUndefined();

    const fixed = await invite(admin, { email, roleId: repRole.id }, key);
    expect(fixed.statusCode).toBe(201);
    expect(fixed.headers['idempotent-replayed']).toBeUndefined();
    expect((await users()).filter((u) => u.email === email)).toHaveLength(1);
    const replay = await invite(admin, { email, roleId: repRole.id }, key);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });

  it('keeps keys per user: the same key from someone else is their own request', async () => {
    const manager = await addUser(t, admin, { role: 'Sales rep' });
    const created = await as(t, admin)('POST', '/api/v1/roles', { name: 'Inviter', permissions: { user: { read: 'all', create: 'all' } } });
    await as(t, admin)('PATCH', `/api/v1/users/${manager.userId}`, { roleId: created.json<Role>().id, version: 1 });
    const mine = uniqueEmail('mine');
    const theirs = uniqueEmail('theirs');
    expect((await invite(admin, { email: mine, roleId: repRole.id }, 'shared-key-0004')).statusCode).toBe(201);
    const response = await invite(manager, { email: theirs, roleId: repRole.id }, 'shared-key-0004');
    expect(response.statusCode).toBe(201);
    expect(response.headers['idempotent-replayed']).toBeUndefined();
    expect(response.json<User>().email).toBe(theirs);
  });

  it('rejects a key that is too short or too long (400 /headers/idempotency-key)', async () => {
    const before = (await users()).length;
    for (const key of ['short', 'k'.repeat(201)]) {
      const response = await invite(admin, { email: uniqueEmail('badkey'), roleId: repRole.id }, key);
      expect(response.statusCode).toBe(400);
      expect(response.json<{ errors: { path: string }[] }>().errors[0]!.path).toBe('/headers/idempotency-key');
    }
    expect((await users()).length).toBe(before);
  });
});
