import ICAL from 'ical.js';
import type { Birthdays, CalendarItems, CalendarLoad, MyDay } from '@rapport/shared';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, anonymous, as, login, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, createTestClock, type TestApp } from '../../../test/test-app.js';

/**
 * The calendar as people with different roles meet it: whose tasks, calls and meetings they see, the team scheduler's
 * load, the private ICS feed, My day and birthdays. The workspace's time zone is UTC (an English workspace).
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// A Wednesday at 10:00 UTC; the clock stays there unless a test moves it.
const NOW = new Date('2026-11-18T10:00:00Z');

interface Problem {
  code: string;
  errors?: { path: string }[];
}

function expectProblem(response: LightMyRequestResponse, status: number, code: string, path?: string): void {
  expect({ status: response.statusCode, code: response.json<Problem>().code }, response.body).toEqual({ status, code });
  if (path) expect(response.json<Problem>().errors?.map((e) => e.path)).toContain(path);
}

let t: TestApp;
const clock = createTestClock(NOW);
let admin: Session;
let manager: Session;
let rep: Session;
let colleague: Session;
let outsider: Session;
let teamId: string;
let contactId: string;

/** A task through the tasks API, made by the administrator for its assignee (who then works on it). */
async function task(input: { owner: Session; title: string; dueAt: Date; startAt?: Date; status?: 'open' | 'in_progress' | 'done' | 'cancelled'; coExecutors?: Session[]; watchers?: Session[]; allDay?: boolean }): Promise<string> {
  const members = [...(input.coExecutors ?? []).map((s) => ({ userId: s.userId, role: 'co_executor' })), ...(input.watchers ?? []).map((s) => ({ userId: s.userId, role: 'watcher' }))];
  const response = await as(t, admin)('POST', '/api/v1/tasks', {
    title: input.title,
    ownerId: input.owner.userId,
    dueAt: input.dueAt.toISOString(),
    ...(input.startAt ? { startAt: input.startAt.toISOString() } : {}),
    ...(input.status ? { status: input.status } : {}),
    ...(input.allDay ? { allDay: true } : {}),
    ...(members.length > 0 ? { members } : {}),
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

/** A meeting through the activities API, on a contact the author may read. */
async function meeting(author: Session, input: { subject: string; startsAt: Date; minutes?: number; ownerId?: string; participantIds?: string[]; contact?: string }): Promise<{ id: string; version: number }> {
  const response = await as(t, author)('POST', '/api/v1/activities', {
    kind: 'meeting',
    subject: input.subject,
    startsAt: input.startsAt.toISOString(),
    endsAt: new Date(input.startsAt.getTime() + (input.minutes ?? 60) * 60_000).toISOString(),
    links: [{ object: 'contact', id: input.contact ?? contactId }],
    ...(input.ownerId ? { ownerId: input.ownerId } : {}),
    ...(input.participantIds ? { participantIds: input.participantIds } : {}),
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string; version: number }>();
}

async function contact(owner: Session, firstName: string, birthday: string | null = null): Promise<string> {
  const response = await as(t, owner)('POST', '/api/v1/contacts', { firstName, ...(birthday ? { birthday } : {}) });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

const calendar = (session: Session, query: string) => as(t, session)('GET', `/api/v1/calendar?${query}`);
const week = `from=${new Date(NOW.getTime() - 2 * DAY).toISOString()}&to=${new Date(NOW.getTime() + 5 * DAY).toISOString()}`;
const titles = (response: LightMyRequestResponse) => response.json<CalendarItems>().items.map((item) => item.title).sort();

beforeAll(async () => {
  t = await createTestApp({ clock });
  admin = await setupWorkspace(t);
  const team = await as(t, admin)('POST', '/api/v1/teams', { name: 'Field sales' });
  teamId = team.json<{ id: string }>().id;
  manager = await addUser(t, admin, { role: 'Sales manager', teamId, name: 'Mona Manager' });
  rep = await addUser(t, admin, { role: 'Sales rep', teamId, name: 'Rita Rep' });
  colleague = await addUser(t, admin, { role: 'Sales rep', teamId, name: 'Carl Colleague' });
  outsider = await addUser(t, admin, { role: 'Sales rep', name: 'Otto Outsider' });
  contactId = await contact(rep, 'Client');
});

afterAll(async () => {
  await t.close();
});

describe('calendar scope', () => {
  beforeAll(async () => {
    await task({ owner: rep, title: 'Rep own task', dueAt: new Date(NOW.getTime() + 2 * HOUR) });
    await task({ owner: colleague, title: 'Colleague task rep co-executes', dueAt: new Date(NOW.getTime() + DAY), coExecutors: [rep] });
    await task({ owner: colleague, title: 'Colleague task rep watches', dueAt: new Date(NOW.getTime() + DAY), watchers: [rep] });
    await task({ owner: colleague, title: 'Colleague private task', dueAt: new Date(NOW.getTime() + DAY) });
    await task({ owner: rep, title: 'Rep cancelled task', dueAt: new Date(NOW.getTime() + DAY), status: 'cancelled' });
    await task({ owner: rep, title: 'Rep task next month', dueAt: new Date(NOW.getTime() + 40 * DAY) });
    await meeting(rep, { subject: 'Rep meeting', startsAt: new Date(NOW.getTime() + DAY) });
    const colleagueContact = await contact(colleague, 'Colleague client');
    await meeting(colleague, { subject: 'Colleague meeting with rep', startsAt: new Date(NOW.getTime() + 2 * DAY), participantIds: [rep.userId], contact: colleagueContact });
    await meeting(colleague, { subject: 'Colleague meeting alone', startsAt: new Date(NOW.getTime() + 2 * DAY), contact: colleagueContact });
  });

  it('shows a rep their own tasks and meetings and those they co-execute or attend, nothing else', async () => {
    const response = await calendar(rep, week);
    expect(response.statusCode, response.body).toBe(200);
    expect(titles(response)).toEqual(['Colleague meeting with rep', 'Colleague task rep co-executes', 'Rep meeting', 'Rep own task']);
  });

  it("never shows a rep a colleague's calendar beyond what they share, even when asked for it", async () => {
    const response = await calendar(rep, `${week}&users=${colleague.userId}`);
    expect(titles(response)).toEqual(['Colleague meeting with rep', 'Colleague task rep co-executes', 'Colleague task rep watches']);
    const outside = await calendar(outsider, `${week}&users=${rep.userId},${colleague.userId}`);
    expect(titles(outside)).toEqual([]);
  });

  it("shows a manager their team's calendars and marks what they may move", async () => {
    const response = await calendar(manager, `${week}&users=${colleague.userId}`);
    const items = response.json<CalendarItems>().items;
    expect(items.map((item) => item.title).sort()).toEqual(['Colleague meeting alone', 'Colleague meeting with rep', 'Colleague private task', 'Colleague task rep co-executes', 'Colleague task rep watches']);
    expect(items.map((item) => item.editable)).toEqual(items.map(() => true));
    const forRep = (await calendar(rep, `${week}&users=${colleague.userId}`)).json<CalendarItems>().items;
    expect(forRep.map((item) => item.editable)).toEqual(forRep.map(() => false));
  });

  it('filters by type and gives each item what the calendar needs to show and move it', async () => {
    const response = await calendar(rep, `${week}&types=meeting`);
    const items = response.json<CalendarItems>().items;
    expect(items.map((item) => item.kind)).toEqual(['meeting', 'meeting']);
    const own = items.find((item) => item.title === 'Rep meeting')!;
    expect(own).toMatchObject({ allDay: false, status: 'planned', ownerId: rep.userId, ownerName: 'Rita Rep', editable: true, version: 1, subject: { object: 'contact', id: contactId, title: 'Client' } });
    expect(Date.parse(own.end!) - Date.parse(own.start)).toBe(HOUR);
    // The colleague's client is not the rep's to read: the link shows, the name does not.
    expect(items.find((item) => item.title === 'Colleague meeting with rep')!.subject?.title).toBeNull();
  });

  it('says false, not nothing, for an item outside every team that a manager attends', async () => {
    await meeting(outsider, { subject: 'Outsider meeting with the manager', startsAt: new Date(NOW.getTime() + DAY), participantIds: [manager.userId], contact: await contact(outsider, 'Outsider client') });
    const item = (await calendar(manager, `${week}&types=meeting`)).json<CalendarItems>().items.find((one) => one.title === 'Outsider meeting with the manager');
    expect(item?.editable).toBe(false);
  });

  it('keeps the link to a record deleted since, without its name', async () => {
    const gone = await contact(rep, 'Gone client');
    await meeting(rep, { subject: 'Meeting with a client deleted since', startsAt: new Date(NOW.getTime() + 3 * DAY), contact: gone });
    const named = (await calendar(rep, `${week}&types=meeting`)).json<CalendarItems>().items.find((item) => item.title === 'Meeting with a client deleted since');
    expect(named?.subject).toEqual({ object: 'contact', id: gone, title: 'Gone client' });
    expect((await as(t, rep)('DELETE', `/api/v1/contacts/${gone}`)).statusCode).toBe(204);
    const after = (await calendar(rep, `${week}&types=meeting`)).json<CalendarItems>().items.find((item) => item.title === 'Meeting with a client deleted since');
    expect(after?.subject).toEqual({ object: 'contact', id: gone, title: null });
  });

  it('shows what began before the range and still runs into it, long or short, and nothing that ended before it', async () => {
    const from = new Date('2026-12-07T00:00:00Z');
    const range = `from=${from.toISOString()}&to=${new Date(from.getTime() + 7 * DAY).toISOString()}`;
    await meeting(colleague, { subject: 'Trade fair, three days', startsAt: new Date(from.getTime() - 2 * DAY), minutes: 3 * 24 * 60, participantIds: [rep.userId], contact: await contact(colleague, 'Fair client') });
    await meeting(rep, { subject: 'Late call over midnight', startsAt: new Date(from.getTime() - HOUR), minutes: 90 });
    await meeting(rep, { subject: 'Ended just before', startsAt: new Date(from.getTime() - 2 * HOUR), minutes: 60 });
    await meeting(rep, { subject: 'Month-long pilot', startsAt: new Date(from.getTime() - 20 * DAY), minutes: 40 * 24 * 60 });
    await task({ owner: rep, title: 'Report started last week', startAt: new Date(from.getTime() - 6 * DAY), dueAt: new Date(from.getTime() + 2 * DAY) });
    await task({ owner: colleague, title: 'Shared quarter plan', startAt: new Date(from.getTime() - 30 * DAY), dueAt: new Date(from.getTime() + 30 * DAY), coExecutors: [rep] });
    await task({ owner: rep, title: 'Due before the week', dueAt: new Date(from.getTime() - HOUR) });
    expect(titles(await calendar(rep, range))).toEqual(['Late call over midnight', 'Month-long pilot', 'Report started last week', 'Shared quarter plan', 'Trade fair, three days']);
  });

  it('moves with the owners\u2019 PATCH: a rescheduled meeting shows on its new day; a stale version is a conflict', async () => {
    const created = await meeting(rep, { subject: 'Moved meeting', startsAt: new Date(NOW.getTime() + 3 * HOUR) });
    const moved = await as(t, rep)('PATCH', `/api/v1/activities/${created.id}`, { startsAt: new Date(NOW.getTime() + 51 * HOUR).toISOString(), endsAt: new Date(NOW.getTime() + 52 * HOUR).toISOString(), version: created.version });
    expect(moved.statusCode, moved.body).toBe(200);
    const items = (await calendar(rep, week)).json<CalendarItems>().items;
    expect(items.find((item) => item.id === created.id)).toMatchObject({ start: new Date(NOW.getTime() + 51 * HOUR).toISOString(), version: 2 });
    const stale = await as(t, rep)('PATCH', `/api/v1/activities/${created.id}`, { startsAt: NOW.toISOString(), version: 1 });
    expectProblem(stale, 409, 'version_conflict');

    const taskId = await task({ owner: rep, title: 'Moved task', dueAt: new Date(NOW.getTime() + 4 * HOUR) });
    const before = (await calendar(rep, week)).json<CalendarItems>().items.find((item) => item.id === taskId)!;
    const dueAt = new Date(NOW.getTime() + 28 * HOUR).toISOString();
    expect((await as(t, rep)('PATCH', `/api/v1/tasks/${taskId}`, { dueAt, version: before.version })).statusCode).toBe(200);
    expect((await calendar(rep, week)).json<CalendarItems>().items.find((item) => item.id === taskId)).toMatchObject({ start: dueAt, end: null, version: before.version + 1 });
  });

  it('refuses a range that ends before it starts or spans more than 62 days', async () => {
    expectProblem(await calendar(rep, `from=${NOW.toISOString()}&to=${NOW.toISOString()}`), 400, 'validation', '/querystring/to');
    expectProblem(await calendar(rep, `from=${NOW.toISOString()}&to=${new Date(NOW.getTime() + 63 * DAY).toISOString()}`), 400, 'validation', '/querystring/to');
    expect((await calendar(rep, `from=${NOW.toISOString()}&to=${new Date(NOW.getTime() + 62 * DAY).toISOString()}`)).statusCode).toBe(200);
    expectProblem(await calendar(rep, `from=${NOW.toISOString()}&to=${NOW.toISOString()}&types=party`), 400, 'validation');
    expectProblem(await calendar(rep, `from=yesterday&to=${NOW.toISOString()}`), 400, 'validation');
  });
});

describe('team scheduler load', () => {
  it("counts each colleague's tasks, meetings and busy hours per day, as far as the reader may see", async () => {
    const day = '2026-12-02';
    await task({ owner: colleague, title: 'Load task 1', dueAt: new Date(`${day}T09:00:00Z`) });
    await task({ owner: colleague, title: 'Load task 2', dueAt: new Date(`${day}T15:00:00Z`), coExecutors: [rep] });
    const colleagueContact = await contact(colleague, 'Load client');
    await meeting(colleague, { subject: 'Load meeting', startsAt: new Date(`${day}T11:00:00Z`), minutes: 90, contact: colleagueContact });

    const response = await as(t, manager)('GET', `/api/v1/calendar/load?from=2026-11-30&to=2026-12-20&teamId=${teamId}`);
    expect(response.statusCode, response.body).toBe(200);
    const load = response.json<CalendarLoad>();
    expect(load.rows.map((row) => row.name)).toEqual(['Carl Colleague', 'Mona Manager', 'Rita Rep']);
    expect(load.rows[0]!.days).toHaveLength(21);
    expect(load.rows[0]!.days.find((d) => d.date === day)).toEqual({ date: day, tasks: 2, meetings: 1, calls: 0, busyMinutes: 90 });
    expect(load.rows[2]!.days.find((d) => d.date === day)).toEqual({ date: day, tasks: 1, meetings: 0, calls: 0, busyMinutes: 0 });

    // A rep sees the colleague's row, but only the work they share.
    const forRep = (await as(t, rep)('GET', '/api/v1/calendar/load?from=2026-11-30&to=2026-12-20')).json<CalendarLoad>();
    expect(forRep.rows.map((row) => row.name)).toEqual(['Carl Colleague', 'Mona Manager', 'Rita Rep']);
    expect(forRep.rows[0]!.days.find((d) => d.date === day)).toEqual({ date: day, tasks: 1, meetings: 0, calls: 0, busyMinutes: 0 });
    // Someone outside the team sees only themselves.
    const forOutsider = (await as(t, outsider)('GET', '/api/v1/calendar/load')).json<CalendarLoad>();
    expect(forOutsider.rows.map((row) => row.name)).toEqual(['Otto Outsider']);
  });

  it('starts on this week\u2019s Monday and shows three weeks unless asked otherwise; refuses more than 62 days', async () => {
    const load = (await as(t, manager)('GET', '/api/v1/calendar/load')).json<CalendarLoad>();
    expect({ from: load.from, to: load.to, timezone: load.timezone }).toEqual({ from: '2026-11-16', to: '2026-12-06', timezone: 'UTC' });
    expectProblem(await as(t, manager)('GET', '/api/v1/calendar/load?from=2026-11-01&to=2027-01-15'), 400, 'validation', '/querystring/to');
    expectProblem(await as(t, manager)('GET', '/api/v1/calendar/load?from=2026-11-10&to=2026-11-01'), 400, 'validation', '/querystring/to');
  });
});

describe('ICS feed', () => {
  const feedPath = (url: string) => new URL(url).pathname;

  it('serves the owner\u2019s own tasks and meetings as iCalendar text at a secret address, and nobody else\u2019s', async () => {
    const created = await as(t, rep)('POST', '/api/v1/calendar/feed');
    expect(created.statusCode, created.body).toBe(201);
    const { url } = created.json<{ url: string }>();
    expect(url).toMatch(/^http:\/\/rapport\.test\/ical\/[A-Za-z0-9_-]{43}\.ics$/);
    const response = await anonymous(t, 'GET', feedPath(url));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toContain('text/calendar');
    const text = response.body;
    expect(text.startsWith('BEGIN:VCALENDAR')).toBe(true);
    expect(text.trimEnd().endsWith('END:VCALENDAR')).toBe(true);
    expect(text).toContain('SUMMARY:Rep own task');
    expect(text).toContain('SUMMARY:Rep meeting');
    expect(text).toContain('SUMMARY:Colleague meeting with rep');
    expect(text).toContain('SUMMARY:Colleague task rep co-executes');
    expect(text).not.toContain('Colleague private task');
    expect(text).not.toContain('Colleague meeting alone');
    expect(text).not.toContain('rep watches');
    // RFC 5545: CRLF line ends, each event with its own UID, a start and an end.
    expect(text.split('\r\n').every((line) => !line.includes('\n'))).toBe(true);
    const events = text.split('BEGIN:VEVENT').slice(1);
    // Every item of the rep's own calendar: the month either side of now, plus the task due in 40 days.
    expect(events).toHaveLength((await calendar(rep, `from=${new Date(NOW.getTime() - 31 * DAY).toISOString()}&to=${new Date(NOW.getTime() + 31 * DAY).toISOString()}`)).json<CalendarItems>().items.length + 1);
    for (const event of events) expect(event).toMatch(/UID:[^\r]+\r\n[\s\S]*DTSTART[:;][\s\S]*DTEND[:;][\s\S]*END:VEVENT/);
    expect(new Set(events.map((event) => /UID:([^\r]+)/.exec(event)![1])).size).toBe(events.length);
    expect((await as(t, rep)('GET', '/api/v1/calendar/feed')).json()).toMatchObject({ active: true });
  });

  it('reads in a real iCalendar parser (ical.js) as the same events the calendar shows, at the same times', async () => {
    const { url } = (await as(t, rep)('POST', '/api/v1/calendar/feed')).json<{ url: string }>();
    const text = (await anonymous(t, 'GET', feedPath(url))).body;
    const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((component) => new ICAL.Event(component));
    const items = (await calendar(rep, `from=${new Date(NOW.getTime() - 31 * DAY).toISOString()}&to=${new Date(NOW.getTime() + 31 * DAY).toISOString()}`)).json<CalendarItems>().items;
    expect(items.length).toBeGreaterThan(2);
    for (const item of items) {
      const event = events.find((candidate) => candidate.uid.includes(item.id));
      expect(event, item.title).toBeDefined();
      expect(event!.summary).toBe(item.title);
      if (!item.allDay) expect(event!.startDate.toJSDate().getTime(), item.title).toBe(Date.parse(item.start));
    }
  });

  it('stops the old address when a new one is made, and every address when revoked; both are audited', async () => {
    const first = (await as(t, colleague)('POST', '/api/v1/calendar/feed')).json<{ url: string }>().url;
    const second = (await as(t, colleague)('POST', '/api/v1/calendar/feed')).json<{ url: string }>().url;
    expect(second).not.toBe(first);
    expectProblem(await anonymous(t, 'GET', feedPath(first)), 404, 'not_found');
    expect((await anonymous(t, 'GET', feedPath(second))).statusCode).toBe(200);
    expect((await as(t, colleague)('DELETE', '/api/v1/calendar/feed')).statusCode).toBe(204);
    expectProblem(await anonymous(t, 'GET', feedPath(second)), 404, 'not_found');
    expectProblem(await as(t, colleague)('DELETE', '/api/v1/calendar/feed'), 404, 'not_found');
    expect((await as(t, colleague)('GET', '/api/v1/calendar/feed')).json()).toEqual({ active: false, createdAt: null });
    const audit = (await as(t, admin)('GET', `/api/v1/audit?actorId=${colleague.userId}&limit=200`)).json<{ items: { action: string }[] }>().items.map((entry) => entry.action);
    expect(audit.filter((action) => action.startsWith('calendar_feed.'))).toEqual(['calendar_feed.revoke', 'calendar_feed.create', 'calendar_feed.create']);
  });

  it('answers 404 to a made-up token and stops serving a user who was disabled', async () => {
    expectProblem(await anonymous(t, 'GET', '/ical/not-a-token.ics'), 404, 'not_found');
    expectProblem(await anonymous(t, 'GET', `/ical/${'A'.repeat(43)}.ics`), 404, 'not_found');
    const leaving = await addUser(t, admin, { role: 'Sales rep', name: 'Leaving Person' });
    const { url } = (await as(t, leaving)('POST', '/api/v1/calendar/feed')).json<{ url: string }>();
    expect((await anonymous(t, 'GET', feedPath(url))).statusCode).toBe(200);
    await t.database.db.updateTable('app_user').set({ status: 'disabled' }).where('id', '=', leaving.userId).execute();
    expectProblem(await anonymous(t, 'GET', feedPath(url)), 404, 'not_found');
  });
});

describe('my day', () => {
  let lone: Session;
  beforeAll(async () => {
    lone = await addUser(t, admin, { role: 'Sales rep', teamId, name: 'Dana Day' });
    await task({ owner: lone, title: 'Overdue since Monday', dueAt: new Date('2026-11-16T12:00:00Z') });
    await task({ owner: lone, title: 'Overdue this morning', dueAt: new Date('2026-11-18T08:00:00Z') });
    await task({ owner: lone, title: 'Due this afternoon', dueAt: new Date('2026-11-18T15:00:00Z') });
    await task({ owner: lone, title: 'Done this morning', dueAt: new Date('2026-11-18T09:00:00Z'), status: 'done' });
    await task({ owner: lone, title: 'Due Friday', dueAt: new Date('2026-11-20T12:00:00Z') });
    await task({ owner: lone, title: 'Done Tuesday', dueAt: new Date('2026-11-17T12:00:00Z'), status: 'done' });
    const client = await contact(lone, 'Day client');
    await meeting(lone, { subject: 'Meeting tomorrow', startsAt: new Date('2026-11-19T09:00:00Z'), contact: client });
    await meeting(lone, { subject: 'Meeting in three days', startsAt: new Date('2026-11-21T09:00:00Z'), contact: client });
    await meeting(lone, { subject: 'Meeting this morning', startsAt: new Date('2026-11-18T07:00:00Z'), contact: client });
  });

  it("lists overdue and today's tasks, upcoming meetings and the day's progress", async () => {
    const response = await as(t, lone)('GET', '/api/v1/my-day');
    expect(response.statusCode, response.body).toBe(200);
    const day = response.json<MyDay>();
    expect(day.today).toBe('2026-11-18');
    expect(day.overdue.map((item) => item.title)).toEqual(['Overdue since Monday', 'Overdue this morning']);
    expect(day.overdue.every((item) => item.overdue)).toBe(true);
    expect(day.todayTasks.map((item) => item.title)).toEqual(['Done this morning', 'Due this afternoon']);
    expect(day.meetings.map((item) => item.title)).toEqual(['Meeting tomorrow']);
    expect(day.progress).toMatchObject({ period: 'day', due: 3, done: 1 });
    expect(day.team).toBeNull();
  });

  it('counts progress over the week and the month', async () => {
    expect((await as(t, lone)('GET', '/api/v1/my-day?period=week')).json<MyDay>().progress).toMatchObject({ period: 'week', from: '2026-11-16T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z', due: 6, done: 2 });
    expect((await as(t, lone)('GET', '/api/v1/my-day?period=month')).json<MyDay>().progress).toMatchObject({ period: 'month', due: 6, done: 2 });
    expectProblem(await as(t, lone)('GET', '/api/v1/my-day?period=year'), 400, 'validation');
  });

  it("shows a manager each colleague's progress and the team's interactions today", async () => {
    const client = await contact(rep, 'Called client');
    const call = await as(t, rep)('POST', '/api/v1/activities', { kind: 'call', direction: 'outbound', links: [{ object: 'contact', id: client }], subject: 'Morning call', startsAt: new Date('2026-11-18T08:30:00Z').toISOString(), status: 'done' });
    expect(call.statusCode, call.body).toBe(201);
    const day = (await as(t, manager)('GET', '/api/v1/my-day?period=week')).json<MyDay>();
    expect(day.team).not.toBeNull();
    const dana = day.team!.members.find((member) => member.name === 'Dana Day');
    expect(dana).toMatchObject({ due: 6, done: 2, overdue: 2 });
    expect(day.team!.members.map((member) => member.name)).not.toContain('Otto Outsider');
    expect(day.team!.interactions.map((activity) => activity.subject)).toContain('Morning call');
    // Planned meetings are not interactions yet.
    expect(day.team!.interactions.map((activity) => activity.subject)).not.toContain('Meeting tomorrow');
  });
});

describe('birthdays', () => {
  let keeper: Session;
  beforeAll(async () => {
    keeper = await addUser(t, admin, { role: 'Sales rep', teamId, name: 'Bea Birthdays' });
    await contact(keeper, 'Today', '1990-11-18');
    await contact(keeper, 'Next week', '1985-11-25');
    await contact(keeper, 'Yesterday', '1985-11-17');
    await contact(keeper, 'Far away', '1985-06-01');
    await contact(rep, 'Rep friend', '1970-11-20');
  });

  it('lists the contacts the reader may read with a birthday in the next N days, nearest first', async () => {
    const list = (await as(t, keeper)('GET', '/api/v1/birthdays?days=7')).json<Birthdays>();
    expect(list.today).toBe('2026-11-18');
    expect(list.items.map((b) => [b.name, b.date, b.daysAway, b.turns])).toEqual([
      ['Today', '2026-11-18', 0, 36],
      ['Next week', '2026-11-25', 7, 41],
    ]);
    // A manager reads the team's contacts; `mine` narrows to their own (none).
    expect((await as(t, manager)('GET', '/api/v1/birthdays?days=7')).json<Birthdays>().items.map((b) => b.name)).toEqual(['Today', 'Rep friend', 'Next week']);
    expect((await as(t, manager)('GET', '/api/v1/birthdays?days=7&mine=true')).json<Birthdays>().items).toEqual([]);
    expectProblem(await as(t, keeper)('GET', '/api/v1/birthdays?days=400'), 400, 'validation');
  });

  it('wraps around the new year and keeps 29 February on 28 February in common years', async () => {
    const winter = await addUser(t, admin, { role: 'Sales rep', name: 'Wendy Winter' });
    await contact(winter, 'New year baby', '2001-01-02');
    await contact(winter, 'Leap baby', '2000-02-29');
    // Sessions expire as the clock moves: sign in again on each day.
    const on = async (now: string, days: number) => {
      clock.set(new Date(now));
      const session = await login(t, winter.email);
      return (await as(t, session)('GET', `/api/v1/birthdays?days=${days}`)).json<Birthdays>().items;
    };
    try {
      expect((await on('2026-12-30T10:00:00Z', 5)).map((b) => [b.name, b.date, b.turns])).toEqual([['New year baby', '2027-01-02', 26]]);
      expect((await on('2027-02-26T10:00:00Z', 2)).map((b) => [b.name, b.date, b.daysAway])).toEqual([['Leap baby', '2027-02-28', 2]]);
      expect(await on('2027-02-26T10:00:00Z', 1)).toEqual([]);
      expect((await on('2028-02-28T10:00:00Z', 1)).map((b) => [b.name, b.date])).toEqual([['Leap baby', '2028-02-29']]);
    } finally {
      clock.set(NOW);
    }
  });
});

describe('shared items follow their edits', () => {
  // Participants and co-executors are found by their membership rows' copies of the item's times (migration 0015):
  // every way an item moves or gains a member must show it in its new week, and no longer in its old one.
  let organiser: Session;
  let partner: Session;
  let client: string;
  const nextWeek = `from=${new Date(NOW.getTime() + 5 * DAY).toISOString()}&to=${new Date(NOW.getTime() + 12 * DAY).toISOString()}`;
  const inWeeks = async () => ({ this: titles(await calendar(partner, week)), next: titles(await calendar(partner, nextWeek)) });
  const patch = async (path: string, body: Record<string, unknown>) => {
    const response = await as(t, organiser)('PATCH', path, body);
    expect(response.statusCode, response.body).toBe(200);
  };
  const version = async (path: string) => (await as(t, organiser)('GET', path)).json<{ version: number }>().version;

  beforeAll(async () => {
    organiser = await addUser(t, admin, { role: 'Sales rep', name: 'Olga Organiser' });
    partner = await addUser(t, admin, { role: 'Sales rep', name: 'Paul Partner' });
    client = await contact(organiser, 'Shared client');
  });

  it('moves a meeting and a task for the people who share them', async () => {
    const met = await meeting(organiser, { subject: 'Shared meeting', startsAt: new Date(NOW.getTime() + DAY), participantIds: [partner.userId], contact: client });
    const taskId = await task({ owner: organiser, title: 'Shared task', dueAt: new Date(NOW.getTime() + DAY), coExecutors: [partner] });
    expect(await inWeeks()).toEqual({ this: ['Shared meeting', 'Shared task'], next: [] });

    await patch(`/api/v1/activities/${met.id}`, { startsAt: new Date(NOW.getTime() + 8 * DAY).toISOString(), endsAt: new Date(NOW.getTime() + 8 * DAY + HOUR).toISOString(), version: met.version });
    await patch(`/api/v1/tasks/${taskId}`, { dueAt: new Date(NOW.getTime() + 9 * DAY).toISOString(), version: await version(`/api/v1/tasks/${taskId}`) });
    expect(await inWeeks()).toEqual({ this: [], next: ['Shared meeting', 'Shared task'] });

    // A start brought forward spreads the task over both weeks.
    await patch(`/api/v1/tasks/${taskId}`, { startAt: new Date(NOW.getTime() + 4 * DAY).toISOString(), version: await version(`/api/v1/tasks/${taskId}`) });
    expect(await inWeeks()).toEqual({ this: ['Shared task'], next: ['Shared meeting', 'Shared task'] });
  });

  it('shows a meeting and a task to a participant and a co-executor added later', async () => {
    const met = await meeting(organiser, { subject: 'Meeting joined later', startsAt: new Date(NOW.getTime() + 10 * DAY), contact: client });
    const taskId = await task({ owner: organiser, title: 'Task shared later', dueAt: new Date(NOW.getTime() + 10 * DAY) });
    const before = await inWeeks();
    expect(before.next).not.toContain('Meeting joined later');
    expect(before.next).not.toContain('Task shared later');

    await patch(`/api/v1/activities/${met.id}`, { participantIds: [partner.userId], version: met.version });
    await patch(`/api/v1/tasks/${taskId}`, { members: [{ userId: partner.userId, role: 'co_executor' }], version: await version(`/api/v1/tasks/${taskId}`) });
    expect((await inWeeks()).next).toEqual(expect.arrayContaining(['Meeting joined later', 'Task shared later']));
    expect((await inWeeks()).this).not.toContain('Task shared later');
  });
});
