import type { CalendarItem, CalendarItems, Task } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, createTestClock, type TestApp } from '../../../test/test-app.js';

/**
 * A repeating task's future occurrences in the calendar: they become tasks only as they come due, yet the calendar
 * shows them ahead (projected), to the same readers as the series' tasks, and never twice once created.
 * The workspace's time zone is UTC (an English workspace).
 */

const DAY = 86_400_000;
// A Wednesday at 10:00 UTC.
const NOW = new Date('2026-11-18T10:00:00Z');
const QUARTERLY = 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1';

let t: TestApp;
const clock = createTestClock(NOW);
let admin: Session;
let manager: Session;
let rep: Session;
let colleague: Session;
let seriesId: string;
let firstTaskId: string;

/** The next six months, in requests of at most 62 days (the calendar's limit per request). */
async function sixMonths(session: Session, query = ''): Promise<CalendarItem[]> {
  const items: CalendarItem[] = [];
  for (let i = 0; i < 3; i += 1) {
    const from = new Date(NOW.getTime() + i * 61 * DAY).toISOString();
    const to = new Date(NOW.getTime() + (i + 1) * 61 * DAY).toISOString();
    const response = await as(t, session)('GET', `/api/v1/calendar?from=${from}&to=${to}${query}`);
    expect(response.statusCode, response.body).toBe(200);
    items.push(...response.json<CalendarItems>().items);
  }
  return items;
}

const quarterly = (items: CalendarItem[]) => items.filter((item) => item.title === 'Quarterly report').map((item) => ({ start: item.start, projected: item.projected ?? false }));

/** Runs the due-timer loop's repeating-task step at the clock's time, as the scheduler would. */
async function runSeries(): Promise<number> {
  const kind = t.services.task.dueKinds().find((candidate) => candidate.name === 'task-series')!;
  return t.database.db.transaction().execute((trx) => kind.fireDue(trx, clock.now(), 10));
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  admin = await setupWorkspace(t);
  const team = await as(t, admin)('POST', '/api/v1/teams', { name: 'Field sales' });
  const teamId = team.json<{ id: string }>().id;
  manager = await addUser(t, admin, { role: 'Sales manager', teamId, name: 'Mona Manager' });
  rep = await addUser(t, admin, { role: 'Sales rep', teamId, name: 'Rita Rep' });
  colleague = await addUser(t, admin, { role: 'Sales rep', teamId, name: 'Carl Colleague' });
  // Every quarter on the 1st: the first task is due on 20 November, so the next ones fall on 1 February and 1 May.
  const created = await as(t, rep)('POST', '/api/v1/tasks', { title: 'Quarterly report', dueAt: '2026-11-20T09:00:00.000Z', recurrence: { rule: QUARTERLY } });
  expect(created.statusCode, created.body).toBe(201);
  const task = created.json<Task>();
  firstTaskId = task.id;
  seriesId = task.recurrence!.seriesId;
  expect(task.recurrence?.nextOccurrenceAt).toBe('2027-02-01T09:00:00.000Z');
});

afterAll(async () => {
  await t.close();
});

describe('repeating tasks in the calendar', () => {
  it('shows a quarterly task’s next occurrences over the next six months, as projected and not movable', async () => {
    const items = await sixMonths(rep);
    expect(quarterly(items)).toEqual([
      { start: '2026-11-20T09:00:00.000Z', projected: false },
      { start: '2027-02-01T09:00:00.000Z', projected: true },
      { start: '2027-05-01T09:00:00.000Z', projected: true },
    ]);
    const projected = items.filter((item) => item.projected);
    expect(projected.every((item) => item.kind === 'task' && item.id === seriesId && item.seriesId === seriesId && !item.editable && item.status === 'open' && item.end === null && item.ownerId === rep.userId)).toBe(true);
    expect(items.find((item) => item.id === firstTaskId)).toMatchObject({ kind: 'task', editable: true });
    expect(items.find((item) => item.id === firstTaskId)?.seriesId).toBeUndefined();
  });

  it('leaves them out when tasks are not asked for', async () => {
    expect(quarterly(await sixMonths(rep, '&types=meeting,call'))).toEqual([]);
  });

  it('shows them to the readers of the series’ tasks only: not to a rep with own scope, to the team’s manager', async () => {
    expect(quarterly(await sixMonths(colleague, `&users=${rep.userId}`))).toEqual([]);
    expect(quarterly(await sixMonths(colleague))).toEqual([]);
    expect(quarterly(await sixMonths(manager, `&users=${rep.userId}`)).map((item) => item.start)).toEqual(['2026-11-20T09:00:00.000Z', '2027-02-01T09:00:00.000Z', '2027-05-01T09:00:00.000Z']);
  });

  it('shows an occurrence once it is created as a task, and no longer as projected', async () => {
    // The February task is created a day ahead of its due time.
    clock.set(new Date('2027-01-31T12:00:00Z'));
    expect(await runSeries()).toBe(1);
    clock.set(NOW);
    const items = await sixMonths(rep);
    expect(quarterly(items)).toEqual([
      { start: '2026-11-20T09:00:00.000Z', projected: false },
      { start: '2027-02-01T09:00:00.000Z', projected: false },
      { start: '2027-05-01T09:00:00.000Z', projected: true },
    ]);
    const february = items.find((item) => item.title === 'Quarterly report' && item.start.startsWith('2027-02-01'))!;
    expect(february.id).not.toBe(seriesId);
    expect(february.editable).toBe(true);
  });
});
