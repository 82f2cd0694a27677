// Tasks 1. From a contact's card, a repeating task ("every quarter on the 1st") with a checklist and a reminder: a
// reminder in the past is refused beside the field; the rule reads in words with its next dates. The task is in the
// list (marked as repeating) and on the card; in its drawer the checklist is ticked item by item and the task
// completed. An overdue task is highlighted in the list, and the due-timer loop rings the bell for it. E-mail
// notifications are chosen in the profile; the escalation delay in Settings › Tasks.
import { ADMIN, apiIn, assert, navOf, pageAs } from './lib.mjs';
import { choose } from './client-base-1-companies.spec.mjs';

const pad = (n) => String(n).padStart(2, '0');
/** A `datetime-local` value in the browser's zone. */
const local = (date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;

export default async function recurringTaskSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  const contact = await apiIn(page, 'POST', '/contacts', { firstName: 'Happy', lastName: 'Hogan' });

  await page.goto(`${baseUrl}/contacts/${contact.id}`);
  await page.getByRole('heading', { name: 'Happy Hogan', level: 1 }).waitFor();
  const panel = page.getByRole('region', { name: 'Tasks' });
  await panel.getByText('No open tasks about this record.').waitFor();
  await panel.getByRole('button', { name: 'New task' }).click();

  const modal = page.getByRole('dialog', { name: 'New task' });
  // The record is filled in from the card.
  await modal.getByRole('combobox', { name: 'Record' }).and(modal.locator('[value="Happy Hogan"]')).waitFor();
  await modal.getByRole('textbox', { name: 'Task', exact: true }).fill('Quarterly review with Happy');
  const due = new Date();
  due.setDate(due.getDate() + 1);
  due.setHours(10, 0, 0, 0);
  await modal.getByLabel('Due', { exact: true }).fill(local(due));
  await choose(page, modal, 'Priority', 'High');
  for (const [index, text] of ['Collect the numbers', 'Book the meeting room'].entries()) {
    await modal.getByRole('button', { name: 'Add an item' }).click();
    await modal.getByRole('textbox', { name: `Item ${index + 1}` }).fill(text);
  }

  // A reminder at a time already past is refused beside the reminders.
  await modal.getByRole('button', { name: 'Add a reminder' }).click();
  await choose(page, modal, 'When to remind', 'At a time…');
  const yesterday = new Date(Date.now() - 24 * 3_600_000);
  await modal.getByLabel('At a time…').fill(local(yesterday));
  await choose(page, modal, 'Repeat', 'Every quarter on the 1st');
  const preview = modal.getByTestId('recurrence-preview');
  await preview.getByText(/^Every month in Jan, Apr, Jul, Oct on day 1 at 10:00 AM\. Next: /).waitFor();
  await modal.getByRole('button', { name: 'Create task' }).click();
  await modal.getByText('A reminder cannot be in the past.').waitFor();
  await screenshot(page, '80-task-reminder-in-past');
  await choose(page, modal, 'When to remind', '1 hour before');
  await screenshot(page, '81-task-new-recurring');
  await modal.getByRole('button', { name: 'Create task' }).click();
  await modal.waitFor({ state: 'hidden' });
  await page.getByText('Task “Quarterly review with Happy” created').waitFor();

  // On the card, and in the task list reached from the navigation.
  await panel.getByRole('link', { name: 'Quarterly review with Happy' }).waitFor();
  await screenshot(page, '82-card-tasks');

  // The calendar shows the coming quarters' occurrences ahead of time, on the 1st, lighter and not movable.
  await navOf(page).getByRole('link', { name: 'Calendar' }).click();
  await page.getByRole('button', { name: 'Month' }).click();
  const occurrence = page.locator('.fc-event.rapport-projected', { hasText: 'Quarterly review with Happy' });
  for (let month = 0; month < 4 && (await occurrence.count()) === 0; month++) {
    await page.getByRole('button', { name: 'Next month' }).click();
    await page.waitForFunction(() => document.querySelector('.rapport-calendar')?.getAttribute('aria-busy') === 'false');
  }
  await occurrence.first().waitFor();
  const day = await occurrence.first().evaluate((element) => element.closest('td[data-date]')?.getAttribute('data-date'));
  assert.match(day, /^\d{4}-(01|04|07|10)-01$/, 'the next occurrence is on the 1st of a quarter');
  await screenshot(page, '82a-calendar-next-occurrence');
  await occurrence.first().click();
  await page.getByText('“Quarterly review with Happy” repeats: this occurrence becomes a task when it comes due.').waitFor();
  await navOf(page).getByRole('link', { name: 'Tasks' }).click();
  await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
  const row = page.getByTestId('task-row').filter({ hasText: 'Quarterly review with Happy' });
  await row.getByLabel('Repeats').waitFor();
  await row.getByText('0/2').waitFor();
  await row.getByRole('link', { name: 'Happy Hogan' }).waitFor();

  // The drawer: the rule, the reminder, the checklist ticked item by item, then the task completed.
  await row.getByRole('link', { name: 'Quarterly review with Happy' }).click();
  const drawer = page.getByRole('dialog', { name: 'Task' });
  await drawer.getByRole('heading', { name: 'Quarterly review with Happy' }).waitFor();
  await drawer.getByText('Repeats').first().waitFor();
  assert.equal(await drawer.getByRole('combobox', { name: 'Repeat' }).inputValue(), 'Every quarter on the 1st');
  assert.equal(await drawer.getByRole('combobox', { name: 'When to remind' }).inputValue(), '1 hour before');
  await drawer.getByRole('checkbox', { name: 'Collect the numbers' }).click();
  await drawer.getByTestId('checklist-progress').getByText('1/2').waitFor();
  await drawer.getByRole('checkbox', { name: 'Book the meeting room' }).click();
  await drawer.getByTestId('checklist-progress').getByText('2/2').waitFor();
  await screenshot(page, '83-task-drawer-checklist');
  await drawer.getByRole('button', { name: 'Complete' }).click();
  await page.getByText('Task completed').waitFor();
  await drawer.getByText('Done', { exact: true }).first().waitFor();
  await screenshot(page, '84-task-drawer-done');
  await drawer.getByRole('button', { name: 'Close' }).click();
  await drawer.waitFor({ state: 'hidden' });

  // Done tasks leave the "to do" list and show under "Done".
  await row.waitFor({ state: 'detached' });
  await choose(page, page, 'Status', 'Done');
  await page.getByTestId('task-row').filter({ hasText: 'Quarterly review with Happy' }).waitFor();

  // An overdue task is highlighted, and the due-timer loop tells its assignee at once.
  const overdue = await apiIn(page, 'POST', '/tasks', { title: 'Send the signed contract', dueAt: new Date(Date.now() - 2 * 3_600_000).toISOString(), subject: { type: 'contact', id: contact.id } });
  await choose(page, page, 'Status', 'To do');
  const late = page.getByTestId('task-row').filter({ hasText: 'Send the signed contract' });
  await late.waitFor();
  assert.equal(await late.getAttribute('data-overdue'), 'true');
  await late.getByText(/Overdue/).waitFor();
  await page.getByRole('button', { name: /^Notifications, \d+ unread/ }).click();
  await page.getByText('Overdue: Send the signed contract').waitFor();
  await screenshot(page, '85-task-list-overdue');
  assert.ok(overdue.overdue, 'the API marks it overdue too');

  // Which notifications also come by e-mail is each user's choice, in their profile.
  await page.goto(`${baseUrl}/profile`);
  const comments = page.getByRole('switch', { name: 'Comments on my tasks' });
  assert.equal(await comments.isChecked(), false, 'comments are not e-mailed by default');
  await comments.click();
  await page.getByText('E-mail notifications saved').waitFor();
  assert.equal((await apiIn(page, 'GET', '/auth/me')).user.notifyEmail.task_comment, true);
  await screenshot(page, '86-profile-email-notifications');

  // The administrator sets when an overdue task goes to the assignee's manager.
  await page.goto(`${baseUrl}/settings/tasks`);
  await page.getByRole('textbox', { name: 'Hours overdue' }).fill('4');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Settings saved').waitFor();
  assert.deepEqual(await apiIn(page, 'GET', '/settings/tasks'), { overdueEscalationHours: 4 });
  await screenshot(page, '87-task-settings');
  await page.context().close();
}
