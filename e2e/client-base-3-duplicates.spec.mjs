// Client base 3. Saving a contact whose phone someone already has warns of a possible duplicate; saved anyway and given
// a note, it is merged into the original, whose card then carries the note. An unreadable phone can be kept in a note.
import { ADMIN, assert, navOf, pageAs, waitForUrl } from './lib.mjs';

export default async function duplicatesSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  const originalId = new URL(state.ivanUrl).pathname.split('/').pop();

  // The same phone written differently: "Possible duplicates", with a link to the original and why it matched.
  await navOf(page).getByRole('link', { name: 'Contacts' }).click();
  await page.getByRole('button', { name: 'New contact' }).click();
  let modal = page.getByRole('dialog', { name: 'New contact' });
  await modal.getByRole('textbox', { name: 'First name', exact: true }).fill('Ivan');
  await modal.getByRole('textbox', { name: 'Last name', exact: true }).fill('Petrov');
  await modal.getByRole('button', { name: 'Add phone' }).click();
  await modal.getByLabel('Phone number').fill('212.555.0187');
  await modal.getByRole('button', { name: 'Create' }).click();
  const warning = modal.getByTestId('duplicate-warning');
  await warning.getByText('Possible duplicates').waitFor();
  await warning.getByText('same phone').waitFor();
  assert.equal(await warning.getByRole('link', { name: 'Ivan Petrov' }).getAttribute('href'), `/contacts/${originalId}`);
  await screenshot(page, '37-duplicate-warning');
  await warning.getByRole('button', { name: 'Save anyway' }).click();
  await page.getByRole('heading', { name: 'Ivan Petrov', level: 1 }).waitFor();
  await waitForUrl(page, (url) => url.pathname.startsWith('/contacts/') && !url.pathname.endsWith(originalId), 'saving anyway creates a second contact');
  const duplicateUrl = page.url();

  // A note on the duplicate.
  await page.getByRole('textbox', { name: 'New note' }).fill('Met at the expo, wants a demo');
  await page.getByRole('button', { name: 'Add note' }).click();
  await page.getByTestId('timeline-note').filter({ hasText: 'Met at the expo' }).waitFor();

  // Merge it into the original: the original stays, its loyalty level is kept, the note moves over.
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: 'Merge with…' }).click();
  modal = page.getByRole('dialog', { name: 'Merge Ivan Petrov' });
  await modal.getByRole('combobox', { name: 'Records to merge' }).fill('Ivan');
  await page.getByRole('option', { name: 'Ivan Petrov' }).click();
  await modal.getByText('Choose the records that are the same').click(); // closes the picker's list
  await modal.getByRole('button', { name: 'Next' }).click();
  const survivor = modal.getByRole('radiogroup', { name: 'Record that stays' });
  await survivor.getByRole('radio').nth(1).check();
  const loyalty = modal.getByTestId('merge-row-custom.loyalty_level');
  await loyalty.waitFor();
  // Each differing field offers a radio per record; the survivor's filled value is picked.
  assert.equal(await loyalty.getByRole('radio').count(), 2);
  assert.equal(await loyalty.getByRole('radio').nth(1).isChecked(), true, "the surviving record's value is chosen by default");
  await screenshot(page, '38-merge');
  await modal.getByRole('button', { name: 'Merge 2 records' }).click();
  await waitForUrl(page, (url) => url.pathname === `/contacts/${originalId}`, 'the merge lands on the survivor');
  await page.getByRole('heading', { name: 'Ivan Petrov', level: 1 }).waitFor();
  await page.getByTestId('timeline-note').filter({ hasText: 'Met at the expo, wants a demo' }).waitFor();
  await page.getByTestId('timeline-merged').first().waitFor();
  await page.getByRole('link', { name: 'Globex Corporation' }).first().waitFor();
  await screenshot(page, '39-merged-card');

  // The merged record's address leads to the survivor.
  await page.goto(duplicateUrl);
  await page.getByText('This record was merged').waitFor();
  await page.getByRole('link', { name: 'Open the record it was merged into' }).click();
  await waitForUrl(page, (url) => url.pathname === `/contacts/${originalId}`, 'the merged id leads to the survivor');

  // A phone the server cannot read: refused on the field, then kept in a note on request.
  await navOf(page).getByRole('link', { name: 'Companies' }).click();
  await page.getByRole('button', { name: 'New company' }).click();
  modal = page.getByRole('dialog', { name: 'New company' });
  await modal.getByRole('textbox', { name: 'Name', exact: true }).fill('Initech');
  await modal.getByRole('button', { name: 'Add phone' }).click();
  await modal.getByLabel('Phone number').fill('12-34');
  await modal.getByRole('button', { name: 'Create' }).click();
  await modal.getByText('Not a phone number we can read').waitFor();
  await screenshot(page, '40-invalid-phone');
  await modal.getByRole('button', { name: 'Save anyway and keep the value in a note' }).click();
  await page.getByRole('heading', { name: 'Initech', level: 1 }).waitFor();
  await page.getByTestId('timeline-note').filter({ hasText: '12-34' }).waitFor();
  state.initechUrl = page.url();
}
