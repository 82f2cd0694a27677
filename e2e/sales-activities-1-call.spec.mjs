// Activities 1. A call is logged from a contact's card with the short form (phone from the card, duration, result,
// note); it shows, with its facts, in the contact's and the company's histories, and the type filter narrows them.
// A meeting with its end before its start is refused beside the field. Named to run after the client-base specs,
// which expect an empty company list.
import { ADMIN, apiIn, assert, pageAs, waitForUrl } from './lib.mjs';
import { choose } from './client-base-1-companies.spec.mjs';

export const ACTIVITY_COMPANY = 'Stark Industries';

export default async function activitiesCallSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  const company = await apiIn(page, 'POST', '/companies', { name: ACTIVITY_COMPANY, kind: 'customer' });
  const pepper = await apiIn(page, 'POST', '/contacts', { firstName: 'Pepper', lastName: 'Potts', phones: [{ type: 'mobile', number: '(212) 555-0142' }], companies: [{ companyId: company.id, role: 'CEO' }] });
  state.activityCompanyId = company.id;
  state.pepperId = pepper.id;

  await page.goto(`${baseUrl}/contacts/${pepper.id}`);
  await page.getByRole('heading', { name: 'Pepper Potts', level: 1 }).waitFor();
  const history = page.getByRole('region', { name: 'History' });

  // The short form: the card's phone is already there, the company is ticked.
  await history.getByRole('button', { name: 'Log call' }).click();
  let modal = page.getByRole('dialog', { name: 'Log a call' });
  assert.match(await modal.getByRole('textbox', { name: 'Phone' }).inputValue(), /212.?555.?0142/);
  assert.equal(await modal.getByRole('checkbox', { name: ACTIVITY_COMPANY }).isChecked(), true, "the contact's company is offered and ticked");
  await modal.getByRole('textbox', { name: 'Duration' }).fill('-3');
  await modal.getByRole('button', { name: 'Log call' }).click();
  await modal.getByText('Enter minutes, or m:ss').waitFor();
  await screenshot(page, '60-log-call-error');
  await modal.getByRole('textbox', { name: 'Duration' }).fill('3:05');
  await choose(page, modal, 'Result', 'Answered');
  await modal.getByRole('textbox', { name: 'Note' }).fill('Discussed the renewal; sending the offer on Monday');
  await screenshot(page, '61-log-call-form');
  await modal.getByRole('button', { name: 'Log call' }).click();
  await modal.waitFor({ state: 'hidden' });

  const call = history.getByTestId('timeline-call').first();
  await call.getByText('Discussed the renewal; sending the offer on Monday').waitFor();
  const facts = call.getByTestId('activity-facts');
  await facts.getByText('Outgoing call · +1 212 555 0142 · 3:05 · Answered', { exact: true }).waitFor();
  await call.getByText(`${ADMIN.name} logged a call`).waitFor();
  await call.getByRole('link', { name: ACTIVITY_COMPANY }).waitFor();
  await screenshot(page, '62-contact-timeline-call');

  // The filter: calls only, then notes (none here), then back to everything.
  await choose(page, history, 'Show', 'Calls');
  await history.getByTestId('timeline-call').first().waitFor();
  assert.equal(await history.getByTestId('timeline-created').count(), 0, 'changes are filtered out');
  await choose(page, history, 'Show', 'Notes');
  await history.getByText('Nothing here yet.').waitFor();
  await choose(page, history, 'Show', 'All');
  await history.getByTestId('timeline-created').waitFor();

  // The same call on the company's card, reached from the entry's link.
  await call.getByRole('link', { name: ACTIVITY_COMPANY }).click();
  await waitForUrl(page, (url) => url.pathname === `/companies/${company.id}`, 'the link opens the company');
  await page.getByRole('heading', { name: ACTIVITY_COMPANY, level: 1 }).waitFor();
  await choose(page, history, 'Show', 'Calls');
  const onCompany = history.getByTestId('timeline-call');
  await onCompany.getByText('Discussed the renewal; sending the offer on Monday').waitFor();
  await onCompany.getByRole('link', { name: 'Pepper Potts' }).waitFor();
  await screenshot(page, '63-company-timeline-calls');
  await choose(page, history, 'Show', 'All');

  // A meeting ending before it starts is refused beside the end; fixed, it is planned on the company's timeline.
  await history.getByRole('button', { name: 'Log…' }).click();
  await page.getByRole('menuitem', { name: 'Meeting' }).click();
  modal = page.getByRole('dialog', { name: 'Meeting' });
  await modal.getByRole('textbox', { name: 'Subject' }).fill('Contract review');
  // Fixed times on the day after the default start's (which follows the clock): a meeting is planned only while it is
  // ahead, so today's 10:00 would already be done when the spec runs later in the day.
  const today = (await modal.getByLabel('Starts').inputValue()).slice(0, 10);
  const day = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  await modal.getByLabel('Starts').fill(`${day}T10:00`);
  await modal.getByLabel('Ends').fill(`${day}T09:30`);
  await modal.getByRole('button', { name: 'Save meeting' }).click();
  await modal.getByText('Cannot end before it starts').waitFor();
  await screenshot(page, '64-meeting-end-before-start');
  await modal.getByLabel('Ends').fill(`${day}T11:30`);
  await modal.getByRole('textbox', { name: 'Place' }).fill('Stark Tower, floor 12');
  await modal.getByRole('button', { name: 'Save meeting' }).click();
  await modal.waitFor({ state: 'hidden' });
  const meeting = history.getByTestId('timeline-meeting').first();
  await meeting.getByText('Contract review').waitFor();
  await meeting.getByText('Planned').waitFor();
  await meeting.getByText('Stark Tower, floor 12').waitFor();
  await screenshot(page, '65-company-timeline-meeting');
  await page.context().close();
}
