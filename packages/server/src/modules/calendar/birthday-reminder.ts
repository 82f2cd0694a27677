import type { Db } from '../../infra/db.js';
import { notify } from '../notification/notification.service.js';
import { advanceBirthdayReminder, birthdaysForOwners, claimDueBirthdayReminders, nextBirthdayReminderAt } from './calendar.repository.js';
import { daysBetween } from './zoned-time.js';
import { monthDaysFrom } from './calendar.service.js';
import { nextCelebration } from '@rapport/shared';

/** Names listed in one reminder at most; the rest are "and N more" in the web's text. */
const NAMES_SHOWN = 5;
/** A timer fired more than this after its time was late (the server was down). */
const LATE_MS = 60_000;

/**
 * The daily birthday reminder, a due-timer handler: at 09:00 in each workspace's time zone, every owner of contacts
 * celebrating that day gets one notification naming them (linking to the contact when there is one). Claimed rows are
 * locked (SKIP LOCKED) and moved to the next 09:00 in the same transaction, so it fires once however many processes run;
 * days missed while the server was down are announced when it comes back, marked late. Returns how many workspaces fired.
 */
export async function fireBirthdayReminders(db: Db, now: Date, limit = 20): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const due = await claimDueBirthdayReminders(trx, now, limit);
    for (const reminder of due) {
      const monthDays = monthDaysFrom(reminder.first_day, daysBetween(reminder.first_day, reminder.last_day));
      const contacts = (await birthdaysForOwners(trx, reminder.workspace_id, monthDays)).filter((contact) => {
        // Month-days include 29 February's stand-in; keep only celebrations that fall in the announced days.
        const next = nextCelebration(contact.birthday, reminder.first_day);
        return next.date <= reminder.last_day;
      });
      const byOwner = new Map<string, typeof contacts>();
      for (const contact of contacts) byOwner.set(contact.owner_id, [...(byOwner.get(contact.owner_id) ?? []), contact]);
      for (const [ownerId, mine] of byOwner) {
        const only = mine.length === 1 ? mine[0] : undefined;
        await notify(trx, {
          workspaceId: reminder.workspace_id,
          userId: ownerId,
          kind: 'birthday',
          messageKey: 'birthdays.notification',
          params: { count: mine.length, names: mine.slice(0, NAMES_SHOWN).map((contact) => contact.name).join(', '), more: Math.max(0, mine.length - NAMES_SHOWN) },
          link: only ? `/contacts/${only.id}` : '/',
        });
      }
      await advanceBirthdayReminder(trx, reminder.workspace_id, now, reminder.last_day, now.getTime() - reminder.fire_at.getTime() > LATE_MS);
    }
    return due.length;
  });
}

/** When the next birthday reminder is due (the timer loop sleeps until its earliest timer). */
export function nextBirthdayReminder(db: Db): Promise<Date | null> {
  return nextBirthdayReminderAt(db);
}
