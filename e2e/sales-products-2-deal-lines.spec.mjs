// Sales: a deal's products (after the catalog spec, which starts from an empty catalog). From the deal's card the manager adds a catalog window (its price and tax come from the
// catalog) with a discount and a typed-in installation line; the totals show while typing, and saving makes the deal's
// amount their total.
import { ADMIN, apiIn, assert, pageAs } from './lib.mjs';

export default async function dealProductsSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  await apiIn(page, 'POST', '/products', { sku: 'PVC-1200', name: 'PVC window 1200', unit: 'pcs', price: '250.00', currency: 'USD', taxRate: '20' });
  const deal = await apiIn(page, 'POST', '/deals', { title: 'Windows for the dacha', amount: '1', currency: 'USD' });
  await page.goto(`${baseUrl}/deals/${deal.id}`);
  await page.getByRole('heading', { name: 'Windows for the dacha', level: 1 }).waitFor();
  const panel = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Products' }) });
  await panel.getByText(/No products yet/).waitFor();
  await panel.getByRole('button', { name: 'Edit' }).click();

  const editor = page.getByRole('dialog', { name: 'Products of the deal' });
  await editor.getByRole('combobox', { name: 'From the catalog 1' }).click();
  await page.getByRole('option', { name: 'PVC window 1200 · PVC-1200' }).click();
  await editor.getByRole('textbox', { name: 'Quantity 1' }).fill('2');
  await editor.getByRole('textbox', { name: 'Discount, % 1' }).fill('10');
  await editor.getByRole('button', { name: 'Add line' }).click();
  await editor.getByRole('textbox', { name: 'Name 2' }).fill('Installation');
  await editor.getByRole('textbox', { name: 'Price, USD 2' }).fill('100');
  // 2 × 250 − 10 % = 450, tax 20 % = 90 → 540; plus 100 installation without tax.
  await editor.getByText('Net $550.00 · tax $90.00 · total $640.00').waitFor();
  await screenshot(page, '117-deal-products-editor');
  await editor.getByRole('button', { name: 'Save' }).click();
  await editor.waitFor({ state: 'hidden' });

  await panel.getByTestId('deal-items-total').getByText('$640.00').waitFor();
  assert.equal((await apiIn(page, 'GET', `/deals/${deal.id}`)).amount, '640.00');
  await page.getByText('$640.00').first().waitFor();
  await screenshot(page, '118-deal-products');
}
