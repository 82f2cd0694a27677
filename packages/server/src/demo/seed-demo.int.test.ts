import type { Activity, CalendarItems, Company, DealBoard, DealStageStay, Contact, Lead, Locale, MyDay, RotationPage, SavedView, SearchResult, Task, TimelineEntry } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, login, type Session } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { DEMO_PASSWORD, seedDemo, type DemoResult } from './seed-demo.js';

type Page<T> = { items: T[]; total: { value: number } };

/** A contact of each language's demo, and one of their phones typed differently from how it was entered. */
const PHONE_SEARCH: Record<Locale, { lastName: string; query: string }> = {
  en: { lastName: 'Kaminski', query: '312.555.0117' },
  ru: { lastName: 'Ахмедов', query: '89162345678' },
};

describe.each(['en', 'ru'] as const)('demo workspace (%s)', (locale) => {
  let t: TestApp;
  let demo: DemoResult;
  let admin: Session;
  const signIn = (role: string) => login(t, demo.logins.find((l) => l.role === role)!.email, DEMO_PASSWORD);
  const list = async <T,>(session: Session, path: string) => (await as(t, session)('GET', `/api/v1/${path}${path.includes('?') ? '&' : '?'}limit=200`)).json<Page<T>>();

  beforeAll(async () => {
    t = await createTestApp();
    demo = await seedDemo(t.database.db, t.services, locale);
    admin = await signIn('admin');
  });
  afterAll(() => t.close());

  it('opens with a client base: companies with a holding and its branches, people in them, leads at every stage', async () => {
    const companies = await list<Company>(admin, 'companies');
    expect(companies.total.value).toBeGreaterThanOrEqual(15);
    expect(companies.total.value).toBeLessThanOrEqual(25);
    expect(new Set(companies.items.map((c) => c.kind))).toEqual(new Set(['prospect', 'customer', 'partner', 'competitor', 'supplier']));
    const branches = companies.items.filter((c) => c.parentId !== null);
    expect(branches.length).toBeGreaterThanOrEqual(2);
    expect(new Set(branches.map((c) => c.parentName)).size).toBe(1);
    if (locale === 'ru') expect(companies.items.filter((c) => c.inn !== null && c.ogrn !== null).length).toBe(companies.total.value);
    else expect(companies.items.some((c) => c.vat?.startsWith('GB'))).toBe(true);

    const contacts = await list<Contact>(admin, 'contacts');
    expect(contacts.total.value).toBeGreaterThanOrEqual(30);
    expect(contacts.total.value).toBeLessThanOrEqual(50);
    expect(contacts.items.filter((c) => c.companies.length === 2).length).toBeGreaterThanOrEqual(2);
    expect(contacts.items.every((c) => c.phones.every((p) => p.e164 !== null))).toBe(true);
    if (locale === 'ru') expect(contacts.items.every((c) => c.middleName !== null)).toBe(true);

    const leads = await list<Lead>(admin, 'leads');
    expect(leads.total.value).toBeGreaterThanOrEqual(10);
    expect(leads.total.value).toBeLessThanOrEqual(15);
    expect(new Set(leads.items.map((l) => l.status))).toEqual(new Set(['new', 'in_work', 'qualified', 'disqualified']));
    const disqualified = leads.items.filter((l) => l.status === 'disqualified');
    expect(disqualified).toHaveLength(1);
    expect(disqualified[0]!.disqualifyReason).toBeTruthy();
    const converted = leads.items.find((l) => l.convertedAt !== null)!;
    expect(contacts.items.find((c) => c.id === converted.convertedContactId)?.companies[0]?.companyId).toBe(converted.convertedCompanyId);
  });

  it('opens a deals board with deals in open, won and lost stages, each with its way through the stages', async () => {
    const board = (await as(t, admin)('GET', '/api/v1/deals/board')).json<DealBoard>();
    const counts = board.columns.map((column) => column.count);
    expect(counts).toEqual([2, 2, 1, 1, 1, 1]);
    const lost = board.columns.at(-1)!.items[0]!;
    expect(lost.lostReason).toBeTruthy();
    const history = (await as(t, admin)('GET', `/api/v1/deals/${lost.id}/stages`)).json<{ items: DealStageStay[] }>().items;
    expect(history.map((stay) => stay.stageId)).toEqual([...board.columns.slice(0, 3).map((column) => column.stageId), lost.stageId]);
    // A rep sees the deals of their own clients only.
    const rep = (await as(t, await signIn('rep'))('GET', '/api/v1/deals/board')).json<DealBoard>();
    expect(rep.columns.reduce((sum, column) => sum + column.count, 0)).toBeLessThan(counts.reduce((sum, count) => sum + count, 0));
  });

  it('finds a contact by a phone typed in another format', async () => {
    const { lastName, query } = PHONE_SEARCH[locale];
    const found = (await as(t, admin)('GET', `/api/v1/search?q=${encodeURIComponent(query)}`)).json<SearchResult>();
    const hits = found.groups.flatMap((g) => g.items);
    expect(hits).toContainEqual(expect.objectContaining({ object: 'contact', matched: 'phone', title: expect.stringContaining(lastName) }));
  });

  it('shows a rep only their own clients, a branch manager their branch, and the administrator everyone', async () => {
    const rep = await signIn('rep');
    const manager = await signIn('manager');
    for (const path of ['companies', 'contacts', 'leads']) {
      const all = await list<Company | Contact | Lead>(admin, path);
      const own = await list<Company | Contact | Lead>(rep, path);
      const branch = await list<Company | Contact | Lead>(manager, path);
      expect(own.total.value, path).toBeGreaterThan(0);
      expect(own.items.every((r) => r.ownerId === rep.userId), path).toBe(true);
      expect(branch.total.value, path).toBeGreaterThan(own.total.value);
      expect(all.total.value, path).toBeGreaterThan(branch.total.value);
    }
  });

  it('gives everyone the shared views, the branch its own, and fills the custom fields they show', async () => {
    const rep = await signIn('rep');
    const views = (await as(t, rep)('GET', '/api/v1/views?object=contact')).json<{ items: SavedView[] }>().items;
    const loyal = views.find((v) => v.visibility === 'workspace')!;
    expect(loyal.columns).toContain('custom.loyalty');
    const shown = await list<Contact>(admin, `contacts?filter=${encodeURIComponent(loyal.filter!)}`);
    expect(shown.total.value).toBeGreaterThanOrEqual(3);
    expect(shown.items.every((c) => ['gold', 'platinum'].includes(c.custom.loyalty as string))).toBe(true);

    const leadViews = (await as(t, rep)('GET', '/api/v1/views?object=lead')).json<{ items: SavedView[] }>().items;
    expect(leadViews.map((v) => v.visibility)).toEqual(['team']);
    const otherBranchRep = await login(t, demo.logins.filter((l) => l.role === 'rep').at(-1)!.email, DEMO_PASSWORD);
    expect((await as(t, otherBranchRep)('GET', '/api/v1/views?object=lead')).json<{ items: SavedView[] }>().items).toEqual([]);

    const customers = (await list<Company>(admin, 'companies')).items.filter((c) => c.kind === 'customer');
    expect(customers.some((c) => typeof c.custom.credit_limit === 'number')).toBe(true);
  });

  it('keeps notes and history on the cards, written by the records’ owners', async () => {
    const companies = (await list<Company>(admin, 'companies')).items;
    const holding = companies.find((c) => c.parentId === null && companies.some((b) => b.parentId === c.id))!;
    const timeline = (await as(t, admin)('GET', `/api/v1/timeline/company/${holding.id}`)).json<{ items: TimelineEntry[] }>().items;
    expect(timeline.map((e) => e.kind)).toContain('created');
    const notes = timeline.filter((e) => e.kind === 'note');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.actorId).toBe(holding.ownerId);

    const lead = (await list<Lead>(admin, 'leads')).items.find((l) => l.status === 'disqualified')!;
    const history = (await as(t, admin)('GET', `/api/v1/timeline/lead/${lead.id}`)).json<{ items: TimelineEntry[] }>().items;
    expect(history[0]!.changes).toMatchObject({ status: { from: 'new', to: 'disqualified' } });
  });

  it('shows the calls and meetings of the past weeks on a contact’s card, and the ones planned for the coming days', async () => {
    const activities: Activity[] = [];
    for (const kind of ['call', 'meeting', 'email', 'sms']) activities.push(...(await list<Activity>(admin, `activities?kind=${kind}`)).items);
    expect(activities.length).toBeGreaterThanOrEqual(30);
    expect(activities.length).toBeLessThanOrEqual(45);
    expect(new Set(activities.map((a) => a.kind))).toEqual(new Set(['call', 'meeting', 'email', 'sms']));
    const now = Date.now();
    expect(activities.filter((a) => a.status === 'planned' && Date.parse(a.occurredAt) > now).length).toBeGreaterThanOrEqual(3);
    const calls = activities.filter((a) => a.kind === 'call' && a.status === 'done');
    expect(calls.every((c) => c.direction !== null && c.durationSec !== null && c.result !== null)).toBe(true);
    const meeting = activities.find((a) => a.kind === 'meeting' && a.status === 'done' && a.participants.length > 0 && a.place)!;
    expect(meeting.links.map((l) => l.object).sort()).toEqual(['company', 'contact']);
    // Each record's interactions are logged by its owner.
    const contacts = (await list<Contact>(admin, 'contacts')).items;
    const contactOf = (a: Activity) => contacts.find((c) => c.id === a.links.find((l) => l.object === 'contact')?.id)!;
    expect(activities.every((a) => a.ownerId === contactOf(a).ownerId && a.authorId === a.ownerId)).toBe(true);

    const card = contactOf(meeting);
    const timeline = (await as(t, admin)('GET', `/api/v1/timeline/contact/${card.id}`)).json<{ items: TimelineEntry[] }>().items;
    expect(timeline.map((e) => e.kind)).toContain('meeting');
    const called = contactOf(calls[0]!);
    const calledTimeline = (await as(t, admin)('GET', `/api/v1/timeline/contact/${called.id}?kind=call`)).json<{ items: TimelineEntry[] }>().items;
    expect(calledTimeline.length).toBeGreaterThan(0);
    expect(calledTimeline.some((e) => e.activity?.status === 'done' && e.activity.durationSec !== null && e.activity.direction !== null)).toBe(true);
  });

  it('gives the administrator a day with overdue and today’s tasks, and a week with tasks, calls and meetings in the calendar', async () => {
    const day = (await as(t, admin)('GET', '/api/v1/my-day')).json<MyDay>();
    expect(day.overdue.length).toBeGreaterThanOrEqual(2);
    expect(day.todayTasks.length).toBeGreaterThanOrEqual(2);
    expect(day.progress.done).toBeGreaterThanOrEqual(1);

    const rep = await signIn('rep');
    const repDay = (await as(t, rep)('GET', '/api/v1/my-day')).json<MyDay>();
    expect(repDay.overdue.length + repDay.todayTasks.length).toBeGreaterThan(0);

    const from = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const to = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const users = (await list<{ id: string }>(admin, 'users')).items.map((u) => u.id).join(',');
    const week = (await as(t, admin)('GET', `/api/v1/calendar?from=${from}&to=${to}&users=${users}`)).json<CalendarItems>();
    expect(week.items.filter((i) => i.kind === 'task').length).toBeGreaterThanOrEqual(5);
    expect(week.items.filter((i) => i.kind === 'meeting').length).toBeGreaterThanOrEqual(2);
    const mine = (await as(t, admin)('GET', `/api/v1/calendar?from=${from}&to=${to}`)).json<CalendarItems>();
    expect(mine.items.length).toBeGreaterThan(0);
  });

  it('keeps the team’s tasks: done ones, checklists, co-executors and watchers, a reminder ahead and a quarterly report', async () => {
    const tasks = (await list<Task>(admin, 'tasks?view=all')).items;
    expect(tasks.length).toBeGreaterThanOrEqual(18);
    expect(tasks.length).toBeLessThanOrEqual(25);
    expect(tasks.filter((task) => task.status === 'done').length).toBeGreaterThanOrEqual(3);
    expect(tasks.filter((task) => task.checklist.length > 0 && task.checklist.some((i) => i.done) && task.checklist.some((i) => !i.done)).length).toBeGreaterThanOrEqual(1);
    expect(tasks.some((task) => task.members.some((m) => m.role === 'co_executor'))).toBe(true);
    expect(tasks.some((task) => task.members.some((m) => m.role === 'watcher'))).toBe(true);
    expect(tasks.filter((task) => task.subject !== null).length).toBeGreaterThanOrEqual(10);
    expect(tasks.some((task) => task.reminders.some((r) => r.firedAt === null && Date.parse(r.fireAt) > Date.now()))).toBe(true);
    const report = tasks.find((task) => task.title === (locale === 'ru' ? 'Подготовить квартальный отчёт' : 'Prepare the quarterly report'))!;
    expect(report.recurrence?.rule).toContain('INTERVAL=3');
  });

  it('lists contacts nobody has reached for 90 days in base rotation, and not the ones worked on', async () => {
    const stale = (await as(t, admin)('GET', '/api/v1/rotation?object=contact&days=90')).json<RotationPage>();
    expect(stale.items.length).toBeGreaterThanOrEqual(3);
    expect(stale.items.every((i) => i.lastActivityAt !== null && i.idleDays >= 90)).toBe(true);
    expect(new Set(stale.items.map((i) => i.ownerId)).size).toBeGreaterThan(1);
    const contacts = await list<Contact>(admin, 'contacts');
    expect(stale.items.length).toBeLessThan(contacts.total.value / 3);
  });
});
