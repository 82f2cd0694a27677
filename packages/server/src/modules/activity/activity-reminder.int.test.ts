import type { Activity, Notification } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, outbox, setupWorkspace, waitFor, type Session } from '../../../test/factories.js';
import { createTestApp, createTestClock, type TestApp } from '../../../test/test-app.js';

/**
 * Reminders on planned calls and meetings, fired by the due-timer loop like task reminders: the owner and the colleagues
 * taking part hear once, at start − minutes, with a link to the record; the reminder follows the start when it moves,
 * stays silent for what is done, cancelled or deleted; one in the past is refused with its field path.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface Problem {
  code: string;
  errors?: { path: string; message: string }[];
}

/** Lets a second or so of real time pass: the loop sleeps at most a second, so a wrong second firing would show. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));

describe('activity reminders', () => {
  const clock = createTestClock(new Date('2031-06-02T08:00:00Z'));
  let t: TestApp;
  let admin: Session;
  let rep: Session;
  let colleague: Session;
  let contactId: string;

  const at = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();
  const notices = async (session: Session) => (await as(t, session)('GET', '/api/v1/notifications?limit=200')).json<{ items: Notification[] }>().items.filter((n) => n.kind === 'activity_reminder');
  const log = async (body: Record<string, unknown>) => {
    const response = await as(t, rep)('POST', '/api/v1/activities', { links: [{ object: 'contact', id: contactId }], ...body });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Activity>();
  };
  const refused = async (method: 'POST' | 'PATCH', url: string, body: Record<string, unknown>) => {
    const response = await as(t, rep)(method, url, body);
    expect(response.headers['content-type']).toContain('application/problem+json');
    return { status: response.statusCode, errors: response.json<Problem>().errors ?? [] };
  };

  beforeAll(async () => {
    t = await createTestApp({ workers: true, clock });
    admin = await setupWorkspace(t);
    rep = await addUser(t, admin, { role: 'Sales rep', name: 'Rita Rep' });
    colleague = await addUser(t, admin, { role: 'Sales rep', name: 'Carl Colleague' });
    contactId = (await as(t, rep)('POST', '/api/v1/contacts', { firstName: 'Nina', lastName: 'Novak' })).json<{ id: string }>().id;
  });
  afterAll(() => t.close());

  it('reminds the owner and the colleagues taking part once, before a meeting, linking to the record', async () => {
    const meeting = await log({ kind: 'meeting', subject: 'Contract walkthrough', startsAt: at(2 * HOUR), endsAt: at(3 * HOUR), participantIds: [colleague.userId], reminderMinutes: 15 });
    expect(meeting).toMatchObject({ status: 'planned', reminderMinutes: 15 });
    expect((await as(t, rep)('GET', `/api/v1/activities/${meeting.id}`)).json<Activity>().reminderMinutes).toBe(15);

    clock.advance(HOUR + 44 * MINUTE);
    await settle();
    expect(await notices(rep)).toHaveLength(0);

    clock.advance(2 * MINUTE);
    for (const session of [rep, colleague]) {
      const [notice] = await waitFor(async () => {
        const found = await notices(session);
        return found.length > 0 && found;
      }, { what: 'the meeting reminder' });
      expect(notice).toMatchObject({ messageKey: 'notifications.meetingReminder', link: `/contacts/${contactId}`, params: { title: 'Contract walkthrough', minutes: 15, late: false, startsAt: meeting.startsAt } });
    }
    await settle();
    expect(await notices(rep)).toHaveLength(1);
    expect(await notices(colleague)).toHaveLength(1);
    expect(await notices(admin)).toHaveLength(0);
    expect((await outbox(t, admin)).filter((mail) => mail.to === rep.email && mail.subject === 'Coming up: Contract walkthrough')).toHaveLength(1);

    // Saved again as it is (the reminder time has passed): no error, and no second reminder.
    const resaved = await as(t, rep)('PATCH', `/api/v1/activities/${meeting.id}`, { subject: 'Contract walkthrough', reminderMinutes: 15, startsAt: meeting.startsAt, version: meeting.version });
    expect(resaved.statusCode, resaved.body).toBe(200);
    await settle();
    expect(await notices(rep)).toHaveLength(1);
    clock.advance(2 * HOUR);
  });

  it('refuses a reminder in the past, or on an activity that is not planned, at its field path', async () => {
    const past = await refused('POST', '/api/v1/activities', { kind: 'call', direction: 'outbound', links: [{ object: 'contact', id: contactId }], startsAt: at(HOUR), reminderMinutes: 90 });
    expect(past).toEqual({ status: 400, errors: [{ path: '/body/reminderMinutes', message: 'the reminder would be in the past' }] });
    const done = await refused('POST', '/api/v1/activities', { kind: 'call', direction: 'outbound', status: 'done', links: [{ object: 'contact', id: contactId }], startsAt: at(-HOUR), reminderMinutes: 5 });
    expect(done.errors.map((error) => [error.path, error.message])).toEqual([['/body/reminderMinutes', 'only a planned call or meeting can have a reminder']]);
    const email = await refused('POST', '/api/v1/activities', { kind: 'email', direction: 'outbound', subject: 'Hi', links: [{ object: 'contact', id: contactId }], reminderMinutes: 5 });
    expect(email.errors.map((error) => error.path)).toEqual(['/body/reminderMinutes']);
    const negative = await refused('POST', '/api/v1/activities', { kind: 'call', direction: 'outbound', links: [{ object: 'contact', id: contactId }], startsAt: at(HOUR), reminderMinutes: -5 });
    expect(negative.status).toBe(400);
    expect(negative.errors.map((error) => error.path)).toEqual(['/body/reminderMinutes']);

    const call = await log({ kind: 'call', direction: 'outbound', startsAt: at(HOUR) });
    const late = await refused('PATCH', `/api/v1/activities/${call.id}`, { reminderMinutes: 61, version: call.version });
    expect(late.errors.map((error) => error.path)).toEqual(['/body/reminderMinutes']);
  });

  it('moves with the start, and stays silent for a call cancelled, or a meeting deleted, before its time', async () => {
    const call = await log({ kind: 'call', direction: 'outbound', phone: '+12025550100', startsAt: at(2 * HOUR), reminderMinutes: 30 });
    const moved = await as(t, rep)('PATCH', `/api/v1/activities/${call.id}`, { startsAt: at(5 * HOUR), version: call.version });
    expect(moved.statusCode, moved.body).toBe(200);
    const cancelled = await log({ kind: 'call', direction: 'inbound', phone: '+1 202 555 0101', startsAt: at(HOUR), reminderMinutes: 10 });
    expect((await as(t, rep)('PATCH', `/api/v1/activities/${cancelled.id}`, { status: 'cancelled', version: cancelled.version })).statusCode).toBe(200);
    const dropped = await log({ kind: 'meeting', subject: 'Dropped meeting', startsAt: at(HOUR), endsAt: at(2 * HOUR), reminderMinutes: 10 });
    expect((await as(t, rep)('DELETE', `/api/v1/activities/${dropped.id}`)).statusCode).toBe(204);

    // The call's old reminder time, and the cancelled and deleted ones' times, pass without a word.
    clock.advance(2 * HOUR);
    await settle();
    expect(await notices(rep)).toHaveLength(1);

    clock.advance(2 * HOUR + 31 * MINUTE);
    const fired = await waitFor(async () => {
      const found = await notices(rep);
      return found.length === 2 && found;
    }, { what: 'the moved call reminder' });
    expect(fired[0]).toMatchObject({ messageKey: 'notifications.callReminder', params: { title: '+1 202 555 0100', minutes: 30, late: false } });
    await settle();
    expect(await notices(rep)).toHaveLength(2);
  });

  it('a colleague added later is reminded too; those already reminded are not reminded again', async () => {
    const meeting = await log({ kind: 'meeting', subject: 'Late joiner', startsAt: at(HOUR), endsAt: at(2 * HOUR), reminderMinutes: 30 });
    clock.advance(35 * MINUTE);
    await waitFor(async () => (await notices(rep)).some((n) => n.params.title === 'Late joiner'), { what: 'the owner’s reminder' });
    const joined = await as(t, rep)('PATCH', `/api/v1/activities/${meeting.id}`, { participantIds: [colleague.userId], version: meeting.version });
    expect(joined.statusCode, joined.body).toBe(200);
    const [forColleague] = await waitFor(async () => {
      const found = (await notices(colleague)).filter((n) => n.params.title === 'Late joiner');
      return found.length > 0 && found;
    }, { what: 'the colleague’s reminder' });
    expect(forColleague!.params).toMatchObject({ late: true });
    await settle();
    expect((await notices(rep)).filter((n) => n.params.title === 'Late joiner')).toHaveLength(1);
    expect((await notices(colleague)).filter((n) => n.params.title === 'Late joiner')).toHaveLength(1);
  });
});
