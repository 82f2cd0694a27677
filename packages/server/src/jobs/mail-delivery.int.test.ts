import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, lastMailTo, roleByName, setupWorkspace, uniqueEmail, waitFor, type Session } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import type { MailTransport, OutgoingMail } from '../infra/mail.js';

/** A mail server that records what it accepts and can be told to refuse the next messages. */
function fakeTransport(): MailTransport & { sent: OutgoingMail[]; failNext: number; attempts: number } {
  const transport = {
    sent: [] as OutgoingMail[],
    failNext: 0,
    attempts: 0,
    async send(mail: OutgoingMail) {
      transport.attempts += 1;
      if (transport.failNext > 0) {
        transport.failNext -= 1;
        throw new Error('421 mail.example: service not available, try later');
      }
      transport.sent.push(mail);
    },
  };
  return transport;
}

describe('mail delivery through the outbox and the job queue', () => {
  let t: TestApp;
  let admin: Session;
  const transport = fakeTransport();

  const invite = async (email: string) => {
    const rep = await roleByName(t, admin, 'Sales rep');
    const response = await as(t, admin)('POST', '/api/v1/users/invite', { email, roleId: rep.id });
    expect(response.statusCode).toBe(201);
  };
  const statusOf = async (email: string) => (await lastMailTo(t, admin, email))?.status;

  beforeAll(async () => {
    t = await createTestApp({ transport, workers: true });
    admin = await setupWorkspace(t, { workspaceName: 'Mailers' });
  });
  afterAll(() => t.close());

  it('delivers an invitation: queued in the transaction, sent by a job, marked sent', async () => {
    const email = uniqueEmail('deliver');
    await invite(email);
    expect(['queued', 'sent']).toContain(await statusOf(email));
    await waitFor(async () => (await statusOf(email)) === 'sent', { timeoutMs: 25_000, what: 'the invitation to be sent' });
    const delivered = transport.sent.filter((mail) => mail.to === email);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ from: 'Rapport <test@rapport.test>', subject: 'You are invited to Mailers on Rapport' });
    expect(delivered[0]!.text).toContain('http://rapport.test/accept-invite?token=');
    expect((await lastMailTo(t, admin, email))?.error).toBeNull();
  });

  it('marks a message the mail server refused as failed, with its error, and sends it when the job retries', async () => {
    const email = uniqueEmail('retry');
    transport.failNext = 1;
    await invite(email);
    const failed = await waitFor(async () => {
      const mail = await lastMailTo(t, admin, email);
      return mail?.status === 'failed' ? mail : undefined;
    }, { timeoutMs: 25_000, what: 'the first attempt to fail' });
    expect(failed.error).toBe('421 mail.example: service not available, try later');
    expect(transport.sent.some((mail) => mail.to === email)).toBe(false);

    // pg-boss waits 30 s or more before the first retry; bring the retry forward instead of waiting for it.
    await waitFor(async () => {
      const result = await sql`UPDATE pgboss.job SET start_after = now() WHERE name = 'mail.send' AND state = 'retry'`.execute(t.database.db);
      return Number(result.numAffectedRows ?? 0) > 0;
    }, { timeoutMs: 10_000, what: 'the job to be scheduled for a retry' });
    await waitFor(async () => (await statusOf(email)) === 'sent', { timeoutMs: 25_000, what: 'the retry to send the message' });
    expect(transport.sent.filter((mail) => mail.to === email)).toHaveLength(1);
    expect((await lastMailTo(t, admin, email))?.error).toBeNull();
  });
});
