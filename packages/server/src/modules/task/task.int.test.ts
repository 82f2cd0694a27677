import type { AuditEntry, DeletedTask, Notification, Task, TaskComment, TaskTemplate } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, outbox, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, createTestClock, type TestApp } from '../../../test/test-app.js';

/**
 * Tasks through the API as people meet them: creating and editing with every kind of bad input refused with a field
 * path, stale versions, who sees and changes whose tasks, comments, checklists, templates and the escalation setting.
 */

interface Problem {
  code: string;
  errors?: { path: string; message: string }[];
  currentVersion?: number;
}
interface TaskPage {
  items: Task[];
  nextCursor: string | null;
}

const HOUR = 3_600_000;
const clock = createTestClock(new Date('2031-03-10T09:00:00Z'));
const inHours = (hours: number) => new Date(clock.now().getTime() + hours * HOUR).toISOString();

describe('tasks', () => {
  let t: TestApp;
  let admin: Session;
  let rep: Session;
  let otherRep: Session;

  const create = async (session: Session, body: Record<string, unknown>) => {
    const response = await as(t, session)('POST', '/api/v1/tasks', body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Task>();
  };
  const problem = async (session: Session, method: 'POST' | 'PATCH', url: string, body: Record<string, unknown>) => {
    const response = await as(t, session)(method, url, body);
    expect(response.headers['content-type']).toContain('application/problem+json');
    return { status: response.statusCode, ...response.json<Problem>() };
  };
  const paths = (p: Problem) => (p.errors ?? []).map((error) => error.path);
  const notifications = async (session: Session) => (await as(t, session)('GET', '/api/v1/notifications')).json<{ items: Notification[] }>().items;
  const list = async (session: Session, query = '') => {
    const response = await as(t, session)('GET', `/api/v1/tasks${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<TaskPage>();
  };

  beforeAll(async () => {
    t = await createTestApp({ clock });
    admin = await setupWorkspace(t);
    rep = await addUser(t, admin, { role: 'Sales rep', name: 'Rita Rep' });
    otherRep = await addUser(t, admin, { role: 'Sales rep', name: 'Oleg Rep' });
  });
  afterAll(() => t.close());

  describe('create and edit', () => {
    it('creates a task with checklist, members, linked record and reminder, assigned to the author by default', async () => {
      const contact = (await as(t, rep)('POST', '/api/v1/contacts', { firstName: 'Clara' })).json<{ id: string }>();
      const task = await create(rep, {
        title: '  Call Clara about the renewal ',
        priority: 'high',
        startAt: inHours(1),
        dueAt: inHours(2),
        subject: { type: 'contact', id: contact.id },
        checklist: [{ text: 'Prepare offer' }, { text: 'Call', done: true }],
        members: [{ userId: admin.userId, role: 'watcher' }],
        reminders: [{ beforeMinutes: 30 }],
      });
      expect(task).toMatchObject({ title: 'Call Clara about the renewal', status: 'open', priority: 'high', ownerId: rep.userId, ownerName: 'Rita Rep', createdBy: rep.userId, overdue: false, version: 1 });
      expect(task.subject).toEqual({ type: 'contact', id: contact.id, title: 'Clara' });
      expect(task.checklist.map((item) => [item.text, item.done])).toEqual([['Prepare offer', false], ['Call', true]]);
      expect(task.checklist.every((item) => /^[0-9a-f-]{36}$/.test(item.id))).toBe(true);
      expect(task.members).toEqual([{ userId: admin.userId, name: 'Ada Admin', role: 'watcher' }]);
      expect(task.reminders).toHaveLength(1);
      expect(task.reminders[0]).toMatchObject({ userId: rep.userId, beforeMinutes: 30, fireAt: new Date(Date.parse(inHours(2)) - 30 * 60_000).toISOString(), firedAt: null });
      expect(task.can).toEqual({ update: true, delete: true, comment: true });

      // The card's task list.
      const forCard = await list(rep, `?subjectType=contact&subjectId=${contact.id}`);
      expect(forCard.items.map((item) => item.id)).toEqual([task.id]);

      const audit = (await as(t, admin)('GET', `/api/v1/audit?objectType=task&objectId=${task.id}`)).json<{ items: AuditEntry[] }>().items;
      expect(audit.map((entry) => entry.action)).toEqual(['task.create']);
    });

    it('refuses bad input with a field path for each problem', async () => {
      const disabled = await addUser(t, admin, { role: 'Sales rep' });
      const user = (await as(t, admin)('GET', `/api/v1/users/${disabled.userId}`)).json<{ version: number }>();
      expect((await as(t, admin)('PATCH', `/api/v1/users/${disabled.userId}`, { status: 'disabled', version: user.version })).statusCode).toBe(200);

      const many = await problem(admin, 'POST', '/api/v1/tasks', {
        title: 'Bad',
        startAt: inHours(5),
        dueAt: inHours(4),
        members: [{ userId: disabled.userId, role: 'watcher' }, { userId: '01890000-0000-7000-8000-000000000000', role: 'co_executor' }],
        reminders: [{ fireAt: inHours(-1) }, { beforeMinutes: 10, fireAt: inHours(1) }],
      });
      expect(many.status).toBe(400);
      expect(paths(many).sort()).toEqual(['/body/dueAt', '/body/members/0/userId', '/body/members/1/userId', '/body/reminders/0/fireAt', '/body/reminders/1'].sort());

      const assignee = await problem(admin, 'POST', '/api/v1/tasks', { title: 'To a disabled user', ownerId: disabled.userId });
      expect([assignee.status, paths(assignee)]).toEqual([400, ['/body/ownerId']]);

      const unknownRecord = await problem(admin, 'POST', '/api/v1/tasks', { title: 'About nothing', subject: { type: 'company', id: '01890000-0000-7000-8000-000000000000' } });
      expect([unknownRecord.status, paths(unknownRecord)]).toEqual([400, ['/body/subject/id']]);

      const relative = await problem(admin, 'POST', '/api/v1/tasks', { title: 'No due', reminders: [{ beforeMinutes: 5 }] });
      expect([relative.status, paths(relative)]).toEqual([400, ['/body/reminders/0/beforeMinutes']]);

      const past = await problem(admin, 'POST', '/api/v1/tasks', { title: 'Soon due', dueAt: inHours(0.1), reminders: [{ beforeMinutes: 60 }] });
      expect([past.status, paths(past)]).toEqual([400, ['/body/reminders/0/beforeMinutes']]);

      const blank = await problem(admin, 'POST', '/api/v1/tasks', { title: '   ' });
      expect([blank.status, paths(blank)]).toEqual([400, ['/body/title']]);

      const unknownField = await problem(admin, 'POST', '/api/v1/tasks', { title: 'x', colour: 'red' });
      expect(unknownField.status).toBe(400);
    });

    it('refuses rules that do not parse, never occur or repeat every minute, at the rule path', async () => {
      const cases: [string, RegExp][] = [
        ['FREQ=SOMETIMES', /not a recurrence rule/],
        ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', /never occurs/],
        ['FREQ=MINUTELY', /too frequent/],
        ['FREQ=SECONDLY;INTERVAL=30', /too frequent/],
        ['FREQ=DAILY;BYHOUR=9,10;BYMINUTE=0,30', /too frequent/],
        ['FREQ=DAILY;INTERVAL=0', /INTERVAL/],
        ['FREQ=WEEKLY;UNTIL=20200101T000000Z', /never occurs/],
        ['DTSTART:20300101T000000Z\nRRULE:FREQ=DAILY', /rule alone/],
      ];
      for (const [rule, message] of cases) {
        const bad = await problem(rep, 'POST', '/api/v1/tasks', { title: 'Repeat', dueAt: inHours(3), recurrence: { rule } });
        expect([bad.status, paths(bad)], rule).toEqual([400, ['/body/recurrence/rule']]);
        expect(bad.errors![0]!.message, rule).toMatch(message);
      }
      const noDue = await problem(rep, 'POST', '/api/v1/tasks', { title: 'Repeat', recurrence: { rule: 'FREQ=DAILY' } });
      expect([noDue.status, paths(noDue)]).toEqual([400, ['/body/dueAt']]);

      const preview = await as(t, rep)('POST', '/api/v1/tasks/recurrence-preview', { rule: 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1', dueAt: '2031-03-10T09:00:00Z' });
      expect(preview.statusCode).toBe(200);
      expect(preview.json()).toEqual({ timezone: 'UTC', occurrences: ['2031-06-01T09:00:00.000Z', '2031-09-01T09:00:00.000Z', '2031-12-01T09:00:00.000Z', '2032-03-01T09:00:00.000Z', '2032-06-01T09:00:00.000Z'] });
      const badPreview = await problem(rep, 'POST', '/api/v1/tasks/recurrence-preview', { rule: 'FREQ=MINUTELY', dueAt: '2031-03-10T09:00:00Z' });
      expect([badPreview.status, paths(badPreview)]).toEqual([400, ['/body/rule']]);
    });

    it('updates with the version, refuses a stale one with 409, and completes the task', async () => {
      const task = await create(rep, { title: 'Send the offer', dueAt: inHours(24) });
      const stale = await problem(rep, 'PATCH', `/api/v1/tasks/${task.id}`, { title: 'x', version: 7 });
      expect([stale.status, stale.code, stale.currentVersion]).toEqual([409, 'version_conflict', 1]);
      const noVersion = await as(t, rep)('PATCH', `/api/v1/tasks/${task.id}`, { title: 'x' });
      expect(noVersion.statusCode).toBe(428);

      const moved = await as(t, rep)('PATCH', `/api/v1/tasks/${task.id}`, { startAt: inHours(30), version: 1 });
      expect(moved.statusCode).toBe(400);
      expect(moved.json<Problem>().errors![0]!.path).toBe('/body/startAt');

      const done = await as(t, rep)('PATCH', `/api/v1/tasks/${task.id}`, { status: 'done' }, { 'if-match': '"1"' });
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json<Task>()).toMatchObject({ status: 'done', completedAt: clock.now().toISOString(), version: 2 });
      const reopened = await as(t, rep)('PATCH', `/api/v1/tasks/${task.id}`, { status: 'in_progress', version: 2 });
      expect(reopened.json<Task>()).toMatchObject({ status: 'in_progress', completedAt: null });
      const audit = (await as(t, admin)('GET', `/api/v1/audit?objectType=task&objectId=${task.id}`)).json<{ items: AuditEntry[] }>().items;
      expect(audit.map((entry) => entry.action)).toEqual(['task.status_change', 'task.status_change', 'task.create']);
      expect(audit[1]!.changes?.status).toEqual({ from: 'open', to: 'done' });
    });

    it('ticks checklist items one by one without a version, and edits the list with one', async () => {
      const task = await create(rep, { title: 'Onboard', checklist: [{ text: 'Contract' }, { text: 'Invoice' }] });
      const [first, second] = task.checklist;
      const ticked = await as(t, rep)('PATCH', `/api/v1/tasks/${task.id}/checklist/${first!.id}`, { done: true });
      expect(ticked.statusCode, ticked.body).toBe(200);
      expect(ticked.json<Task>().checklist.map((item) => item.done)).toEqual([true, false]);
      const missing = await as(t, rep)('PATCH', `/api/v1/tasks/${task.id}/checklist/01890000-0000-7000-8000-000000000000`, { done: true });
      expect(missing.statusCode).toBe(404);

      const current = ticked.json<Task>();
      const edited = await as(t, rep)('PATCH', `/api/v1/tasks/${task.id}`, { checklist: [{ id: second!.id, text: 'Invoice (signed)' }, { id: first!.id, text: 'Contract' }, { text: 'Welcome call' }], version: current.version });
      expect(edited.statusCode, edited.body).toBe(200);
      expect(edited.json<Task>().checklist.map((item) => [item.text, item.done])).toEqual([['Invoice (signed)', false], ['Contract', true], ['Welcome call', false]]);
    });

    it('notifies the assignee when someone else gives them a task, with a link to it', async () => {
      const task = await create(admin, { title: 'Quarterly report', ownerId: rep.userId });
      const notice = (await notifications(rep)).find((n) => n.link === `/tasks/${task.id}`);
      expect(notice).toMatchObject({ kind: 'task_assigned', messageKey: 'notifications.taskAssigned', params: { title: 'Quarterly report', by: 'Ada Admin' } });
      // Giving oneself a task is no news.
      const own = await create(rep, { title: 'My own' });
      expect((await notifications(rep)).some((n) => n.link === `/tasks/${own.id}`)).toBe(false);

      // Handed on to someone else: they hear about it and take over the reminders.
      const reminded = await create(admin, { title: 'Chase the invoice', ownerId: rep.userId, dueAt: inHours(5), reminders: [{ beforeMinutes: 60 }] });
      const handed = await as(t, admin)('PATCH', `/api/v1/tasks/${reminded.id}`, { ownerId: otherRep.userId, version: reminded.version });
      expect(handed.statusCode, handed.body).toBe(200);
      expect(handed.json<Task>().reminders.map((reminder) => reminder.userId)).toEqual([otherRep.userId]);
      expect((await notifications(otherRep)).find((n) => n.link === `/tasks/${reminded.id}`)?.kind).toBe('task_assigned');
    });

    it('keeps an all-day task due by the end of its day, shows it all day in the calendar, and refuses one without a due date', async () => {
      // The web sends the day's last minute in the user's zone (here UTC) and allDay.
      const dayEnd = '2031-03-12T23:59:00.000Z';
      const task = await create(rep, { title: 'Inventory day', dueAt: dayEnd, allDay: true });
      expect(task).toMatchObject({ allDay: true, dueAt: dayEnd, startAt: null, overdue: false });
      const calendar = (await as(t, rep)('GET', '/api/v1/calendar?from=2031-03-12T00:00:00Z&to=2031-03-13T00:00:00Z')).json<{ items: { id: string; allDay: boolean; start: string }[] }>();
      expect(calendar.items.find((item) => item.id === task.id)).toMatchObject({ allDay: true, start: dayEnd });

      const noDue = await problem(rep, 'POST', '/api/v1/tasks', { title: 'Some day', allDay: true });
      expect([noDue.status, paths(noDue), noDue.errors![0]!.message]).toEqual([400, ['/body/allDay'], 'an all-day task needs a due date']);
      const cleared = await problem(rep, 'PATCH', `/api/v1/tasks/${task.id}`, { dueAt: null, version: task.version });
      expect([cleared.status, paths(cleared)]).toEqual([400, ['/body/dueAt']]);
      // Back to a time of day: the same due time, no longer all day.
      const timed = await as(t, rep)('PATCH', `/api/v1/tasks/${task.id}`, { allDay: false, dueAt: '2031-03-12T15:00:00.000Z', version: task.version });
      expect(timed.statusCode, timed.body).toBe(200);
      expect(timed.json<Task>()).toMatchObject({ allDay: false, dueAt: '2031-03-12T15:00:00.000Z' });
      const audit = (await as(t, admin)('GET', `/api/v1/audit?objectType=task&objectId=${task.id}`)).json<{ items: AuditEntry[] }>().items;
      expect(audit[0]!.changes).toMatchObject({ all_day: { from: true, to: false } });
    });

    it('tells people put on a task as co-executors or watchers, once each, by e-mail as they chose; never the one who did it', async () => {
      const co = await addUser(t, admin, { role: 'Sales rep', name: 'Cora Co' });
      const watcher = await addUser(t, admin, { role: 'Sales rep', name: 'Walt Watcher' });
      const late = await addUser(t, admin, { role: 'Sales rep', name: 'Lena Late' });
      // Walt keeps watching notices to the bell.
      expect((await as(t, watcher)('PATCH', '/api/v1/auth/me', { notifyEmail: { task_watcher: false } })).statusCode).toBe(200);
      const task = await create(admin, {
        title: 'Launch plan',
        ownerId: rep.userId,
        members: [
          { userId: co.userId, role: 'co_executor' },
          { userId: watcher.userId, role: 'watcher' },
          { userId: admin.userId, role: 'watcher' },
        ],
      });
      const link = `/tasks/${task.id}`;
      const onTask = async (session: Session) => (await notifications(session)).filter((n) => n.link === link && (n.kind === 'task_co_executor' || n.kind === 'task_watcher'));
      expect(await onTask(co)).toMatchObject([{ kind: 'task_co_executor', messageKey: 'notifications.taskCoExecutor', params: { title: 'Launch plan', by: 'Ada Admin' } }]);
      expect(await onTask(watcher)).toMatchObject([{ kind: 'task_watcher', messageKey: 'notifications.taskWatcher', params: { title: 'Launch plan', by: 'Ada Admin' } }]);
      expect(await onTask(admin)).toEqual([]);
      const mails = await outbox(t, admin);
      expect(mails.filter((mail) => mail.to === co.email).map((mail) => mail.subject)).toEqual(['Co-executor: Launch plan']);
      expect(mails.find((mail) => mail.to === co.email)?.text).toContain(`http://rapport.test${link}`);
      expect(mails.some((mail) => mail.to === watcher.email)).toBe(false);

      // Saved again with one newcomer: only Lena hears; Walt, now a co-executor, was on the task already; the admin re-adds themself.
      const members = [
        { userId: co.userId, role: 'co_executor' },
        { userId: watcher.userId, role: 'co_executor' },
        { userId: late.userId, role: 'watcher' },
        { userId: admin.userId, role: 'watcher' },
      ];
      const changed = await as(t, admin)('PATCH', `/api/v1/tasks/${task.id}`, { members, version: task.version });
      expect(changed.statusCode, changed.body).toBe(200);
      expect((await onTask(late)).map((n) => n.kind)).toEqual(['task_watcher']);
      expect(await onTask(co)).toHaveLength(1);
      expect(await onTask(watcher)).toHaveLength(1);
      expect(await onTask(admin)).toEqual([]);
      expect((await outbox(t, admin)).filter((mail) => mail.to === late.email).map((mail) => mail.subject)).toEqual(['Watching: Launch plan']);

      // Handed to Oleg with Rita (the assignee until now) as a co-executor: she was on it, so only Oleg's assignment is news.
      const handed = await as(t, admin)('PATCH', `/api/v1/tasks/${task.id}`, { ownerId: otherRep.userId, members: [...members, { userId: rep.userId, role: 'co_executor' }], version: changed.json<Task>().version });
      expect(handed.statusCode, handed.body).toBe(200);
      expect(await onTask(rep)).toEqual([]);
      expect((await notifications(otherRep)).filter((n) => n.link === link).map((n) => n.kind)).toEqual(['task_assigned']);
    });

    it('creates a task from a template, and lets the body win over the template', async () => {
      const created = await as(t, admin)('POST', '/api/v1/task-templates', { name: 'Onboarding', title: 'Onboard the client', priority: 'urgent', checklist: [{ text: 'Kick-off' }, { text: 'Training' }], dueOffsetMinutes: 60 * 24 * 3, assigneeId: rep.userId });
      expect(created.statusCode, created.body).toBe(201);
      const template = created.json<TaskTemplate>();
      expect(template).toMatchObject({ name: 'Onboarding', assigneeName: 'Rita Rep', dueOffsetMinutes: 4320 });

      const fromTemplate = await as(t, admin)('POST', `/api/v1/task-templates/${template.id}/tasks`, { title: 'Onboard Acme' });
      expect(fromTemplate.statusCode, fromTemplate.body).toBe(201);
      expect(fromTemplate.json<Task>()).toMatchObject({ title: 'Onboard Acme', priority: 'urgent', ownerId: rep.userId, templateId: template.id, dueAt: inHours(72) });
      expect(fromTemplate.json<Task>().checklist.map((item) => item.text)).toEqual(['Kick-off', 'Training']);

      const viaBody = await create(admin, { title: 'Onboard Beta', templateId: template.id, priority: 'low' });
      expect(viaBody).toMatchObject({ priority: 'low', ownerId: rep.userId, templateId: template.id });

      expect((await as(t, rep)('GET', '/api/v1/task-templates')).json<{ items: TaskTemplate[] }>().items.map((item) => item.name)).toContain('Onboarding');
      // A rep may not change a template someone else made.
      expect((await as(t, rep)('PATCH', `/api/v1/task-templates/${template.id}`, { name: 'Mine now', version: 1 })).statusCode).toBe(403);
      const stale = await as(t, admin)('PATCH', `/api/v1/task-templates/${template.id}`, { name: 'Renamed', version: 9 });
      expect(stale.statusCode).toBe(409);
      const badAssignee = await problem(admin, 'POST', '/api/v1/task-templates', { name: 'x', title: 'x', assigneeId: '01890000-0000-7000-8000-000000000000' });
      expect([badAssignee.status, paths(badAssignee)]).toEqual([400, ['/body/assigneeId']]);
      expect((await as(t, admin)('POST', '/api/v1/tasks', { title: 'x', templateId: '01890000-0000-7000-8000-000000000000' })).statusCode).toBe(400);
    });
  });

  describe('who sees and changes whose tasks', () => {
    it('a rep with own scope cannot read, list, change, delete or comment on a colleague’s task', async () => {
      const task = await create(otherRep, { title: 'Oleg’s private task' });
      expect((await as(t, rep)('GET', `/api/v1/tasks/${task.id}`)).statusCode).toBe(404);
      expect((await list(rep, '?view=all')).items.map((item) => item.id)).not.toContain(task.id);
      expect((await as(t, rep)('PATCH', `/api/v1/tasks/${task.id}`, { title: 'Mine', version: 1 })).statusCode).toBe(404);
      expect((await as(t, rep)('DELETE', `/api/v1/tasks/${task.id}`)).statusCode).toBe(404);
      expect((await as(t, rep)('POST', `/api/v1/tasks/${task.id}/comments`, { body: 'hi' })).statusCode).toBe(404);
      expect((await as(t, rep)('GET', `/api/v1/tasks/${task.id}/comments`)).statusCode).toBe(404);
      expect((await as(t, otherRep)('GET', `/api/v1/tasks/${task.id}`)).json<Task>().title).toBe('Oleg’s private task');
    });

    it('a rep cannot give a task to a colleague (assign scope own), but a manager of the team can', async () => {
      const refused = await problem(rep, 'POST', '/api/v1/tasks', { title: 'For Oleg', ownerId: otherRep.userId });
      expect([refused.status, refused.code]).toEqual([403, 'forbidden']);
      const mine = await create(rep, { title: 'Mine to pass on' });
      expect((await as(t, rep)('PATCH', `/api/v1/tasks/${mine.id}`, { ownerId: otherRep.userId, version: 1 })).statusCode).toBe(403);
    });

    it('co-executors and watchers read and comment, co-executors tick the checklist, neither edits', async () => {
      const contact = (await as(t, otherRep)('POST', '/api/v1/contacts', { firstName: 'Olga', lastName: 'Secret' })).json<{ id: string }>();
      const task = await create(otherRep, {
        title: 'Shared work',
        subject: { type: 'contact', id: contact.id },
        checklist: [{ text: 'Step one' }],
        members: [
          { userId: rep.userId, role: 'watcher' },
          { userId: admin.userId, role: 'co_executor' },
        ],
      });
      const seen = await as(t, rep)('GET', `/api/v1/tasks/${task.id}`);
      expect(seen.statusCode).toBe(200);
      expect(seen.json<Task>().can).toEqual({ update: false, delete: false, comment: true });
      // The watcher may not read the contact: they see what the task is about, not whom.
      expect(seen.json<Task>().subject).toEqual({ type: 'contact', id: contact.id, title: null });
      expect((await as(t, otherRep)('GET', `/api/v1/tasks/${task.id}`)).json<Task>().subject?.title).toBe('Olga Secret');
      expect((await list(rep, '?view=watching')).items.map((item) => item.id)).toContain(task.id);
      expect((await list(rep, '?view=all')).items.map((item) => item.id)).toContain(task.id);
      expect((await list(rep, '?view=mine')).items.map((item) => item.id)).not.toContain(task.id);

      const comment = await as(t, rep)('POST', `/api/v1/tasks/${task.id}/comments`, { body: 'Looks good' });
      expect(comment.statusCode, comment.body).toBe(201);
      expect(comment.json<TaskComment>()).toMatchObject({ body: 'Looks good', authorId: rep.userId, authorName: 'Rita Rep' });
      expect((await as(t, otherRep)('GET', `/api/v1/tasks/${task.id}/comments`)).json<{ items: TaskComment[] }>().items.map((c) => c.body)).toEqual(['Looks good']);
      // The assignee and the co-executor hear about it; the writer does not.
      expect((await notifications(otherRep)).find((n) => n.kind === 'task_comment' && n.link === `/tasks/${task.id}`)?.params).toMatchObject({ by: 'Rita Rep', comment: 'Looks good' });
      expect((await notifications(admin)).some((n) => n.kind === 'task_comment' && n.link === `/tasks/${task.id}`)).toBe(true);
      expect((await notifications(rep)).some((n) => n.kind === 'task_comment' && n.link === `/tasks/${task.id}`)).toBe(false);

      expect((await as(t, rep)('PATCH', `/api/v1/tasks/${task.id}`, { title: 'Taken over', version: 1 })).statusCode).toBe(403);
      expect((await as(t, rep)('DELETE', `/api/v1/tasks/${task.id}`)).statusCode).toBe(403);
      expect((await as(t, rep)('PATCH', `/api/v1/tasks/${task.id}/checklist/${task.checklist[0]!.id}`, { done: true })).statusCode).toBe(403);
      // The admin can edit anyway (scope all); a co-executor with a narrow role could tick — shown with a second rep below.
      const coRep = await addUser(t, admin, { role: 'Sales rep' });
      const withCo = await create(otherRep, { title: 'Pair work', checklist: [{ text: 'Half' }], members: [{ userId: coRep.userId, role: 'co_executor' }] });
      const tick = await as(t, coRep)('PATCH', `/api/v1/tasks/${withCo.id}/checklist/${withCo.checklist[0]!.id}`, { done: true });
      expect(tick.statusCode, tick.body).toBe(200);
      expect((await list(coRep, '?view=mine')).items.map((item) => item.id)).toContain(withCo.id);
      expect((await as(t, coRep)('PATCH', `/api/v1/tasks/${withCo.id}`, { title: 'x', version: tick.json<Task>().version })).statusCode).toBe(403);
    });

    it('a comment is deleted by its author or an editor of the task, audited; others may not', async () => {
      const watcher = await addUser(t, admin, { role: 'Sales rep', name: 'Wanda Watcher' });
      const stranger = await addUser(t, admin, { role: 'Sales rep' });
      const task = await create(rep, { title: 'Talk it through', members: [{ userId: watcher.userId, role: 'watcher' }] });
      const say = async (session: Session, body: string) => (await as(t, session)('POST', `/api/v1/tasks/${task.id}/comments`, { body })).json<TaskComment>();
      const fromWatcher = await say(watcher, 'Watcher here');
      const fromAssignee = await say(rep, 'Assignee here');
      const second = await say(watcher, 'Watcher again');
      expect([fromWatcher.canDelete, fromAssignee.canDelete]).toEqual([true, true]);
      // Each reader is told what they may delete: the watcher their own, the assignee (an editor) every one.
      const thread = async (session: Session) => (await as(t, session)('GET', `/api/v1/tasks/${task.id}/comments`)).json<{ items: TaskComment[] }>().items;
      expect((await thread(watcher)).map((c) => [c.body, c.canDelete])).toEqual([['Watcher here', true], ['Assignee here', false], ['Watcher again', true]]);
      expect((await thread(rep)).every((c) => c.canDelete)).toBe(true);

      expect((await as(t, watcher)('DELETE', `/api/v1/task-comments/${fromAssignee.id}`)).statusCode).toBe(403);
      expect((await as(t, stranger)('DELETE', `/api/v1/task-comments/${fromWatcher.id}`)).statusCode).toBe(404);
      expect((await as(t, watcher)('DELETE', '/api/v1/task-comments/01890000-0000-7000-8000-000000000000')).statusCode).toBe(404);
      expect((await as(t, watcher)('DELETE', '/api/v1/task-comments/nope')).statusCode).toBe(400);
      expect((await as(t, watcher)('DELETE', `/api/v1/task-comments/${fromWatcher.id}`)).statusCode).toBe(204);
      expect((await as(t, rep)('DELETE', `/api/v1/task-comments/${second.id}`)).statusCode).toBe(204);
      expect((await as(t, admin)('DELETE', `/api/v1/task-comments/${fromAssignee.id}`)).statusCode).toBe(204);
      expect((await as(t, admin)('DELETE', `/api/v1/task-comments/${fromAssignee.id}`)).statusCode).toBe(404);
      expect(await thread(rep)).toEqual([]);
      expect((await as(t, rep)('GET', `/api/v1/tasks/${task.id}`)).json<Task>().commentCount).toBe(0);

      const audit = (await as(t, admin)('GET', `/api/v1/audit?objectType=task&objectId=${task.id}&action=task.comment_delete`)).json<{ items: AuditEntry[] }>().items;
      expect(audit.map((entry) => [entry.actorId, entry.meta?.body])).toEqual([
        [admin.userId, 'Assignee here'],
        [rep.userId, 'Watcher again'],
        [watcher.userId, 'Watcher here'],
      ]);
    });

    it('the author keeps reading and editing a task they gave to someone else', async () => {
      const manager = await addUser(t, admin, { role: 'Sales manager', name: 'Mia Manager' });
      // A manager without a team can give tasks only to themselves: assign them to a team first.
      const team = (await as(t, admin)('POST', '/api/v1/teams', { name: 'Field sales' })).json<{ id: string }>();
      for (const session of [manager, rep]) {
        const user = (await as(t, admin)('GET', `/api/v1/users/${session.userId}`)).json<{ version: number }>();
        expect((await as(t, admin)('PATCH', `/api/v1/users/${session.userId}`, { teamId: team.id, version: user.version })).statusCode).toBe(200);
      }
      const task = await create(manager, { title: 'Visit the warehouse', ownerId: rep.userId, teamId: null });
      expect(task.ownerId).toBe(rep.userId);
      const edited = await as(t, manager)('PATCH', `/api/v1/tasks/${task.id}`, { dueAt: inHours(48), version: 1 });
      expect(edited.statusCode, edited.body).toBe(200);
      expect((await as(t, rep)('GET', `/api/v1/tasks/${task.id}`)).json<Task>().can.update).toBe(true);
      expect((await list(manager, '?view=created')).items.map((item) => item.id)).toContain(task.id);
    });
  });

  describe('recycle bin', () => {
    it('a deleted task waits in the recycle bin of those who may delete it, and comes back whole', async () => {
      const binRep = await addUser(t, admin, { role: 'Sales rep', name: 'Bea Bin' });
      const task = await create(binRep, { title: 'Renew the lease', dueAt: inHours(5), reminders: [{ beforeMinutes: 60 }], members: [{ userId: otherRep.userId, role: 'watcher' }] });
      expect((await as(t, binRep)('POST', `/api/v1/tasks/${task.id}/comments`, { body: 'Landlord called' })).statusCode).toBe(201);
      // Restoring a live task: there is nothing in the bin to bring back.
      expect((await as(t, binRep)('POST', `/api/v1/tasks/${task.id}/restore`)).statusCode).toBe(404);
      expect((await as(t, binRep)('DELETE', `/api/v1/tasks/${task.id}`)).statusCode).toBe(204);
      expect((await as(t, binRep)('GET', `/api/v1/tasks/${task.id}`)).statusCode).toBe(404);
      expect((await list(binRep, '?view=mine')).items.map((item) => item.id)).not.toContain(task.id);

      const bin = async (session: Session, query = '') => {
        const response = await as(t, session)('GET', `/api/v1/tasks/deleted${query}`);
        expect(response.statusCode, response.body).toBe(200);
        return response.json<{ items: DeletedTask[]; nextCursor: string | null }>();
      };
      expect((await bin(binRep)).items).toEqual([
        { id: task.id, title: 'Renew the lease', status: 'open', ownerId: binRep.userId, ownerName: 'Bea Bin', dueAt: task.dueAt, allDay: false, deletedAt: clock.now().toISOString(), deletedBy: binRep.userId, deletedByName: 'Bea Bin' },
      ]);
      expect((await bin(admin)).items.map((item) => item.id)).toContain(task.id);
      // The watcher read the task but may not delete it: not in their bin, and not theirs to restore.
      expect((await bin(otherRep)).items.map((item) => item.id)).not.toContain(task.id);
      expect((await as(t, otherRep)('POST', `/api/v1/tasks/${task.id}/restore`)).statusCode).toBe(403);
      // Someone who never saw it learns nothing.
      expect((await as(t, rep)('POST', `/api/v1/tasks/${task.id}/restore`)).statusCode).toBe(404);
      expect((await as(t, binRep)('GET', '/api/v1/tasks/deleted?cursor=bogus')).statusCode).toBe(400);
      expect((await as(t, binRep)('POST', '/api/v1/tasks/not-a-uuid/restore')).statusCode).toBe(400);

      const restored = await as(t, binRep)('POST', `/api/v1/tasks/${task.id}/restore`);
      expect(restored.statusCode, restored.body).toBe(200);
      const back = restored.json<Task>();
      expect(back).toMatchObject({ id: task.id, title: 'Renew the lease', deletedAt: null, commentCount: 1, version: task.version + 2 });
      expect(back.members.map((member) => member.userId)).toEqual([otherRep.userId]);
      expect(back.reminders.map((reminder) => [reminder.beforeMinutes, reminder.firedAt])).toEqual([[60, null]]);
      expect((await list(binRep, '?view=mine')).items.map((item) => item.id)).toContain(task.id);
      expect((await bin(binRep)).items).toEqual([]);
      expect((await as(t, binRep)('POST', `/api/v1/tasks/${task.id}/restore`)).statusCode).toBe(404);

      const audit = (await as(t, admin)('GET', `/api/v1/audit?objectType=task&objectId=${task.id}`)).json<{ items: AuditEntry[] }>().items;
      expect(audit.map((entry) => entry.action)).toEqual(['task.restore', 'task.delete', 'task.comment', 'task.create']);
      expect(audit[0]).toMatchObject({ actorId: binRep.userId, meta: { title: 'Renew the lease' } });
    });

    it('pages through the bin, most recently deleted first', async () => {
      const pager = await addUser(t, admin, { role: 'Sales rep' });
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const task = await create(pager, { title: `Old task ${i}` });
        clock.advance(1_000);
        expect((await as(t, pager)('DELETE', `/api/v1/tasks/${task.id}`)).statusCode).toBe(204);
        ids.push(task.id);
      }
      const first = (await as(t, pager)('GET', '/api/v1/tasks/deleted?limit=2')).json<{ items: DeletedTask[]; nextCursor: string }>();
      const second = (await as(t, pager)('GET', `/api/v1/tasks/deleted?limit=2&cursor=${first.nextCursor}`)).json<{ items: DeletedTask[]; nextCursor: string | null }>();
      expect([...first.items, ...second.items].map((item) => item.id)).toEqual([...ids].reverse());
      expect(second.nextCursor).toBeNull();
    });
  });

  describe('lists', () => {
    it('filters by status, priority and due, highlights overdue and pages without repeats', async () => {
      const lister = await addUser(t, admin, { role: 'Sales rep' });
      const overdue = await create(lister, { title: 'Late one', dueAt: inHours(-2), priority: 'urgent' });
      const today = await create(lister, { title: 'Later today', dueAt: inHours(3) });
      const nextWeek = await create(lister, { title: 'In five days', dueAt: inHours(24 * 5), priority: 'low' });
      const someday = await create(lister, { title: 'Someday' });
      const done = await create(lister, { title: 'Finished', dueAt: inHours(-5), status: 'done' });

      const all = await list(lister, '?view=mine');
      expect(all.items.map((item) => item.title)).toEqual(['Finished', 'Late one', 'Later today', 'In five days', 'Someday']);
      expect(all.items.find((item) => item.id === overdue.id)?.overdue).toBe(true);
      expect(all.items.find((item) => item.id === done.id)?.overdue).toBe(false);
      expect((await list(lister, '?view=mine&due=overdue')).items.map((item) => item.id)).toEqual([overdue.id]);
      expect((await list(lister, '?view=mine&due=today')).items.map((item) => item.id)).toEqual([done.id, overdue.id, today.id]);
      expect((await list(lister, '?view=mine&due=week')).items.map((item) => item.id)).toEqual([today.id, nextWeek.id]);
      expect((await list(lister, '?view=mine&due=none')).items.map((item) => item.id)).toEqual([someday.id]);
      expect((await list(lister, '?view=mine&status=active')).items).toHaveLength(4);
      expect((await list(lister, '?view=mine&status=done')).items.map((item) => item.id)).toEqual([done.id]);
      expect((await list(lister, '?view=mine&priority=low')).items.map((item) => item.id)).toEqual([nextWeek.id]);
      expect((await list(lister, '?view=mine&sort=priority')).items[0]!.id).toBe(overdue.id);
      expect((await list(lister, '?view=mine&sort=-due')).items.map((item) => item.id)[0]).toBe(someday.id);

      for (const sort of ['due', '-due', 'created', '-created', 'priority']) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const next: TaskPage = await list(lister, `?view=mine&limit=2&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`);
          seen.push(...next.items.map((item) => item.id));
          cursor = next.nextCursor;
        } while (cursor);
        expect(seen.sort(), sort).toEqual(all.items.map((item) => item.id).sort());
      }
      expect((await as(t, lister)('GET', '/api/v1/tasks?cursor=bogus')).statusCode).toBe(400);
      const forged = Buffer.from(JSON.stringify(['x', '2031-01-01T00:00:00.000Z', overdue.id])).toString('base64url');
      expect((await as(t, lister)('GET', `/api/v1/tasks?sort=priority&cursor=${forged}`)).statusCode).toBe(400);
    });
  });

  describe('settings and profile', () => {
    it('an administrator sets the escalation delay; a rep may not', async () => {
      expect((await as(t, admin)('GET', '/api/v1/settings/tasks')).json()).toEqual({ overdueEscalationHours: null });
      const set = await as(t, admin)('PATCH', '/api/v1/settings/tasks', { overdueEscalationHours: 4 });
      expect(set.statusCode, set.body).toBe(200);
      expect((await as(t, admin)('GET', '/api/v1/settings/tasks')).json()).toEqual({ overdueEscalationHours: 4 });
      expect((await as(t, rep)('PATCH', '/api/v1/settings/tasks', { overdueEscalationHours: 1 })).statusCode).toBe(403);
      expect((await as(t, admin)('PATCH', '/api/v1/settings/tasks', { overdueEscalationHours: -1 })).statusCode).toBe(400);
    });

    it('users choose per kind which notifications also come by e-mail', async () => {
      const me = (await as(t, rep)('GET', '/api/v1/auth/me')).json<{ user: { notifyEmail: Record<string, boolean> } }>();
      expect(me.user.notifyEmail).toEqual({ task_assigned: true, task_co_executor: true, task_watcher: true, task_reminder: true, activity_reminder: true, task_overdue: true, task_escalated: true, task_comment: false, export_unusual: true });
      const saved = await as(t, rep)('PATCH', '/api/v1/auth/me', { notifyEmail: { task_comment: true, task_assigned: false } });
      expect(saved.statusCode, saved.body).toBe(200);
      const after = (await as(t, rep)('GET', '/api/v1/auth/me')).json<{ user: { notifyEmail: Record<string, boolean> } }>();
      expect(after.user.notifyEmail).toMatchObject({ task_comment: true, task_assigned: false, task_reminder: true });
      expect((await as(t, rep)('PATCH', '/api/v1/auth/me', { notifyEmail: { nonsense: true } })).statusCode).toBe(400);
    });
  });
});
