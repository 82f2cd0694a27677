// Client base 4. A lead naming an existing company is converted: the preview offers that company, the new contact is
// linked to it and shows on its card. A deleted company waits in the recycle bin and comes back from there.
import { ADMIN, assert, navOf, openSettingsNav, pageAs, waitForUrl } from './lib.mjs';
import { COMPANY } from './client-base-1-companies.spec.mjs';

export default async function leadsSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);

  await navOf(page).getByRole('link', { name: 'Leads' }).click();
  await page.getByRole('heading', { name: 'Leads', exact: true }).waitFor();
  await page.getByRole('button', { name: 'New lead' }).click();
  let modal = page.getByRole('dialog', { name: 'New lead' });
  await modal.getByRole('textbox', { name: 'Name', exact: true }).fill('Olga Smirnova');
  await modal.getByRole('textbox', { name: 'Company', exact: true }).fill(COMPANY);
  await modal.getByRole('textbox', { name: 'Position', exact: true }).fill('Buyer');
  await modal.getByRole('button', { name: 'Add phone' }).click();
  await modal.getByLabel('Phone number').fill('(212) 555-0190');
  await modal.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('heading', { name: 'Olga Smirnova', level: 1 }).waitFor();
  const leadUrl = page.url();

  // Convert: the company named on the lead already exists and is offered; the contact is new.
  await page.getByRole('button', { name: 'Convert' }).click();
  modal = page.getByRole('dialog', { name: 'Convert Olga Smirnova' });
  await modal.getByRole('radio', { name: new RegExp(`Existing: ${COMPANY}`) }).check();
  assert.equal(await modal.getByRole('radio', { name: 'New contact Olga Smirnova' }).isChecked(), true);
  await screenshot(page, '41-lead-convert');
  await modal.getByRole('button', { name: 'Convert' }).click();
  await modal.getByText('Lead converted').waitFor();
  await modal.getByRole('link', { name: 'Open the contact' }).click();
  await page.getByRole('heading', { name: 'Olga Smirnova', level: 1 }).waitFor();
  await waitForUrl(page, (url) => url.pathname.startsWith('/contacts/'), 'the link opens the new contact');
  await page.getByRole('link', { name: COMPANY }).first().waitFor();
  await page.getByText('Buyer', { exact: true }).first().waitFor();

  // The lead shows what it became; the company lists her among its people.
  await page.goto(leadUrl);
  await page.getByTestId('lead-converted').getByRole('link', { name: 'Olga Smirnova' }).waitFor();
  await page.getByTestId('lead-converted').getByRole('link', { name: COMPANY }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Convert' }).count(), 0, 'a converted lead cannot be converted again');
  await page.goto(state.companyUrl);
  await page.getByTestId('company-people').getByRole('row').filter({ hasText: 'Olga Smirnova' }).waitFor();

  // Deleted → recycle bin → restored.
  await page.goto(state.initechUrl);
  await page.getByRole('heading', { name: 'Initech', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await page.getByRole('dialog', { name: 'Delete the record?' }).getByRole('button', { name: 'Delete' }).click();
  await waitForUrl(page, (url) => url.pathname === '/companies', 'deleting goes back to the list');
  await page.getByTestId('record-row').filter({ hasText: COMPANY }).waitFor();
  assert.equal(await page.getByTestId('record-row').filter({ hasText: 'Initech' }).count(), 0);
  const nav = await openSettingsNav(page);
  await nav.getByRole('link', { name: 'Recycle bin' }).click();
  await page.getByRole('heading', { name: 'Recycle bin' }).waitFor();
  await page.getByRole('row').filter({ hasText: 'Initech' }).filter({ hasText: ADMIN.name }).waitFor();
  await screenshot(page, '42-recycle-bin');
  await page.getByRole('button', { name: 'Restore Initech' }).click();
  await page.getByText('The recycle bin is empty.').waitFor();
  await navOf(page).getByRole('link', { name: 'Companies' }).click();
  await page.getByTestId('record-row').filter({ hasText: 'Initech' }).waitFor();
  await screenshot(page, '43-company-list');
}
