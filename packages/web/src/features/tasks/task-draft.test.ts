import type { Task } from '@rapport/shared';
import { describe, expect, it } from 'vitest';
import { buildTaskBody, buildUpdateBody, draftErrors, draftOfTask, fieldOfPath, isOverdue, newTaskDraft, taskMessageKey, withAllDay } from './task-draft';

const ME = '0190a000-0000-7000-8000-000000000001';
const CONTACT = { type: 'contact' as const, id: '0190a000-0000-7000-8000-000000000002' };
const NOW = new Date(2031, 2, 10, 14, 25);

const task: Task = {
  id: '0190a000-0000-7000-8000-000000000003',
  title: 'Call Clara',
  description: null,
  status: 'open',
  priority: 'normal',
  ownerId: ME,
  ownerName: 'Me',
  teamId: null,
  startAt: null,
  dueAt: new Date(2031, 2, 11, 10, 0).toISOString(),
  allDay: false,
  completedAt: null,
  overdue: false,
  subject: { ...CONTACT, title: 'Clara' },
  checklist: [{ id: '0190a000-0000-7000-8000-000000000004', text: 'Prepare', done: false }],
  members: [],
  reminders: [{ id: '0190a000-0000-7000-8000-000000000005', userId: ME, fireAt: new Date(2031, 2, 11, 9, 45).toISOString(), beforeMinutes: 15, firedAt: null, late: false }],
  recurrence: { seriesId: '0190a000-0000-7000-8000-000000000006', rule: 'FREQ=WEEKLY', timezone: 'UTC', nextOccurrenceAt: null, endedAt: null },
  templateId: null,
  commentCount: 0,
  can: { update: true, delete: true, comment: true },
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  createdBy: ME,
  createdByName: 'Me',
  updatedBy: ME,
  deletedAt: null,
  version: 3,
};

describe('task forms', () => {
  it('starts a task from a card about its record, due in two hours on the hour', () => {
    const draft = newTaskDraft({ ownerId: ME, subject: CONTACT, now: NOW });
    expect(draft).toMatchObject({ ownerId: ME, subject: CONTACT, dueAt: '2031-03-10T16:00', recurrence: null, reminders: [] });
  });

  it('sends what the form holds, with reminders as minutes before or a time', () => {
    const draft = { ...newTaskDraft({ ownerId: ME, subject: CONTACT, now: NOW }), title: '  Send offer ', checklist: [{ text: 'Draft', done: false }, { text: ' ', done: false }], reminders: [{ kind: 'before' as const, minutes: 60 }, { kind: 'at' as const, at: '2031-03-10T15:00' }], recurrence: 'FREQ=DAILY' };
    expect(draftErrors(draft, NOW)).toEqual({});
    const body = buildTaskBody(draft);
    expect(body).toMatchObject({ title: 'Send offer', subject: CONTACT, checklist: [{ text: 'Draft', done: false }], recurrence: { rule: 'FREQ=DAILY' } });
    expect(body.reminders).toEqual([{ beforeMinutes: 60 }, { fireAt: new Date(2031, 2, 10, 15, 0).toISOString() }]);
  });

  it('catches a due time before the start, a repeat without due time and reminders in the past', () => {
    const draft = newTaskDraft({ ownerId: ME, now: NOW });
    expect(draftErrors({ ...draft, title: '' }, NOW)).toEqual({ title: 'fieldErrors.required' });
    expect(draftErrors({ ...draft, title: 'x', startAt: '2031-03-10T17:00' }, NOW)).toEqual({ dueAt: 'tasks.errors.dueBeforeStart' });
    expect(draftErrors({ ...draft, title: 'x', dueAt: '', recurrence: 'FREQ=DAILY' }, NOW)).toEqual({ dueAt: 'tasks.errors.repeatNeedsDue' });
    expect(draftErrors({ ...draft, title: 'x', reminders: [{ kind: 'before', minutes: 24 * 60 }] }, NOW)).toEqual({ reminders: 'tasks.errors.reminderInPast' });
    expect(draftErrors({ ...draft, title: 'x', dueAt: '', reminders: [{ kind: 'before', minutes: 5 }] }, NOW)).toEqual({ reminders: 'tasks.errors.reminderNeedsDue' });
  });

  it('edits send only what changed, the version, and the rule so the series follows', () => {
    const draft = draftOfTask(task);
    expect(draft.reminders).toEqual([{ kind: 'before', minutes: 15 }]);
    expect(buildUpdateBody(draft, task)).toEqual({ version: 3 });
    expect(buildUpdateBody({ ...draft, title: 'Call Clara back' }, task)).toEqual({ title: 'Call Clara back', recurrence: { rule: 'FREQ=WEEKLY' }, version: 3 });
    expect(buildUpdateBody({ ...draft, recurrence: null }, task)).toEqual({ recurrence: null, version: 3 });
  });

  it('makes a task all day: whole days from the first day’s start to the last day’s end, kept on save', () => {
    const draft = { ...newTaskDraft({ ownerId: ME, now: NOW }), title: 'Stocktaking', startAt: '2031-03-11T09:30' };
    const allDay = withAllDay(draft, true, NOW);
    expect(allDay).toMatchObject({ allDay: true, startAt: '2031-03-11T00:00', dueAt: '2031-03-10T23:59' });
    expect(withAllDay({ ...draft, startAt: '', dueAt: '' }, true, NOW)).toMatchObject({ startAt: '', dueAt: '2031-03-10T23:59' });
    expect(withAllDay(allDay, false, NOW)).toMatchObject({ allDay: false, startAt: '2031-03-11T00:00', dueAt: '2031-03-10T23:59' });
    // A time left in the fields (a template's due time) does not survive: the body carries whole days.
    const body = buildTaskBody({ ...allDay, startAt: '2031-03-09T10:15', dueAt: '2031-03-12T16:00' });
    expect(body).toMatchObject({ allDay: true, startAt: new Date(2031, 2, 9, 0, 0).toISOString(), dueAt: new Date(2031, 2, 12, 23, 59).toISOString() });
    expect(draftErrors({ ...allDay, dueAt: '' }, NOW)).toEqual({ dueAt: 'tasks.errors.allDayNeedsDue' });
    expect(buildUpdateBody(withAllDay(draftOfTask(task), true, NOW), task)).toEqual({ dueAt: new Date(2031, 2, 11, 23, 59).toISOString(), allDay: true, recurrence: { rule: 'FREQ=WEEKLY' }, version: 3 });
    expect(taskMessageKey('an all-day task needs a due date')).toBe('tasks.errors.allDayNeedsDue');
    expect(fieldOfPath('/body/allDay')).toBe('allDay');
  });

  it('places server errors beside their fields and words them', () => {
    expect(fieldOfPath('/body/reminders/0/fireAt')).toBe('reminders');
    expect(fieldOfPath('/body/recurrence/rule')).toBe('recurrence');
    expect(fieldOfPath('/body/subject/id')).toBe('subject');
    expect(fieldOfPath('/query/limit')).toBeNull();
    expect(taskMessageKey('never occurs: no date matches the rule within five years')).toBe('tasks.errors.neverOccurs');
    expect(taskMessageKey('too frequent: repeat at most hourly')).toBe('tasks.errors.tooFrequent');
    expect(taskMessageKey('the reminder is in the past')).toBe('tasks.errors.reminderInPast');
    expect(taskMessageKey('something else')).toBeNull();
  });

  it('calls a task overdue only while it is still to do', () => {
    expect(isOverdue({ dueAt: '2031-03-10T10:00:00Z', status: 'open' }, NOW)).toBe(true);
    expect(isOverdue({ dueAt: '2031-03-10T10:00:00Z', status: 'done' }, NOW)).toBe(false);
    expect(isOverdue({ dueAt: null, status: 'open' }, NOW)).toBe(false);
  });
});
