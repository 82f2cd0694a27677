// Activities 3. A meeting planned from a contact's card carries a reminder: one that would fall in the past is refused
// beside "Reminder"; "15 minutes before" is kept and shows on the timeline. A meeting about to start rings the bell
// through the due-timer loop. The rep plans one in Russian.
import { ADMIN, apiIn, pageAs, REP } from './lib.mjs';
import { choose } from './client-base-1-companies.spec.mjs';

const pad = (n) => String(n).padStart(2, '0');
/** A `datetime-local` value in the browser's zone. */
const local = (date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;

/** Plans a meeting in the card's history: its subject, a start `minutes` from now for an hour, and a reminder choice. */
async function planMeeting(page, history, labels, { subject, minutes, reminder }) {
  await history.getByRole('button', { name: labels.log }).click();
  await page.getByRole('menuitem', { name: labels.meeting }).click();
  const modal = page.getByRole('dialog', { name: labels.meeting });
  await modal.getByRole('textbox', { name: labels.subject }).fill(subject);
  const start = new Date(Date.now() + minutes * 60_000);
  await modal.getByLabel(labels.starts).fill(local(start));
  await modal.getByLabel(labels.ends).fill(local(new Date(start.getTime() + 60 * 60_000)));
  await choose(page, modal, labels.reminder, reminder);
  await modal.getByRole('button', { name: labels.save }).click();
  return modal;
}

export default async function meetingReminderSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  const morgan = await apiIn(page, 'POST', '/contacts', { firstName: 'Morgan', lastName: 'Reed' });
  await page.goto(`${baseUrl}/contacts/${morgan.id}`);
  await page.getByRole('heading', { name: 'Morgan Reed', level: 1 }).waitFor();
  const history = page.getByRole('region', { name: 'History' });
  const labels = { log: 'Log…', meeting: 'Meeting', subject: 'Subject', starts: 'Starts', ends: 'Ends', reminder: 'Reminder', save: 'Save meeting' };

  // Starting in 30 minutes, a reminder an hour before would be in the past.
  const modal = await planMeeting(page, history, labels, { subject: 'Pricing review with Morgan', minutes: 30, reminder: '1 hour before' });
  await modal.getByText('The reminder would be in the past: choose a later one, or none.').waitFor();
  await screenshot(page, '76-meeting-reminder-in-past');
  await choose(page, modal, 'Reminder', '15 minutes before');
  await modal.getByRole('button', { name: 'Save meeting' }).click();
  await modal.waitFor({ state: 'hidden' });
  const meeting = history.getByTestId('timeline-meeting').filter({ hasText: 'Pricing review with Morgan' });
  await meeting.getByText(/Reminder: 15 minutes before/).waitFor();
  await screenshot(page, '77-meeting-with-reminder');

  // A meeting a minute away with a reminder a minute before: the bell rings within seconds.
  await apiIn(page, 'POST', '/activities', { kind: 'meeting', subject: 'Quick sync with Morgan', startsAt: new Date(Date.now() + 65_000).toISOString(), endsAt: new Date(Date.now() + 30 * 60_000).toISOString(), reminderMinutes: 1, links: [{ object: 'contact', id: morgan.id }] });
  await page.getByRole('button', { name: /^Notifications, \d+ unread/ }).waitFor();
  await page.getByRole('button', { name: /^Notifications, \d+ unread/ }).click();
  await page.getByText('Meeting coming up: Quick sync with Morgan').waitFor();
  await screenshot(page, '78-meeting-reminder-bell');
  await page.getByText('Meeting coming up: Quick sync with Morgan').click();
  await page.getByRole('heading', { name: 'Morgan Reed', level: 1 }).waitFor();
  await page.context().close();

  // The rep, in Russian, on their own contact.
  const rep = await pageAs(browser, baseUrl, state, REP);
  const own = await apiIn(rep.page, 'POST', '/contacts', { firstName: 'Вера', lastName: 'Соколова' });
  await rep.page.goto(`${baseUrl}/contacts/${own.id}`);
  await rep.page.getByRole('heading', { name: 'Вера Соколова', level: 1 }).waitFor();
  const repHistory = rep.page.getByRole('region', { name: 'История' });
  const ru = { log: 'Записать…', meeting: 'Встреча', subject: 'Тема', starts: 'Начало', ends: 'Окончание', reminder: 'Напоминание', save: 'Сохранить встречу' };
  const repModal = await planMeeting(rep.page, repHistory, ru, { subject: 'Обсуждение договора', minutes: 20, reminder: 'За час' });
  await repModal.getByText('Напоминание оказалось бы в прошлом: выберите время позже или без напоминания.').waitFor();
  await screenshot(rep.page, '76a-meeting-reminder-in-past-russian');
  await choose(rep.page, repModal, 'Напоминание', 'За 5 минут');
  await repModal.getByRole('button', { name: 'Сохранить встречу' }).click();
  await repModal.waitFor({ state: 'hidden' });
  await repHistory.getByTestId('timeline-meeting').filter({ hasText: 'Обсуждение договора' }).getByText(/Напоминание: за 5 минут/).waitFor();
  await screenshot(rep.page, '77a-meeting-with-reminder-russian');
  await rep.context.close();
}
