import { nextCelebration } from '@rapport/shared';
import type { Executor, Tx } from '../../infra/db.js';
import { notify } from '../notification/notification.service.js';
import { advanceBirthdayReminder, birthdaysForOwners, claimDueBirthdayReminders, nextBirthdayReminderAt } from './calendar.repository.js';
import { monthDaysFrom } from './calendar.service.js';
import { daysBetween } from './zoned-time.js';

/** Names listed in one reminder at most. */
const NAMES_SHOWN = 5;
/** The first names and, past them, how many more ("Ann, Bob +3"), readable in any language. */
function namesOf(contacts: { name: string }[]): string {
  const shown = contacts.slice(0, NAMES_SHOWN).map((contact) => contact.name).join(', ');
  return contacts.length > NAMES_SHOWN ? `${shown} +${contacts.length - NAMES_SHOWN}` : shown;
}

/** A timer fired more than this after its time was late (the server was down). */
const LATE_MS = 60_000;

/**
 * The daily birthday reminder, one kind of due timer (the shape jobs/due-scheduler.ts runs: fireDue, discardFirst, nextAt):
 * at 09:00 in each workspace's time zone, every owner of contacts celebrating that day gets one notification naming them
 * (linking to the contact when there is one). Due rows are claimed with SKIP LOCKED and moved to the next 09:00 in the
 * caller's transaction, so it fires once however many processes run; days missed while the server was down are
 * announced when it comes back, marked late.
 */
export const birthdayReminders = {
  name: 'birthday-reminder',

  async fireDue(trx: Tx, now: Date, limit: number): Promise<number> {
    const due = await claimDueBirthdayReminders(trx, now, limit);
    for (const reminder of due) {
      const monthDays = monthDaysFrom(reminder.first_day, daysBetween(reminder.first_day, reminder.last_day));
      // Month-days include 29 February's stand-in; keep only celebrations that fall in the announced days.
      const contacts = (await birthdaysForOwners(trx, reminder.workspace_id, monthDays)).filter((contact) => nextCelebration(contact.birthday, reminder.first_day).date <= reminder.last_day);
      const byOwner = new Map<string, typeof contacts>();
      for (const contact of contacts) byOwner.set(contact.owner_id, [...(byOwner.get(contact.owner_id) ?? []), contact]);
      for (const [ownerId, mine] of byOwner) {
        const only = mine.length === 1 ? mine[0] : undefined;
        await notify(trx, {
          workspaceId: reminder.workspace_id,
          userId: ownerId,
          kind: 'birthday',
          messageKey: 'birthdays.notification',
          params: { count: mine.length, names: namesOf(mine), more: Math.max(0, mine.length - NAMES_SHOWN) },
          link: only ? `/contacts/${only.id}` : '/',
        });
      }
      await advanceBirthdayReminder(trx, reminder.workspace_id, now, reminder.last_day, now.getTime() - reminder.fire_at.getTime() > LATE_MS);
    }
    return due.length;
  },

  /** Moves the earliest due reminder on without announcing (the loop's way past one that keeps failing). */
  async discardFirst(trx: Tx, now: Date): Promise<string | undefined> {
    const [first] = await claimDueBirthdayReminders(trx, now, 1);
    if (!first) return undefined;
    await advanceBirthdayReminder(trx, first.workspace_id, now, first.last_day, true);
    return first.workspace_id;
  },

  nextAt(ex: Executor): Promise<Date | null> {
    return nextBirthdayReminderAt(ex);
  },
};
