// Client base 1. A company is created with two people (each with a role there); the card shows them and the edit
// history; a contact is found from the Ctrl+K palette by a phone typed differently from how it was entered.
import { ADMIN, assert, navOf, pageAs, waitForUrl } from './lib.mjs';

export const COMPANY = 'Globex Corporation';
export const PEOPLE = [
  { first: 'Ivan', last: 'Petrov', phone: '(212) 555-0187', role: 'Director' },
  { first: 'Maria', last: 'Sidorova', phone: '212 555 0188', role: 'Chief accountant' },
];

/** Picks an option of a Mantine select (an input that opens a listbox). */
export async function choose(page, scope, label, option) {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

export default async function companiesSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);

  // The client base is in the navigation now, no longer "soon".
  await navOf(page).getByRole('link', { name: 'Companies' }).click();
  await page.getByRole('heading', { name: 'Companies', exact: true }).waitFor();
  await page.getByText('No companies yet. Create the first one.').waitFor();

  // A new company with a phone and an e-mail.
  await page.getByRole('button', { name: 'New company' }).click();
  let modal = page.getByRole('dialog', { name: 'New company' });
  await modal.getByRole('textbox', { name: 'Name', exact: true }).fill(COMPANY);
  await choose(page, modal, 'Type', 'Customer');
  await modal.getByRole('button', { name: 'Add phone' }).click();
  await modal.getByLabel('Phone number').fill('(212) 555-0100');
  await modal.getByRole('button', { name: 'Add e-mail' }).click();
  await modal.getByLabel('E-mail address').fill('Info@Globex.example');
  await modal.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('heading', { name: COMPANY, level: 1 }).waitFor();
  await waitForUrl(page, (url) => /^\/companies\/[0-9a-f-]{36}$/.test(url.pathname), 'creating a company opens its card');
  state.companyUrl = page.url();
  // The phone is shown in international form, the e-mail lower-cased.
  await page.getByTestId('header-phone').filter({ hasText: '+1 212 555 0100' }).waitFor();
  await page.getByRole('link', { name: 'info@globex.example' }).first().waitFor();

  // People are added from the card, already linked to the company, each with their role there.
  for (const person of PEOPLE) {
    await page.getByRole('button', { name: 'Add person' }).click();
    modal = page.getByRole('dialog', { name: 'New contact' });
    await modal.getByRole('textbox', { name: 'First name', exact: true }).fill(person.first);
    await modal.getByRole('textbox', { name: 'Last name', exact: true }).fill(person.last);
    await modal.getByLabel('Role in the company').fill(person.role);
    await modal.getByRole('button', { name: 'Add phone' }).click();
    await modal.getByLabel('Phone number').fill(person.phone);
    await modal.getByRole('button', { name: 'Create' }).click();
    await modal.waitFor({ state: 'hidden' });
    await page.getByTestId('company-people').getByRole('row').filter({ hasText: `${person.first} ${person.last}` }).filter({ hasText: person.role }).waitFor();
  }

  // An edit shows in the history with who, old → new.
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  modal = page.getByRole('dialog', { name: `Edit ${COMPANY}` });
  await modal.getByRole('textbox', { name: 'Industry', exact: true }).fill('Manufacturing');
  await modal.getByRole('button', { name: 'Save' }).click();
  await modal.waitFor({ state: 'hidden' });
  const change = page.getByTestId('timeline-change').filter({ hasText: 'Industry' });
  await change.filter({ hasText: 'Manufacturing' }).waitFor();
  await page.getByTestId('timeline-updated').filter({ hasText: ADMIN.name }).first().waitFor();
  await page.getByTestId('timeline-created').waitFor();
  await screenshot(page, '30-company-card');

  // Ctrl+K finds Ivan by his phone written another way, with a "by phone" hint; Enter opens his card.
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Search' });
  await palette.getByRole('combobox', { name: 'Search' }).fill('+1 212-555-01-87');
  const hit = palette.getByRole('option').filter({ hasText: 'Ivan Petrov' });
  await hit.filter({ hasText: 'by phone' }).waitFor();
  assert.equal(await palette.getByText('Contacts', { exact: true }).count(), 1, 'results are grouped by object');
  await screenshot(page, '31-palette');
  await palette.getByRole('combobox', { name: 'Search' }).press('Enter');
  await page.getByRole('heading', { name: 'Ivan Petrov', level: 1 }).waitFor();
  await waitForUrl(page, (url) => url.pathname.startsWith('/contacts/'), 'Enter opens the contact card');
  state.ivanUrl = page.url();
  // His card lists the company with his role there.
  await page.getByRole('link', { name: COMPANY }).first().waitFor();
  await page.getByText('Director', { exact: true }).first().waitFor();

  // The search button in the header opens the same palette.
  await page.getByRole('button', { name: 'Search companies, contacts and leads' }).click();
  await page.getByRole('dialog', { name: 'Search' }).getByRole('combobox', { name: 'Search' }).fill('globex');
  await page.getByRole('dialog', { name: 'Search' }).getByRole('option').filter({ hasText: COMPANY }).first().click();
  await page.getByRole('heading', { name: COMPANY, level: 1 }).waitFor();

  // The contacts list shows both people with their company.
  await navOf(page).getByRole('link', { name: 'Contacts' }).click();
  await page.getByRole('heading', { name: 'Contacts', exact: true }).waitFor();
  const rows = page.getByTestId('record-row');
  await rows.filter({ hasText: 'Maria Sidorova' }).filter({ hasText: COMPANY }).waitFor();
  assert.equal(await rows.count(), 2);
  await page.getByTestId('record-total').filter({ hasText: 'Records: 2' }).waitFor();
  // Sorting by name puts Ivan first.
  await page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
  await waitForUrl(page, (url) => url.searchParams.get('sort') === 'name', 'clicking a header sorts by it');
  await page.waitForFunction(() => document.querySelector('[data-testid="record-row"]')?.textContent?.includes('Ivan Petrov'));
  await screenshot(page, '32-contact-list');
}
