// Tasks 5. An all-day task: in "New task", "All day" turns the start and due times into dates; the task is due by the
// end of its day, listed as "<date>, all day", sits in the calendar's all-day row, and its drawer keeps the box ticked.
// Without a due date it is refused beside the field. The rep does the same in Russian.
import { ADMIN, assert, navOf, pageAs, REP } from './lib.mjs';

const pad = (n) => String(n).padStart(2, '0');
const isoDay = (date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

export default async function allDayTaskSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  // Tomorrow, unless that is next week: the calendar opens on this week.
  const day = new Date();
  if (day.getDay() !== 6) day.setDate(day.getDate() + 1);

  await navOf(page).getByRole('link', { name: 'Tasks' }).click();
  await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'New task' }).click();
  const modal = page.getByRole('dialog', { name: 'New task' });
  await modal.getByRole('textbox', { name: 'Task', exact: true }).fill('Team offsite');
  await modal.getByRole('checkbox', { name: 'All day' }).check();
  assert.equal(await modal.getByLabel('Due', { exact: true }).count(), 0, 'no time of day for an all-day task');
  await modal.getByLabel('Due date').fill('');
  await modal.getByRole('button', { name: 'Create task' }).click();
  await modal.getByText('An all-day task needs a due date.').waitFor();
  await modal.getByLabel('Due date').fill(isoDay(day));
  await screenshot(page, '97-task-new-all-day');
  await modal.getByRole('button', { name: 'Create task' }).click();
  await page.getByText('Task “Team offsite” created').waitFor();

  const drawer = page.getByRole('dialog', { name: 'Task' });
  await drawer.getByRole('heading', { name: 'Team offsite' }).waitFor();
  assert.equal(await drawer.getByRole('checkbox', { name: 'All day' }).isChecked(), true);
  assert.equal(await drawer.getByLabel('Due date').inputValue(), isoDay(day));
  await drawer.getByRole('button', { name: 'Close' }).click();
  const row = page.getByTestId('task-row').filter({ hasText: 'Team offsite' });
  await row.getByText(/, all day$/).waitFor();
  await screenshot(page, '98-task-list-all-day');

  await navOf(page).getByRole('link', { name: 'Calendar' }).click();
  await page.locator('.fc-timegrid').waitFor();
  const event = page.locator('.fc-event', { hasText: 'Team offsite' });
  await event.waitFor();
  assert.ok(await event.evaluate((element) => element.classList.contains('fc-daygrid-event')), 'in the all-day row, not at a time');
  assert.equal(await event.evaluate((element) => element.closest('td[data-date]')?.getAttribute('data-date')), isoDay(day));
  await screenshot(page, '99-calendar-all-day-task');

  // The rep, in Russian.
  const rep = await pageAs(browser, baseUrl, state, REP);
  await rep.page.goto(`${baseUrl}/tasks`);
  await rep.page.getByRole('button', { name: 'Новая задача' }).click();
  const repModal = rep.page.getByRole('dialog', { name: 'Новая задача' });
  await repModal.getByRole('textbox', { name: 'Задача', exact: true }).fill('Инвентаризация склада');
  await repModal.getByRole('checkbox', { name: 'Весь день' }).check();
  await repModal.getByLabel('Срок (дата)').fill(isoDay(day));
  await screenshot(rep.page, '97a-task-new-all-day-russian');
  await repModal.getByRole('button', { name: 'Создать задачу' }).click();
  await rep.page.getByTestId('task-row').filter({ hasText: 'Инвентаризация склада' }).getByText(/, весь день$/).waitFor();
  await screenshot(rep.page, '98a-task-list-all-day-russian');
  await rep.context.close();
  await page.context().close();
}
