// Import 4. Data quality: contacts left with a deactivated owner and a near duplicate within one company show up in
// Settings › Data quality; the missing owners are fixed in bulk, the duplicate found by "Find duplicates" is merged from
// the review list, and the counts go down. Counts are compared with what they were before, since other specs' data is
// there too. (Unreadable phones and e-mails cannot be entered through the application, which refuses or moves them to
// a note; their counts and fix are covered by the integration tests, on data loaded behind the application's back.)
import { ADMIN, apiIn, assert, openSettingsNav, pageAs, waitForUrl } from './lib.mjs';

export default async function dataQualitySpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  const contactCounts = async () => (await apiIn(page, 'GET', '/data-quality/summary')).objects.find((row) => row.object === 'contact');
  const before = await contactCounts();

  // A colleague who leaves: two contacts of theirs, then the account is deactivated.
  const roleId = (await apiIn(page, 'GET', '/roles')).items.find((item) => item.name === 'Sales rep').id;
  const leaver = await apiIn(page, 'POST', '/users/invite', { email: 'leaver-dq@example.com', name: 'Leo Leaver', roleId });
  for (const [firstName, lastName] of [
    ['Orla', 'Orphanson'],
    ['Otto', 'Orphanson'],
  ]) {
    await apiIn(page, 'POST', '/contacts', { firstName, lastName, ownerId: leaver.id });
  }
  await apiIn(page, 'PATCH', `/users/${leaver.id}`, { status: 'disabled', version: leaver.version });

  // The same person entered twice in one company, the name spelt a little differently.
  const company = await apiIn(page, 'POST', '/companies', { name: 'Thornfield Quality Ltd' });
  await apiIn(page, 'POST', '/contacts', { firstName: 'Margaret', lastName: 'Thornbury', position: 'Buyer', companies: [{ companyId: company.id }] });
  await apiIn(page, 'POST', '/contacts', { firstName: 'Margret', lastName: 'Thornbury', phones: [{ number: '+1 212 555 0142' }], companies: [{ companyId: company.id }] });

  // Settings › Data quality: the contacts' missing owners are counted.
  await page.goto(`${baseUrl}/`);
  await openSettingsNav(page);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Data quality' }).click();
  await page.getByRole('heading', { name: 'Data quality', level: 1 }).waitFor();
  const missing = page.getByTestId('dq-contact-missing_owner');
  await missing.filter({ hasText: String(before.missingOwner.value + 2) }).waitFor();

  // "Find duplicates" proposes the pair.
  await page.getByTestId('dq-row-contact').getByRole('button', { name: 'Find duplicates' }).click();
  await page.getByText(/New likely duplicates found: [1-9]/).waitFor();
  const afterScan = await contactCounts();
  assert.ok(afterScan.duplicates.value >= before.duplicates.value + 1, 'the scan adds the near duplicate');
  await page.getByTestId('dq-contact-duplicates').filter({ hasText: String(afterScan.duplicates.value) }).waitFor();
  await screenshot(page, '80-data-quality-counts');

  // Missing owners: both records get a new owner in one go.
  await missing.click();
  await page.getByRole('heading', { name: 'Contacts: Missing owner' }).waitFor();
  await page.getByRole('checkbox', { name: 'Select Orla Orphanson' }).check();
  await page.getByRole('checkbox', { name: 'Select Otto Orphanson' }).check();
  await page.getByRole('row', { name: /Orla Orphanson/ }).getByText('deactivated').waitFor();
  await page.getByRole('combobox', { name: 'New owner' }).click();
  await page.getByRole('option', { name: ADMIN.name }).click();
  await screenshot(page, '81-data-quality-missing-owners');
  await page.getByRole('button', { name: 'Assign owner' }).click();
  await page.getByText('Done: 2, failed: 0').waitFor();
  await page.getByRole('row', { name: /Orla Orphanson/ }).waitFor({ state: 'detached' });
  const orla = (await apiIn(page, 'GET', `/contacts?q=${encodeURIComponent('Orla Orphanson')}`)).items[0];
  assert.equal(orla.ownerName, ADMIN.name);

  // The review list: both records side by side; merged, the item leaves the list.
  await page.getByRole('link', { name: '← Data quality' }).click();
  await page.getByTestId('dq-contact-missing_owner').filter({ hasText: String(before.missingOwner.value) }).waitFor();
  await page.getByTestId('dq-contact-duplicates').click();
  await waitForUrl(page, (url) => url.pathname === '/settings/data-quality/contact/duplicates', 'the duplicates count opens the review list');
  const item = page.getByTestId('review-item').filter({ hasText: 'Margret Thornbury' }).filter({ hasText: 'Margaret Thornbury' });
  await item.getByText('Similar name in the same company').waitFor();
  await screenshot(page, '82-data-quality-review');
  await item.getByRole('button', { name: 'Merge' }).click();
  const modal = page.getByRole('dialog', { name: 'Merge Margaret Thornbury' });
  await modal.getByRole('radiogroup', { name: 'Record that stays' }).waitFor();
  await screenshot(page, '83-data-quality-merge');
  await modal.getByRole('button', { name: 'Merge 2 records' }).click();
  await page.getByText(/Merged into Margaret Thornbury/).waitFor();
  await item.waitFor({ state: 'detached' });

  // The survivor keeps the other's phone; the counts went down.
  const survivors = (await apiIn(page, 'GET', `/contacts?q=${encodeURIComponent('Thornbury')}`)).items;
  assert.equal(survivors.length, 1, 'one Thornbury remains');
  assert.deepEqual(survivors[0].phones.map((phone) => phone.e164), ['+12125550142']);
  await page.getByRole('link', { name: '← Data quality' }).click();
  await page.getByTestId('dq-contact-duplicates').filter({ hasText: String(afterScan.duplicates.value - 1) }).waitFor();
  await screenshot(page, '84-data-quality-after');
  await page.close();
}
