import type { Notification } from '@rapport/shared';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, login, setupWorkspace, waitFor, type Session } from '../../../test/factories.js';
import { createTestApp, createTestClock, type TestApp } from '../../../test/test-app.js';
import { createDueSignal } from '../../infra/due-timers.js';
import { startDueScheduler } from '../../jobs/due-scheduler.js';
import { birthdayReminders } from './birthday-reminder.js';

/**
 * The daily birthday reminder: at 09:00 workspace time (UTC here) each owner hears once about their contacts' birthdays,
 * however many processes try at once; days missed while the server was down are told when it is back.
 */

const DAY = 86_400_000;
const realNow = new Date();
/** The first 09:00 UTC after now: when a new workspace's reminder first fires. */
const firstNine = new Date(`${realNow.toISOString().slice(0, 10)}T09:00:00Z`);
if (firstNine.getTime() <= realNow.getTime()) firstNine.setTime(firstNine.getTime() + DAY);
const monthDay = (date: Date, plusDays = 0) => new Date(date.getTime() + plusDays * DAY).toISOString().slice(5, 10);

let t: TestApp;
/**
 * One pass of a due-timer loop (jobs/due-scheduler.ts) over birthday reminders at `now`: each call is another
 * process's loop, so two at once are two servers racing for the same timer.
 */
async function fire(now: Date): Promise<void> {
  const scheduler = startDueScheduler({ db: t.database.db, clock: { now: () => now }, logger: pino({ level: 'silent' }), signal: createDueSignal(), kinds: [birthdayReminders] });
  // The loop makes its first pass at once; stopping waits for it.
  await scheduler.stop();
}
const next = () => birthdayReminders.nextAt(t.database.db);
const clock = createTestClock(realNow);
let admin: Session;
let one: Session;
let two: Session;

async function contact(owner: Session, firstName: string, birthday: string): Promise<string> {
  const response = await as(t, owner)('POST', '/api/v1/contacts', { firstName, birthday });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

async function birthdayNotices(session: Session): Promise<Notification[]> {
  const fresh = await login(t, session.email);
  const list = await as(t, fresh)('GET', '/api/v1/notifications?limit=200');
  return list.json<{ items: Notification[] }>().items.filter((n) => n.kind === 'birthday');
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  admin = await setupWorkspace(t);
  one = await addUser(t, admin, { role: 'Sales rep', name: 'Owner One' });
  two = await addUser(t, admin, { role: 'Sales rep', name: 'Owner Two' });
});

afterAll(async () => {
  await t.close();
});

describe('daily birthday reminder', () => {
  let soloId: string;

  beforeAll(async () => {
    // Leap years of birth, so any of these days may be 29 February.
    soloId = await contact(one, 'Solo', `1988-${monthDay(firstNine)}`);
    await contact(two, 'Pair A', `1980-${monthDay(firstNine)}`);
    await contact(two, 'Pair B', `1992-${monthDay(firstNine)}`);
    await contact(two, 'Tomorrow', `1996-${monthDay(firstNine, 1)}`);
    await contact(one, 'Day after', `2000-${monthDay(firstNine, 2)}`);
    await contact(one, 'Fourth day', `1984-${monthDay(firstNine, 3)}`);
  });

  it('waits for 09:00 in the workspace time zone', async () => {
    expect((await next())?.toISOString()).toBe(firstNine.toISOString());
    await fire(new Date(firstNine.getTime() - 60_000));
    expect(await birthdayNotices(one)).toEqual([]);
  });

  it('tells each owner once about the day\u2019s birthdays, even with two processes firing at the same moment', async () => {
    const at = new Date(firstNine.getTime() + 1000);
    clock.set(at);
    await Promise.all([fire(at), fire(at)]);
    await fire(new Date(at.getTime() + 3_600_000));

    const toOne = await birthdayNotices(one);
    expect(toOne).toHaveLength(1);
    expect(toOne[0]).toMatchObject({ messageKey: 'birthdays.notification', params: { count: 1, names: 'Solo', more: 0 }, link: `/contacts/${soloId}` });
    const toTwo = await birthdayNotices(two);
    expect(toTwo).toHaveLength(1);
    expect(toTwo[0]).toMatchObject({ params: { count: 2, names: 'Pair A, Pair B' }, link: '/' });
    expect((await next())?.toISOString()).toBe(new Date(firstNine.getTime() + DAY).toISOString());
  });

  it('after the server was down for days, tells the missed days once when it is back, marked late', async () => {
    // Down from before the next 09:00 until the third day after it, 10:00.
    const back = new Date(firstNine.getTime() + 3 * DAY + 3_600_000);
    clock.set(back);
    await Promise.all([fire(back), fire(back)]);
    await fire(back);
    const toOne = await birthdayNotices(one);
    expect(toOne).toHaveLength(2);
    expect(toOne[0]!.params).toMatchObject({ count: 2, names: 'Day after, Fourth day' });
    const toTwo = await birthdayNotices(two);
    expect(toTwo).toHaveLength(2);
    expect(toTwo[0]!.params).toMatchObject({ count: 1, names: 'Tomorrow' });
    const row = await t.database.db.selectFrom('birthday_reminder').selectAll().where('workspace_id', '=', admin.workspaceId).executeTakeFirstOrThrow();
    expect(row.late).toBe(true);
    expect(row.fire_at.toISOString()).toBe(new Date(firstNine.getTime() + 4 * DAY).toISOString());
  });
});

describe('in a running server', () => {
  it("fires from the workers' own due-timer loop", async () => {
    const serverClock = createTestClock(realNow);
    const server = await createTestApp({ clock: serverClock, workers: true });
    try {
      const owner = await setupWorkspace(server);
      expect((await as(server, owner)('POST', '/api/v1/contacts', { firstName: 'Running', birthday: `1990-${monthDay(firstNine)}` })).statusCode).toBe(201);
      serverClock.set(new Date(firstNine.getTime() + 60_000));
      const notices = await waitFor(async () => {
        const items = (await as(server, owner)('GET', '/api/v1/notifications?limit=50')).json<{ items: Notification[] }>().items.filter((n) => n.kind === 'birthday');
        return items.length > 0 ? items : undefined;
      }, { timeoutMs: 15_000, what: 'the birthday notice' });
      expect(notices).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
