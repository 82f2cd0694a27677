import type { CalendarItem } from '@rapport/shared';
import { describe, expect, it } from 'vitest';
import { reschedulePatch, toEvent } from './calendar-events';

const base: CalendarItem = {
  kind: 'meeting',
  id: '0190a000-0000-7000-8000-000000000001',
  title: 'Demo',
  start: '2026-11-18T10:00:00.000Z',
  end: '2026-11-18T11:30:00.000Z',
  allDay: false,
  status: 'planned',
  priority: null,
  overdue: false,
  ownerId: '0190a000-0000-7000-8000-000000000002',
  ownerName: 'Ann',
  place: null,
  subject: null,
  editable: true,
  version: 4,
};

describe('calendar events', () => {
  it('moves a meeting keeping its length when dropped on another day', () => {
    expect(reschedulePatch(base, new Date('2026-11-20T10:00:00.000Z'), null, false)).toEqual({
      path: `/activities/${base.id}`,
      body: { startsAt: '2026-11-20T10:00:00.000Z', endsAt: '2026-11-20T11:30:00.000Z', version: 4 },
    });
  });

  it('moves a call by its start only, and a task without a start by its due time', () => {
    expect(reschedulePatch({ ...base, kind: 'call', end: null }, new Date('2026-11-19T09:00:00.000Z'), null, false).body).toEqual({ startsAt: '2026-11-19T09:00:00.000Z', version: 4 });
    expect(reschedulePatch({ ...base, kind: 'task', end: null }, new Date('2026-11-19T09:00:00.000Z'), null, false)).toEqual({
      path: `/tasks/${base.id}`,
      body: { dueAt: '2026-11-19T09:00:00.000Z', allDay: false, version: 4 },
    });
  });

  it('moves a task with a start by both ends', () => {
    expect(reschedulePatch({ ...base, kind: 'task' }, new Date('2026-11-19T09:00:00.000Z'), new Date('2026-11-19T12:00:00.000Z'), false).body).toEqual({
      startAt: '2026-11-19T09:00:00.000Z',
      dueAt: '2026-11-19T12:00:00.000Z',
      allDay: false,
      version: 4,
    });
  });

  it('lets only what the reader may change be dragged, and stretched only where a length means something', () => {
    expect(toEvent({ ...base, editable: false }, '—')).toMatchObject({ startEditable: false, durationEditable: false });
    expect(toEvent(base, '—')).toMatchObject({ startEditable: true, durationEditable: true });
    expect(toEvent({ ...base, kind: 'call', end: null, title: '' }, 'Call')).toMatchObject({ title: 'Call', durationEditable: false });
    expect(toEvent({ ...base, kind: 'task', end: null, overdue: true }, '—').classNames).toContain('rapport-overdue');
  });

  it('draws a repeating task’s future occurrence apart (its own id per start, a lighter style) and never lets it move', () => {
    const occurrence = { ...base, kind: 'task' as const, editable: true, projected: true as const, seriesId: base.id };
    const event = toEvent(occurrence, '—');
    expect(event).toMatchObject({ id: `occurrence:${base.id}:${base.start}`, startEditable: false, durationEditable: false });
    expect(event.classNames).toContain('rapport-projected');
    expect(toEvent({ ...occurrence, start: '2027-02-01T09:00:00.000Z' }, '—').id).not.toBe(event.id);
  });
});
