import type { TaskMemberRole, TaskPriority, TaskStatus } from '@rapport/shared';
import type { DemoUser } from './demo-client-base.js';

/**
 * One logged interaction; the seeder picks the contact (and links its company) and the owner logs it. `day` counts from
 * today (negative: days ago; positive: planned), `hour` is the local time of the workspace.
 */
export interface DemoActivity {
  kind: 'call' | 'meeting' | 'email' | 'sms';
  day: number;
  hour: number;
  subject?: string;
  body: string;
  direction?: 'inbound' | 'outbound';
  /** A call's length, a meeting's length (default an hour). */
  durationSec?: number;
  /** A past call's outcome: answered, no_answer, busy, voicemail. */
  result?: string;
  place?: string;
}

export interface DemoTask {
  title: string;
  description?: string;
  owner: DemoUser;
  /** Days from today (negative: overdue or done late), or 'today' for a few hours from now. */
  due: number | 'today';
  hour?: number;
  priority?: TaskPriority;
  status?: TaskStatus;
  /** Linked to one of the owner's contacts, or that contact's company. */
  subject?: 'contact' | 'company';
  checklist?: string[];
  /** How many of the checklist's first items are ticked (all of them on a done task). */
  checked?: number;
  members?: { user: DemoUser; role: TaskMemberRole }[];
  reminderBeforeMinutes?: number;
  /** An RRULE read from the due time. */
  recurrence?: string;
}

/** One language's activities and tasks of the demo workspace. */
export interface DemoWork {
  /** The last call to the contacts left idle for months. */
  staleCall: { subject: string; body: string };
  activities: DemoActivity[];
  tasks: DemoTask[];
}
