// Calendar 2. My day on the home page: an overdue task stands out, today's tasks and the progress bar count what is
// done, the next meeting is listed, and a contact's birthday today shows in the birthdays widget.
import { ADMIN, apiIn, assert, pageAs } from './lib.mjs';

const HOUR = 3_600_000;

export default async function myDaySpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  const now = Date.now();
  const endOfToday = new Date();
  endOfToday.setHours(23, 59, 0, 0);
  // Due times that stay on today's side of midnight whenever the suite runs.
  const laterToday = new Date(Math.min(now + HOUR, endOfToday.getTime()));
  await apiIn(page, 'POST', '/tasks', { title: 'File the quarterly report', dueAt: new Date(now - 26 * HOUR).toISOString() });
  await apiIn(page, 'POST', '/tasks', { title: 'Prepare the demo', dueAt: laterToday.toISOString() });
  const done = await apiIn(page, 'POST', '/tasks', { title: 'Confirm the venue', dueAt: laterToday.toISOString() });
  await apiIn(page, 'PATCH', `/tasks/${done.id}`, { status: 'done', version: done.version });
  const today = new Date();
  const birthday = `1985-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  await apiIn(page, 'POST', '/contacts', { firstName: 'Selina', lastName: 'Kyle', birthday: today.getMonth() === 1 && today.getDate() === 29 ? '1984-02-29' : birthday });

  await page.goto(`${baseUrl}/`);
  const tasks = page.getByTestId('my-tasks');
  await tasks.getByText('Overdue: 1').waitFor();
  await tasks.getByRole('link', { name: 'File the quarterly report' }).waitFor();
  await tasks.getByRole('link', { name: 'Prepare the demo' }).waitFor();
  const progress = page.getByTestId('my-progress');
  await progress.getByText('1 of 2 tasks done (50%)').waitFor();
  assert.equal(await progress.getByRole('progressbar').getAttribute('aria-valuenow'), '50', 'the bar is half full');
  await page.getByTestId('birthdays').getByRole('link', { name: 'Selina Kyle' }).waitFor();
  await screenshot(page, '75-my-day');

  // The week's progress counts the overdue task too if it fell in this week; it never counts fewer than today's.
  await progress.getByText('Week').click();
  await progress.getByText(/of \d+ tasks done/).waitFor();

  // The calendar meeting from the previous spec is listed when it is still ahead.
  if (state.calendarMeetingId) {
    const meeting = await apiIn(page, 'GET', `/activities/${state.calendarMeetingId}`);
    const inWindow = Date.parse(meeting.startsAt) > now && Date.parse(meeting.startsAt) < now + 48 * HOUR;
    if (inWindow) await page.getByTestId('my-meetings').getByText(meeting.subject).waitFor();
  }
}
