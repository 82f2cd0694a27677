import type { CalendarItem, CalendarItemKind } from '@rapport/shared';

/** Each kind its own colour, the same in the calendar, its legend and the filters. */
export const KIND_COLORS: Record<CalendarItemKind, { mantine: string; background: string; border: string; text: string }> = {
  task: { mantine: 'indigo', background: '#dbe4ff', border: '#4c6ef5', text: '#233289' },
  call: { mantine: 'teal', background: '#c3fae8', border: '#12b886', text: '#085041' },
  meeting: { mantine: 'orange', background: '#ffe8cc', border: '#f76707', text: '#7c2d00' },
};

const MINUTE = 60_000;

export interface CalendarEvent {
  id: string;
  title: string;
  start: string;
  end?: string;
  allDay: boolean;
  startEditable: boolean;
  durationEditable: boolean;
  backgroundColor: string;
  borderColor: string;
  textColor: string;
  classNames: string[];
  extendedProps: { item: CalendarItem };
}

/**
 * An item as FullCalendar draws it. Only what the reader may change can be dragged; a call's length comes from its
 * duration and a task without a start is a point in time, so neither can be stretched. A repeating task's future
 * occurrence (projected, not a task yet) is drawn lighter and never moves; its series' id repeats, so its start tells it apart.
 */
export function toEvent(item: CalendarItem, untitled: string): CalendarEvent {
  const color = KIND_COLORS[item.kind];
  const stretchable = item.kind === 'meeting' || (item.kind === 'task' && item.end !== null);
  const editable = item.editable && !item.projected;
  return {
    id: item.projected ? `occurrence:${item.id}:${item.start}` : `${item.kind}:${item.id}`,
    title: item.title || untitled,
    start: item.start,
    ...(item.end ? { end: item.end } : {}),
    allDay: item.allDay,
    startEditable: editable,
    durationEditable: editable && stretchable && !item.allDay,
    backgroundColor: color.background,
    borderColor: item.overdue ? '#e03131' : color.border,
    textColor: color.text,
    classNames: [`rapport-${item.kind}`, ...(item.overdue ? ['rapport-overdue'] : []), ...(item.status === 'done' ? ['rapport-done'] : []), ...(item.projected ? ['rapport-projected'] : [])],
    extendedProps: { item },
  };
}

/** End of the local day of `date` (an all-day task is due by then, so it is not overdue while its day lasts). */
export function endOfLocalDay(date: Date): Date {
  const end = new Date(date);
  end.setHours(23, 59, 0, 0);
  return end;
}

/**
 * The owner's PATCH for an item dragged or stretched to `start`–`end`: tasks move their start and due time together,
 * calls their start, meetings their slot. The version travels along, so a change made meanwhile is a conflict.
 */
export function reschedulePatch(item: CalendarItem, start: Date, end: Date | null, allDay: boolean): { path: string; body: Record<string, unknown> } {
  const length = item.end ? Date.parse(item.end) - Date.parse(item.start) : 0;
  const newEnd = end ?? new Date(start.getTime() + length);
  if (item.kind === 'task') {
    const dueAt = allDay ? endOfLocalDay(item.end ? newEnd : start) : item.end ? newEnd : start;
    return { path: `/tasks/${item.id}`, body: { ...(item.end ? { startAt: start.toISOString() } : {}), dueAt: dueAt.toISOString(), allDay, version: item.version } };
  }
  if (item.kind === 'call') return { path: `/activities/${item.id}`, body: { startsAt: start.toISOString(), version: item.version } };
  const meetingEnd = newEnd.getTime() > start.getTime() ? newEnd : new Date(start.getTime() + 60 * MINUTE);
  return { path: `/activities/${item.id}`, body: { startsAt: start.toISOString(), endsAt: meetingEnd.toISOString(), version: item.version } };
}
