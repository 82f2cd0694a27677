import type { ActivityBody, ActivityLinkInput, Locale, TaskBody } from '@rapport/shared';
import { accessScope, isInScope } from '../core/access-scope.js';
import type { Services } from '../services.js';
import type { DemoUser } from './demo-client-base.js';
import { DEMO_WORK_EN } from './demo-work-en.js';
import { DEMO_WORK_RU } from './demo-work-ru.js';
import type { DemoWork } from './demo-work.js';
import type { SeededClientBase } from './seed-client-base.js';

const WORK: Record<Locale, DemoWork> = { en: DEMO_WORK_EN, ru: DEMO_WORK_RU };

/** Whom a user brings to a meeting: their manager (the head of sales brings the administrator). */
const BRINGS: Record<DemoUser, DemoUser> = {
  admin: 'head',
  head: 'admin',
  managerMsk: 'head',
  repMsk1: 'managerMsk',
  repMsk2: 'managerMsk',
  managerSpb: 'head',
  repSpb: 'managerSpb',
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Local midnight of `now`'s day in the workspace's time zone, and that zone's offset from UTC. */
function localDay(now: Date, timezone: string): { midnight: number; offset: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(now)
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  const localAsUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  const offset = localAsUtc - Math.floor(now.getTime() / 1000) * 1000;
  return { midnight: Date.UTC(parts.year!, parts.month! - 1, parts.day!) - offset, offset };
}

/**
 * The base at work: calls, meetings, e-mails and SMS of the past weeks and a few planned ones, logged by the records'
 * owners on their contacts and the contacts' companies; a few contacts last reached months ago (base rotation lists
 * them); and the team's tasks — overdue, due today and this week, done, repeating, with checklists, members and a reminder.
 * Every time is relative to `now`, so the demo looks lived-in whenever it is seeded.
 */
export async function seedWork(services: Services, base: SeededClientBase, userIds: Record<DemoUser, string>, locale: Locale, timezone: string, now: Date): Promise<void> {
  const work = WORK[locale];
  const { as, contacts, companies } = base;
  const { midnight } = localDay(now, timezone);
  /** A time `day` days from today (negative: ago) at `hour` o'clock in the workspace's time zone. */
  const at = (day: number, hour: number): Date => new Date(midnight + day * DAY + hour * HOUR);

  const linksOf = (entry: SeededClientBase['contacts'][number]): ActivityLinkInput[] => {
    const scope = accessScope(as[entry.owner].actor, 'company', 'read');
    const visible = entry.companyKeys.map((key) => companies.get(key)!).filter((company) => isInScope(scope, company));
    return [{ object: 'contact', id: entry.contact.id }, ...visible.slice(0, 1).map((company) => ({ object: 'company' as const, id: company.id }))];
  };
  const log = async (entry: SeededClientBase['contacts'][number], body: Omit<ActivityBody, 'links'>) => {
    await services.activity.create(as[entry.owner], { ...body, links: linksOf(entry) });
  };

  // Contacts nobody has written a note on; every fifth of them was last called months ago and has been idle since.
  const quiet = contacts.filter((c) => !c.hasNotes);
  const stale = quiet.filter((_, i) => i % 5 === 2);
  const active = contacts.filter((c) => !stale.includes(c));
  for (const [i, entry] of stale.entries()) {
    const text = work.staleCall;
    await log(entry, {
      kind: 'call',
      subject: text.subject,
      body: text.body,
      direction: 'outbound',
      phone: entry.contact.phones[0]?.number ?? null,
      startsAt: at(-95 - i * 11, 11 + (i % 5)).toISOString(),
      durationSec: 120 + i * 45,
      result: 'answered',
    });
  }

  // The activities come in pairs of one story (a missed call and the call back, an offer and its reply), each pair with
  // one of fifteen contacts the team is working with.
  const worked = active.filter((c) => c.contact.phones.length > 0).slice(0, 15);
  for (const [i, item] of work.activities.entries()) {
    const entry = worked[Math.floor(i / 2) % worked.length]!;
    const startsAt = at(item.day, item.hour);
    const phone = entry.contact.phones[0]?.number ?? null;
    const email = entry.contact.emails[0]?.email;
    switch (item.kind) {
      case 'call':
        await log(entry, {
          kind: 'call',
          subject: item.subject,
          body: item.body,
          direction: item.direction ?? 'outbound',
          phone,
          startsAt: startsAt.toISOString(),
          ...(item.day < 0 ? { durationSec: item.durationSec ?? 0, result: item.result ?? 'answered' } : {}),
        });
        break;
      case 'meeting':
        await log(entry, {
          kind: 'meeting',
          subject: item.subject,
          body: item.body,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + (item.durationSec ?? 3600) * 1000).toISOString(),
          place: item.place ?? null,
          participantIds: [userIds[BRINGS[entry.owner]]],
        });
        break;
      case 'email':
        await log(entry, {
          kind: 'email',
          subject: item.subject,
          body: item.body,
          direction: item.direction ?? 'outbound',
          occurredAt: startsAt.toISOString(),
          ...(email ? (item.direction === 'inbound' ? { emailFrom: email } : { emailTo: [email] }) : {}),
        });
        break;
      case 'sms':
        await log(entry, { kind: 'sms', body: item.body, direction: item.direction ?? 'outbound', phone: phone!, occurredAt: startsAt.toISOString() });
        break;
    }
  }

  const ownContact = (owner: DemoUser, n: number) => {
    const own = active.filter((c) => c.owner === owner);
    return own.length > 0 ? own[n % own.length]! : active[n % active.length]!;
  };
  const endOfToday = midnight + DAY - 60_000;
  let todayCount = 0;
  for (const [i, task] of work.tasks.entries()) {
    const linked = task.subject ? ownContact(task.owner, i) : null;
    const companyKey = linked?.companyKeys[0];
    const subject: TaskBody['subject'] =
      task.subject === 'company' && companyKey && isInScope(accessScope(as[task.owner].actor, 'company', 'read'), companies.get(companyKey)!)
        ? { type: 'company', id: companies.get(companyKey)!.id }
        : linked
          ? { type: 'contact', id: linked.contact.id }
          : null;
    // Today's tasks fall due in the coming hours (on the half hour), never past the end of today.
    const dueAt = task.due === 'today' ? new Date(Math.min(endOfToday, Math.ceil((now.getTime() + (1 + todayCount++) * HOUR) / (HOUR / 2)) * (HOUR / 2))) : at(task.due, task.hour ?? 12);
    await services.task.create(as[task.owner], {
      title: task.title,
      description: task.description ?? null,
      priority: task.priority ?? 'normal',
      status: task.status ?? 'open',
      dueAt: dueAt.toISOString(),
      subject,
      checklist: task.checklist?.map((text, n) => ({ text, done: task.status === 'done' || n < (task.checked ?? 0) })) ?? [],
      members: task.members?.map((m) => ({ userId: userIds[m.user], role: m.role })) ?? [],
      ...(task.reminderBeforeMinutes ? { reminders: [{ beforeMinutes: task.reminderBeforeMinutes }] } : {}),
      ...(task.recurrence ? { recurrence: { rule: task.recurrence } } : {}),
    });
  }
}
