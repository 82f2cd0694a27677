import type { Task } from '@rapport/shared';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, createTestClock, type TestApp } from '../../../test/test-app.js';
import { startDueScheduler } from '../../jobs/due-scheduler.js';
import { createDueSignal } from '../../infra/due-timers.js';

/**
 * A repeating task's series after downtime: every occurrence missed while nothing ran becomes its own task on the next
 * run of the due-timer loop — not just the latest — each exactly once, however often the loop runs afterwards.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('repeating tasks after downtime', () => {
  const clock = createTestClock(new Date('2033-02-01T08:00:00Z'));
  let t: TestApp;
  let admin: Session;
  let rep: Session;

  beforeAll(async () => {
    // No workers: the series comes due while nothing runs it, as when the server is down.
    t = await createTestApp({ clock });
    admin = await setupWorkspace(t);
    rep = await addUser(t, admin, { role: 'Sales rep' });
  });
  afterAll(() => t.close());

  /** One pass of the real due-timer loop over the task timers: started, then stopped once its first pass is done. */
  const runLoopOnce = async () => {
    const scheduler = startDueScheduler({ db: t.database.db, clock, logger: pino({ level: 'silent' }), signal: createDueSignal(), kinds: t.services.task.dueKinds() });
    await scheduler.stop();
  };
  const occurrences = async (q: string) =>
    (await as(t, rep)('GET', `/api/v1/tasks?view=mine&sort=due&q=${encodeURIComponent(q)}`)).json<{ items: Task[] }>().items;

  it('creates every missed occurrence on the first run, and nothing on the next ones', async () => {
    const due = new Date('2033-02-01T09:00:00Z');
    const created = await as(t, rep)('POST', '/api/v1/tasks', { title: 'Daily cash report', dueAt: due.toISOString(), checklist: [{ text: 'Count' }], reminders: [{ beforeMinutes: 15 }], recurrence: { rule: 'FREQ=DAILY' } });
    expect(created.statusCode, created.body).toBe(201);
    const seriesId = created.json<Task>().recurrence!.seriesId;

    // Down for five days: the occurrences due on the 2nd to the 5th were missed, and the 6th's (made a day ahead) is due to be made.
    clock.advance(5 * DAY);
    await runLoopOnce();
    const caughtUp = await occurrences('Daily cash report');
    expect(caughtUp.map((task) => task.dueAt)).toEqual([0, 1, 2, 3, 4, 5].map((days) => new Date(due.getTime() + days * DAY).toISOString()));
    expect(caughtUp.every((task) => task.recurrence?.seriesId === seriesId && task.status === 'open')).toBe(true);
    expect(caughtUp.slice(1).every((task) => task.checklist.length === 1 && task.checklist[0]!.done === false)).toBe(true);
    // Missed occurrences are overdue at once; their reminders lay in the past and were dropped, the coming one keeps its own.
    expect(caughtUp.slice(1, 5).every((task) => task.overdue && task.reminders.length === 0)).toBe(true);
    expect(caughtUp[5]!.reminders.map((reminder) => reminder.beforeMinutes)).toEqual([15]);
    expect(caughtUp[5]!.recurrence?.nextOccurrenceAt).toBe(new Date(due.getTime() + 6 * DAY).toISOString());

    await runLoopOnce();
    await runLoopOnce();
    expect((await occurrences('Daily cash report')).map((task) => task.id)).toEqual(caughtUp.map((task) => task.id));

    // The audit trail has one creation per occurrence, by the loop on the author's behalf.
    const audit = await sql<{ count: string }>`SELECT count(*) AS count FROM audit_log WHERE action = 'task.create' AND meta->>'seriesId' = ${seriesId}`.execute(t.database.db);
    expect(Number(audit.rows[0]!.count)).toBe(6);

    const stopped = await as(t, rep)('PATCH', `/api/v1/tasks/${caughtUp[5]!.id}`, { recurrence: null, version: caughtUp[5]!.version });
    expect(stopped.statusCode, stopped.body).toBe(200);
  });

  it('shares a long backlog out in batches without making any occurrence twice', async () => {
    const due = new Date(clock.now().getTime() + HOUR);
    const created = await as(t, rep)('POST', '/api/v1/tasks', { title: 'Hourly queue check', startAt: new Date(due.getTime() - 30 * 60_000).toISOString(), dueAt: due.toISOString(), recurrence: { rule: 'FREQ=HOURLY;COUNT=150' } });
    expect(created.statusCode, created.body).toBe(201);

    // Ten days down: the whole series (150 hourly occurrences) lies in the past.
    clock.advance(10 * DAY);
    const series = t.services.task.dueKinds().find((kind) => kind.name === 'task-series')!;
    const batch = (limit: number) => t.database.db.transaction().execute((trx) => series.fireDue(trx, clock.now(), limit));
    expect(await batch(100)).toBe(100);
    expect(await batch(100)).toBe(49);
    expect(await batch(100)).toBe(0);
    const tasks = (await as(t, rep)('GET', '/api/v1/tasks?view=mine&q=Hourly%20queue&limit=200')).json<{ items: Task[] }>().items;
    expect(tasks).toHaveLength(150);
    expect(new Set(tasks.map((task) => task.dueAt)).size).toBe(150);
    expect(tasks.find((task) => task.id === created.json<Task>().id)?.recurrence).toMatchObject({ nextOccurrenceAt: null, endedAt: clock.now().toISOString() });
  });
  it('stops repeating when a task is deleted with stopRepeating, and goes on when it is deleted alone', async () => {
    const make = async (title: string) => {
      const created = await as(t, rep)('POST', '/api/v1/tasks', { title, dueAt: new Date(clock.now().getTime() + HOUR).toISOString(), recurrence: { rule: 'FREQ=DAILY' } });
      expect(created.statusCode, created.body).toBe(201);
      return created.json<Task>();
    };
    const alone = await make('Water the plants');
    const stopped = await make('Send the daily digest');
    expect((await as(t, rep)('DELETE', `/api/v1/tasks/${alone.id}`)).statusCode).toBe(204);
    expect((await as(t, rep)('DELETE', `/api/v1/tasks/${stopped.id}?stopRepeating=true`)).statusCode).toBe(204);
    expect((await as(t, rep)('DELETE', `/api/v1/tasks/${stopped.id}?stopRepeating=maybe`)).statusCode).toBe(400);
    // (The admin's session has lapsed on this clock; the log is read where it is kept.)
    const audit = await t.database.db.selectFrom('audit_log').select('meta').where('object_id', '=', stopped.id).where('action', '=', 'task.delete').execute();
    expect(audit.map((entry) => entry.meta)).toEqual([expect.objectContaining({ stoppedRepeating: true })]);

    clock.advance(3 * DAY);
    await runLoopOnce();
    expect((await occurrences('Water the plants')).length).toBeGreaterThan(0);
    expect(await occurrences('Send the daily digest')).toEqual([]);
  });
});
