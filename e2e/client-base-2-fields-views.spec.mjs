// Client base 2. An administrator adds a custom field "Loyalty level" (a choice) to contacts; values are set on a card
// and in bulk; the contact list is filtered by it and saved as a view shared with the team, which a teammate sees.
import { ADMIN, apiIn, assert, openSettingsNav, pageAs, REP, sidewaysOverflow, waitForUrl } from './lib.mjs';
import { choose } from './client-base-1-companies.spec.mjs';

const VIEW = 'Gold customers';

export default async function fieldsAndViewsSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);

  // A team for sharing: the administrator (and the rep, when the earlier specs made one) join it.
  const me = await apiIn(page, 'GET', '/auth/me');
  const team = await apiIn(page, 'POST', '/teams', { name: 'Sales East', kind: 'team' });
  const users = await apiIn(page, 'GET', '/users?limit=50');
  for (const user of users.items.filter((item) => item.id === me.user.id || item.email === REP.email)) {
    await apiIn(page, 'PATCH', `/users/${user.id}`, { teamId: team.id, version: user.version });
  }

  // Settings → Custom fields → Contacts: a choice field with three options, shown in lists.
  await page.reload();
  const nav = await openSettingsNav(page);
  await nav.getByRole('link', { name: 'Custom fields' }).click();
  await page.getByRole('heading', { name: 'Custom fields', exact: true }).waitFor();
  await page.getByRole('tab', { name: 'Contacts' }).click();
  await page.getByRole('button', { name: 'New field' }).click();
  const modal = page.getByRole('dialog', { name: 'New field: Contact' });
  await modal.getByRole('textbox', { name: 'Label', exact: true }).fill('Loyalty level');
  assert.equal(await modal.getByRole('textbox', { name: 'Key', exact: true }).inputValue(), 'loyalty_level', 'the key follows the label');
  await choose(page, modal, 'Kind', 'Choice');
  await modal.getByLabel('Option 1', { exact: true }).fill('Gold');
  for (const [index, label] of ['Silver', 'Bronze'].entries()) {
    await modal.getByRole('button', { name: 'Add option' }).click();
    await modal.getByLabel(`Option ${index + 2}`, { exact: true }).fill(label);
  }
  await modal.getByRole('switch', { name: 'In lists' }).check({ force: true });
  await screenshot(page, '33-custom-field-form');
  await modal.getByRole('button', { name: 'Create' }).click();
  await modal.waitFor({ state: 'hidden' });
  await page.getByRole('row').filter({ hasText: 'Loyalty level' }).filter({ hasText: 'loyalty_level' }).waitFor();

  // On Ivan's card the field has a section of its own; setting it shows in the history.
  await page.goto(state.ivanUrl);
  await page.getByRole('heading', { name: 'Ivan Petrov', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Edit Additional fields' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Ivan Petrov' });
  await choose(page, edit, 'Loyalty level', 'Gold');
  await edit.getByRole('button', { name: 'Save' }).click();
  await edit.waitFor({ state: 'hidden' });
  await page.getByTestId('timeline-change').filter({ hasText: 'Loyalty level' }).filter({ hasText: 'Gold' }).waitFor();

  // Maria gets hers through a bulk "set a field" from the list.
  await page.goto(`${baseUrl}/contacts`);
  const rows = page.getByTestId('record-row');
  await rows.filter({ hasText: 'Maria Sidorova' }).getByRole('checkbox').check();
  await page.getByTestId('bulk-bar').getByRole('button', { name: 'Set a field' }).click();
  const bulk = page.getByRole('dialog', { name: 'Set a field (selected: 1)' });
  await choose(page, bulk, 'Field', 'Loyalty level');
  await choose(page, bulk, 'New value', 'Silver');
  await bulk.getByRole('button', { name: 'Set', exact: true }).click();
  await bulk.getByText('Done: 1').waitFor();
  await bulk.getByRole('button', { name: 'Done' }).click();
  // The new field is a column; Maria's row shows her value.
  await page.getByRole('columnheader', { name: 'Loyalty level' }).waitFor();
  await rows.filter({ hasText: 'Maria Sidorova' }).filter({ hasText: 'Silver' }).waitFor();

  // Filter: Loyalty level is Gold → only Ivan.
  await page.getByRole('button', { name: 'Filters' }).click();
  await page.getByRole('button', { name: 'Add condition' }).click();
  const condition = page.getByTestId('filter-row');
  await choose(page, condition, 'Field', 'Loyalty level');
  await choose(page, condition, 'Value', 'Gold');
  await waitForUrl(page, (url) => (url.searchParams.get('filter') ?? '').includes('custom.loyalty_level'), 'the filter goes into the address');
  await page.getByTestId('record-total').filter({ hasText: 'Records: 1' }).waitFor();
  assert.equal(await rows.count(), 1);
  await rows.filter({ hasText: 'Ivan Petrov' }).waitFor();

  // Saved as a view shared with the team.
  await page.getByRole('button', { name: 'Save view' }).click();
  const save = page.getByRole('dialog', { name: 'Save as a view' });
  await save.getByRole('textbox', { name: 'Name', exact: true }).fill(VIEW);
  await save.getByRole('radio', { name: 'My team' }).check();
  await save.getByRole('button', { name: 'Save' }).click();
  await save.waitFor({ state: 'hidden' });
  await waitForUrl(page, (url) => Boolean(url.searchParams.get('view')), 'the new view is selected');
  await page.locator(`input[aria-label="View"][value="${VIEW}"]`).waitFor();
  await screenshot(page, '34-filtered-view');

  // Back to all contacts, then the view again.
  await choose(page, page, 'View', 'All contacts');
  await page.getByTestId('record-total').filter({ hasText: 'Records: 2' }).waitFor();
  await choose(page, page, 'View', VIEW);
  await page.getByTestId('record-total').filter({ hasText: 'Records: 1' }).waitFor();

  // The list on a phone: the table scrolls inside its box, the page does not.
  const phone = await pageAs(browser, baseUrl, state, ADMIN, { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  await phone.page.goto(`${baseUrl}/contacts`);
  await phone.page.getByTestId('record-row').first().waitFor();
  assert.ok((await sidewaysOverflow(phone.page)) <= 0, 'the contact list does not scroll sideways on a phone');
  await screenshot(phone.page, '35-mobile-contacts');
  await phone.page.goto(state.ivanUrl);
  await phone.page.getByRole('heading', { name: 'Ivan Petrov', level: 1 }).waitFor();
  assert.ok((await sidewaysOverflow(phone.page)) <= 0, 'the contact card does not scroll sideways on a phone');
  await screenshot(phone.page, '36-mobile-card');

  // A teammate sees the shared view among theirs (the rep exists when the whole suite runs).
  if (state.sessions?.[REP.email]) {
    const rep = await pageAs(browser, baseUrl, state, REP);
    await rep.page.goto(`${baseUrl}/contacts`);
    await rep.page.getByTestId('data-table-scroll').or(rep.page.getByText(/No contacts yet|Контактов пока нет/)).first().waitFor();
    const views = await apiIn(rep.page, 'GET', '/views?object=contact');
    assert.ok(views.items.some((view) => view.name === VIEW && view.visibility === 'team'), 'the team view is listed for the teammate');
    await rep.page.getByRole('combobox', { name: /^(View|Представление)$/ }).click();
    await rep.page.getByRole('option', { name: new RegExp(VIEW) }).waitFor();
  }
}
