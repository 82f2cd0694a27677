// Calendar 1. The week view: a meeting is created by clicking a time slot (with the contact it is with), dragged to
// another day, and is there after a reload; a drag over a version someone else changed meanwhile is refused with a
// clear message and the calendar reloads. The team scheduler shows the meeting in the admin's row, whose name opens
// the admin's calendar.
import { ADMIN, apiIn, assert, navOf, pageAs } from './lib.mjs';

const SUBJECT = 'Roadmap review with Bruce';
// Other specs leave items due tomorrow at 10:00 (rotation) and at this very hour (processes: now + 24 h, an hour long
// on the calendar): the meeting goes at 15:00, or at 19:00 when the run itself is near 15:00.
const HOUR = Math.abs(new Date().getHours() - 15) <= 2 ? 19 : 15;
const TIME = `${HOUR}:00:00`;

/** The centre of a time slot (e.g. "15:00:00") in the column of a day of the visible week. */
async function slotPoint(page, date, time) {
  const column = await page.locator(`td.fc-timegrid-col[data-date="${date}"]`).boundingBox();
  const row = await page.locator(`td.fc-timegrid-slot-lane[data-time="${time}"]`).boundingBox();
  assert.ok(column && row, `slot ${date} ${time} is on screen`);
  return { x: column.x + column.width / 2, y: row.y + row.height / 2 };
}

/** Presses on an event and drops it on another day's slot, with intermediate moves so FullCalendar sees a drag. */
async function drag(page, event, date, time) {
  await event.scrollIntoViewIfNeeded();
  const target = await slotPoint(page, date, time);
  const box = await event.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + 6);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 10, box.y + 16, { steps: 4 });
  await page.mouse.move(target.x, target.y, { steps: 12 });
  await page.mouse.up();
}

export default async function calendarWeekSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  const bruce = await apiIn(page, 'POST', '/contacts', { firstName: 'Bruce', lastName: 'Wayne' });

  await navOf(page).getByRole('link', { name: 'Calendar' }).click();
  await page.getByRole('heading', { name: 'Calendar', exact: true }).waitFor();
  await page.locator('.fc-timegrid').waitFor();
  // The visible week (Sunday first in English): create on its Tuesday, move to its Thursday.
  const days = await page.locator('td.fc-timegrid-col[data-date]').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-date')));
  assert.equal(days.length, 7, 'the week view shows seven days');
  const [from, to] = [days[2], days[4]];

  await page.locator(`td.fc-timegrid-slot-lane[data-time="${TIME}"]`).scrollIntoViewIfNeeded();
  const slot = await slotPoint(page, from, TIME);
  await page.mouse.click(slot.x, slot.y);
  const modal = page.getByRole('dialog', { name: 'Add to the calendar' });
  await modal.waitFor();
  await modal.getByRole('radio', { name: 'Meeting' }).check({ force: true });
  // Without whom the meeting is with, it is refused beside the field.
  await modal.getByRole('textbox', { name: 'Meeting subject' }).fill(SUBJECT);
  await modal.getByRole('button', { name: 'Create' }).click();
  await modal.getByText('Choose who the meeting is with.').waitFor();
  const picker = modal.getByRole('combobox', { name: 'Record', exact: true });
  await picker.click();
  await picker.fill('Bruce');
  await page.getByRole('option', { name: 'Bruce Wayne' }).click();
  await screenshot(page, '70-calendar-create-meeting');
  await modal.getByRole('button', { name: 'Create' }).click();
  await modal.waitFor({ state: 'hidden' });

  const event = page.locator(`td.fc-timegrid-col[data-date="${from}"] .fc-event`, { hasText: SUBJECT });
  await event.waitFor();
  await screenshot(page, '71-calendar-week-meeting');
  const created = (await apiIn(page, 'GET', `/calendar?from=${new Date(`${days[0]}T00:00:00`).toISOString()}&to=${new Date(`${days[6]}T23:59:00`).toISOString()}&types=meeting`)).items.find((item) => item.title === SUBJECT);
  assert.ok(created, 'the meeting is in the calendar API');
  assert.equal(new Date(created.start).getHours(), HOUR, 'it starts at the clicked hour');
  assert.equal(Date.parse(created.end) - Date.parse(created.start), 3_600_000, 'a click makes an hour-long meeting');
  assert.deepEqual(created.subject, { object: 'contact', id: bruce.id, title: 'Bruce Wayne' });

  // Drag it two days on, same time.
  await drag(page, event, to, TIME);
  await page.getByText(`Moved “${SUBJECT}”`).waitFor();
  await page.reload();
  await page.locator(`td.fc-timegrid-col[data-date="${to}"] .fc-event`, { hasText: SUBJECT }).waitFor();
  assert.equal(await page.locator(`td.fc-timegrid-col[data-date="${from}"] .fc-event`, { hasText: SUBJECT }).count(), 0, 'it left its old day');
  await screenshot(page, '72-calendar-week-moved');

  // Someone else edits the meeting meanwhile: dragging the stale copy is refused, the calendar reloads.
  const moved = await apiIn(page, 'GET', `/activities/${created.id}`);
  assert.equal(new Date(moved.startsAt).getDate(), new Date(`${to}T12:00:00`).getDate(), 'the API has the new day');
  await apiIn(page, 'PATCH', `/activities/${created.id}`, { place: 'Board room', version: moved.version });
  const stale = page.locator(`td.fc-timegrid-col[data-date="${to}"] .fc-event`, { hasText: SUBJECT });
  await drag(page, stale, days[3], TIME);
  await page.getByText('Someone changed this item while you were looking at it.', { exact: false }).waitFor();
  await screenshot(page, '73-calendar-conflict');
  await page.locator(`td.fc-timegrid-col[data-date="${to}"] .fc-event`, { hasText: SUBJECT }).waitFor();

  // The team scheduler counts the meeting in the admin's row on its day.
  await page.getByRole('link', { name: 'Team scheduler' }).click();
  const scheduler = page.getByTestId('team-scheduler');
  await scheduler.waitFor();
  const row = scheduler.getByRole('row', { name: new RegExp(ADMIN.name) });
  await row.getByRole('cell', { name: new RegExp(`1 meetings`) }).first().waitFor();
  await screenshot(page, '74-team-scheduler');
  // A name opens that person's calendar.
  await row.getByRole('link', { name: ADMIN.name }).click();
  await page.locator('.fc-event', { hasText: SUBJECT }).waitFor();
  assert.match(page.url(), /\/calendar\?users=/);
  state.calendarMeetingId = created.id;
}
