// Sales: price lists. The admin creates the "Export EUR" list (the default for euros) in Settings › Price lists and
// prices a catalog door in it; a new euro deal takes the list, and adding the door on its card fills in the list's price,
// while a handle with no euro price says so instead of taking its dollar price. Settings › Workspace keeps the payment
// details documents print. The screens are shot in English and Russian.
import { ADMIN, apiIn, assert, pageAs } from './lib.mjs';

export default async function priceListSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  await apiIn(page, 'POST', '/products', { sku: 'DOOR-OAK', name: 'Oak door', unit: 'pcs', price: '500.00', currency: 'USD', taxRate: '0' });
  await apiIn(page, 'POST', '/products', { sku: 'HANDLE-B', name: 'Brass handle', unit: 'pcs', price: '20.00', currency: 'USD', taxRate: '0' });

  await page.goto(`${baseUrl}/settings/price-lists`);
  await page.getByRole('heading', { name: 'Price lists', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'New price list' }).click();
  const form = page.getByRole('dialog', { name: 'New price list' });
  await form.getByRole('textbox', { name: 'Name' }).fill('Export EUR');
  await form.getByRole('textbox', { name: 'Currency' }).fill('XYZ');
  await form.getByRole('checkbox', { name: 'Default for its currency' }).check();
  await form.getByRole('button', { name: 'Create price list' }).click();
  await form.getByText('Not an ISO 4217 currency code').waitFor();
  await form.getByRole('textbox', { name: 'Currency' }).fill('EUR');
  await form.getByRole('button', { name: 'Create price list' }).click();
  await form.waitFor({ state: 'hidden' });
  const row = page.getByTestId('price-list-row').filter({ hasText: 'Export EUR' });
  await row.getByText('Default').waitFor();

  await row.getByRole('button', { name: 'Prices of “Export EUR”' }).click();
  const prices = page.getByRole('dialog', { name: 'Prices of “Export EUR”, EUR' });
  await prices.getByRole('combobox', { name: 'Product 1' }).click();
  await page.getByRole('option', { name: 'Oak door · DOOR-OAK' }).click();
  await prices.getByRole('textbox', { name: 'Price, EUR 1' }).fill('450');
  await screenshot(page, '140-price-list-prices');
  await prices.getByRole('button', { name: 'Save' }).click();
  await prices.waitFor({ state: 'hidden' });
  await row.getByRole('cell', { name: '1', exact: true }).waitFor();
  await screenshot(page, '141-price-lists');

  const deal = await apiIn(page, 'POST', '/deals', { title: 'Doors for Berlin', currency: 'EUR' });
  assert.equal(deal.priceListName, 'Export EUR');
  await page.goto(`${baseUrl}/deals/${deal.id}`);
  await page.getByRole('heading', { name: 'Doors for Berlin', level: 1 }).waitFor();
  await page.getByText('Export EUR').first().waitFor();
  const panel = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Products' }) });
  await panel.getByRole('button', { name: 'Edit' }).click();
  const editor = page.getByRole('dialog', { name: 'Products of the deal' });
  await editor.getByRole('combobox', { name: 'From the catalog 1' }).click();
  await page.getByRole('option', { name: 'Oak door · DOOR-OAK' }).click();
  const price = editor.getByRole('textbox', { name: 'Price, EUR 1' });
  for (let tries = 0; tries < 50 && (await price.inputValue()) !== '450.00'; tries++) await page.waitForTimeout(100);
  assert.equal(await price.inputValue(), '450.00');
  await editor.getByRole('button', { name: 'Add line' }).click();
  await editor.getByRole('combobox', { name: 'From the catalog 2' }).click();
  await page.getByRole('option', { name: 'Brass handle · HANDLE-B' }).click();
  await editor.getByText('Brass handle has no price in Export EUR (EUR); its catalog price is in USD. Type the price.').waitFor();
  await screenshot(page, '142-deal-list-price');
  await editor.getByRole('button', { name: 'Remove line 2' }).click();
  await editor.getByRole('button', { name: 'Save' }).click();
  await editor.waitFor({ state: 'hidden' });
  await panel.getByTestId('deal-items-total').getByText('€450.00').waitFor();
  assert.equal((await apiIn(page, 'GET', `/deals/${deal.id}`)).amount, '450.00');

  await page.goto(`${baseUrl}/settings/workspace`);
  await page.getByRole('textbox', { name: 'Bank' }).fill('Northwind Bank');
  await page.getByRole('textbox', { name: 'BIC' }).fill('044525225');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Payment details saved').waitFor();
  await screenshot(page, '143-workspace-payment-details');

  // The same screens in Russian.
  await apiIn(page, 'PATCH', '/auth/me', { locale: 'ru' });
  try {
    await page.goto(`${baseUrl}/deals/${deal.id}`);
    await page.getByRole('heading', { name: 'Doors for Berlin', level: 1 }).waitFor();
    await page.getByText('Прайс-лист', { exact: true }).first().waitFor();
    await screenshot(page, '144-deal-list-price-ru');
    await page.goto(`${baseUrl}/settings/price-lists`);
    await page.getByRole('heading', { name: 'Прайс-листы', level: 1 }).waitFor();
    await screenshot(page, '145-price-lists-ru');
    await page.goto(`${baseUrl}/settings/workspace`);
    await page.getByRole('heading', { name: 'Платёжные реквизиты' }).waitFor();
    await screenshot(page, '146-workspace-payment-details-ru');
  } finally {
    await apiIn(page, 'PATCH', '/auth/me', { locale: 'en' });
  }
}
