// Client base 5. A sales rep with "own" scope (Russian interface since the language spec) sees only their own contacts:
// in the list, in Ctrl+K search (even by a phone of someone else's contact) and on cards (someone else's is "not found").
import { ADMIN, apiIn, assert, pageAs, REP } from './lib.mjs';

export default async function ownScopeSpec({ baseUrl, browser, screenshot, state }) {
  const admin = await pageAs(browser, baseUrl, state, ADMIN);
  const others = await apiIn(admin.page, 'GET', `/contacts?q=${encodeURIComponent('Ivan Petrov')}`);
  const ivan = others.items[0];
  assert.ok(ivan, 'the admin has Ivan Petrov from the first client-base spec');

  const { page } = await pageAs(browser, baseUrl, state, REP);
  await apiIn(page, 'POST', '/contacts', { firstName: 'Рита', lastName: 'Своя', phones: [{ type: 'mobile', number: '+1 212 555 0177' }] });

  await page.goto(`${baseUrl}/contacts`);
  await page.getByRole('heading', { name: 'Контакты', exact: true }).waitFor();
  const rows = page.getByTestId('record-row');
  await rows.filter({ hasText: 'Рита Своя' }).waitFor();
  assert.equal(await rows.count(), 1, 'the list holds the rep’s own contact only');
  await page.getByTestId('record-total').filter({ hasText: '1' }).waitFor();
  await screenshot(page, '44-rep-own-contacts');

  // Search by someone else's phone finds nothing; by the rep's own contact's name it finds her.
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Поиск' });
  const box = palette.getByRole('combobox', { name: 'Поиск' });
  await box.fill('+1 212 555 0187');
  await palette.getByText(/ничего не найдено/).waitFor();
  await box.fill('Своя');
  await palette.getByRole('option').filter({ hasText: 'Рита Своя' }).waitFor();
  assert.equal(await palette.getByRole('option').filter({ hasText: 'Ivan Petrov' }).count(), 0);
  await page.keyboard.press('Escape');

  // Someone else's card, opened by its address, reveals nothing.
  await page.goto(`${baseUrl}/contacts/${ivan.id}`);
  await page.getByRole('heading', { name: 'Страница не найдена' }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Ivan Petrov' }).count(), 0);
  await screenshot(page, '45-rep-foreign-card');
}
