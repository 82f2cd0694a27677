// Sales products 1. Settings › Products: the administrator starts an empty catalog, adds a window priced the local way
// ("1250.5" in the workspace's US dollars, 20 % tax); a negative price is refused beside the field before sending, a
// second product with the same SKU in other case is refused by the server beside "SKU"; the list searches by SKU, shows
// prices as money; an edit changes the price; the product is archived, hidden, shown with "Show archived", restored.
// The API has it as built.
import { ADMIN, apiIn, assert, openSettingsNav, pageAs, seeToast } from './lib.mjs';

export default async function productsCatalogSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  await (await openSettingsNav(page)).getByRole('link', { name: 'Products' }).click();
  await page.getByRole('heading', { name: 'Products', level: 1 }).waitFor();
  await page.getByText('No products yet.', { exact: false }).waitFor();

  await page.getByRole('button', { name: 'New product' }).click();
  let form = page.getByRole('form', { name: 'New product' });
  await form.getByRole('textbox', { name: 'Name' }).fill('PVC window 100×120');
  await form.getByRole('textbox', { name: 'SKU' }).fill('WIN-100');
  await form.getByRole('textbox', { name: 'Price' }).fill('-5');
  await form.getByRole('textbox', { name: 'Unit' }).fill('pcs');
  await form.getByRole('textbox', { name: 'Tax rate, %' }).fill('20');
  await form.getByRole('button', { name: 'Create product' }).click();
  await form.getByText('Cannot be negative').waitFor();
  await screenshot(page, '110-products-negative-price');
  assert.deepEqual((await apiIn(page, 'GET', '/products')).items, [], 'nothing was sent');
  await form.getByRole('textbox', { name: 'Price' }).fill('1250.5');
  await form.getByRole('button', { name: 'Create product' }).click();
  await page.getByText('Product “PVC window 100×120” saved').waitFor();

  await page.getByRole('button', { name: 'New product' }).click();
  form = page.getByRole('form', { name: 'New product' });
  await form.getByRole('textbox', { name: 'Name' }).fill('Window sill');
  await form.getByRole('textbox', { name: 'SKU' }).fill('win-100');
  await form.getByRole('textbox', { name: 'Price' }).fill('35');
  await form.getByRole('textbox', { name: 'Currency' }).fill('eur');
  await form.getByRole('button', { name: 'Create product' }).click();
  await form.getByText('Already in use').waitFor();
  await screenshot(page, '111-products-duplicate-sku');
  await form.getByRole('textbox', { name: 'SKU' }).fill('SILL-1');
  await form.getByRole('button', { name: 'Create product' }).click();
  await seeToast(page, 'Product “Window sill” saved');

  const rows = page.getByTestId('product-row');
  await rows.filter({ hasText: '€35.00' }).waitFor();
  assert.equal(await rows.count(), 2);
  await rows.filter({ hasText: '$1,250.50' }).getByText('20 %').waitFor();
  await screenshot(page, '112-products-list');

  await page.getByRole('searchbox', { name: 'Search by name or SKU' }).fill('sill-');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="product-row"]').length === 1);
  await rows.getByText('Window sill').waitFor();
  await page.getByRole('searchbox', { name: 'Search by name or SKU' }).fill('');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="product-row"]').length === 2);

  await page.getByRole('button', { name: 'Edit “Window sill”' }).click();
  form = page.getByRole('form', { name: 'Window sill' });
  await form.getByRole('textbox', { name: 'Price' }).fill('39.90');
  await form.getByRole('button', { name: 'Save' }).click();
  await seeToast(page, 'Product “Window sill” saved');
  await rows.filter({ hasText: '€39.90' }).waitFor();

  await page.getByRole('button', { name: 'Archive “Window sill”' }).click();
  await page.getByText('“Window sill” archived').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="product-row"]').length === 1);
  await page.getByRole('switch', { name: 'Show archived' }).check();
  await rows.filter({ hasText: 'Archived' }).getByText('Window sill').waitFor();
  await screenshot(page, '113-products-archived-shown');
  await page.getByRole('button', { name: 'Restore “Window sill”' }).click();
  await page.getByText('“Window sill” restored').waitFor();

  const { items } = await apiIn(page, 'GET', '/products');
  assert.deepEqual(
    items.map((p) => [p.name, p.sku, p.price, p.currency, p.unit, p.taxRate, p.archivedAt]),
    [
      ['PVC window 100×120', 'WIN-100', '1250.50', 'USD', 'pcs', '20.00', null],
      ['Window sill', 'SILL-1', '39.90', 'EUR', '', '0.00', null],
    ],
  );
  await page.context().close();
}
