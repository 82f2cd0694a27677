// Import 6. Products and deals through the wizard. A price list from a Russian supplier (Russian headers, prices with a
// decimal comma, one price that is not a number): the English workspace reads "12 500,50" as no number until the file's
// numbers are said to be Russian, the preview marks the bad cell, the report counts 2 created and 1 rejected, and the
// catalog lists the two at their prices. Then deals: the wizard offers no match mode for them (every row creates a deal,
// as it explains) and the API refuses another; the rows find their stage and company by name and their contact by
// e-mail, a row naming an unknown company is rejected with the reason; the deals show on the board in their stage with
// their amount. Both imports are undone at the end: the catalog and deal specs after this one start from their own data.
import { ADMIN, apiIn, assert, openSettingsNav, pageAs } from './lib.mjs';

const PRODUCTS = Buffer.from(
  [
    'Артикул;Наименование;Цена;Валюта;НДС;Ед. изм.',
    'IMP-WIN-1;Окно ПВХ 120×140;12 500,50;RUB;20;шт',
    'IMP-SILL-1;Подоконник 300 мм;1 250,5;;10;м',
    'IMP-NET-1;Москитная сетка;дёшево;;;шт',
  ].join('\n'),
);

const dealsFile = (stage) =>
  Buffer.from(
    [
      'Сделка;Сумма;Этап;Компания;E-mail;Ответственный',
      `Остекление склада;250 000,75;${stage};ООО Сделка-Импорт;Buyer@Sdelka-Import.test;${ADMIN.email}`,
      'Замена окон в офисе;48 000;;ооо сделка-импорт;;',
      'Балконы;9 900;;ООО Такой нет;;',
    ].join('\n'),
  );

/** Uploads `buffer` as `name` for `object` and waits for the wizard's mapping. */
async function upload(page, baseUrl, object, name, buffer) {
  await page.goto(`${baseUrl}/settings/import`);
  await page.getByRole('heading', { name: 'Import', level: 1 }).waitFor();
  await page.locator('label', { hasText: new RegExp(`^${object}$`) }).click();
  await page.locator('input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer });
  await page.getByRole('button', { name: 'Upload and continue' }).click();
  await page.getByRole('heading', { name: `Import of ${name}` }).waitFor();
}

/** Runs the import and reads the report's counts. */
async function run(page, rows) {
  await page.getByRole('button', { name: `Import ${rows} rows` }).click();
  await page.getByText('Done', { exact: true }).waitFor({ timeout: 30_000 });
  const count = async (key) => Number(await page.getByTestId(`import-${key}`).textContent());
  return { created: await count('created'), updated: await count('updated'), skipped: await count('skipped'), rejected: await count('rejected') };
}

async function rejectedRows(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download rejected rows' }).click()]);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function undo(page) {
  await page.getByRole('button', { name: 'Undo import' }).click();
  await page.getByRole('dialog', { name: 'Undo the whole import?' }).getByRole('button', { name: 'Undo import' }).click();
  await page.getByText('Undone', { exact: true }).waitFor();
}

export default async function importProductsDealsSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  assert.deepEqual((await apiIn(page, 'GET', '/products')).items, [], 'the catalog is empty before the import');

  // Products: mapped from the Russian headers.
  await upload(page, baseUrl, 'Products', 'prais-list.csv', PRODUCTS);
  assert.equal(await page.getByRole('combobox', { name: 'Артикул' }).inputValue(), 'SKU');
  assert.equal(await page.getByRole('combobox', { name: 'Наименование' }).inputValue(), 'Product name');
  assert.equal(await page.getByRole('combobox', { name: 'Цена' }).inputValue(), 'Price');
  assert.equal(await page.getByRole('combobox', { name: 'НДС' }).inputValue(), 'Tax rate, %');
  assert.equal(await page.getByRole('combobox', { name: 'Ед. изм.' }).inputValue(), 'Unit');
  const preview = page.getByRole('table', { name: '3. Preview' });
  // The file's numbers are read the workspace's (English) way at first: a decimal comma is neither a decimal point nor a
  // thousands separator there, so the price is no number (not 1,250,050).
  await preview.getByText('⚠ Not a number: 12 500,50').waitFor();
  await page.getByText('Rows with errors: 3 of the first 3.').waitFor();
  await page.getByRole('combobox', { name: 'Dates and numbers in the file' }).click();
  await page.getByRole('option', { name: /^Russian/ }).click();
  await preview.getByRole('cell', { name: '12500.50' }).waitFor();
  await preview.getByRole('cell', { name: '1250.50' }).waitFor();
  await preview.getByText('⚠ Not a number: дёшево').waitFor();
  await page.getByText('Rows with errors: 1 of the first 3.').waitFor();
  // Products hold no phone numbers: the wizard does not ask for their country.
  assert.equal(await page.getByRole('combobox', { name: 'Country of local phone numbers' }).count(), 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, '90-import-products-wizard');

  assert.deepEqual(await run(page, 3), { created: 2, updated: 0, skipped: 0, rejected: 1 });
  const productsJob = page.url();
  await screenshot(page, '91-import-products-report');
  assert.match(await rejectedRows(page), /IMP-NET-1,Москитная сетка,дёшево,.*not a number/);

  // The catalog lists them at their prices; the API has them as written.
  await (await openSettingsNav(page)).getByRole('link', { name: 'Products' }).click();
  await page.getByRole('heading', { name: 'Products', level: 1 }).waitFor();
  const rows = page.getByTestId('product-row');
  await rows.filter({ hasText: 'Окно ПВХ 120×140' }).getByText('RUB 12,500.50').waitFor();
  await rows.filter({ hasText: 'Подоконник 300 мм' }).getByText('$1,250.50').waitFor();
  assert.equal(await rows.count(), 2, 'the bad row made no product');
  await screenshot(page, '92-import-products-catalog');
  const products = (await apiIn(page, 'GET', '/products')).items.sort((a, b) => a.sku.localeCompare(b.sku));
  assert.deepEqual(
    products.map(({ sku, name, price, currency, taxRate, unit }) => ({ sku, name, price, currency, taxRate, unit })),
    [
      { sku: 'IMP-SILL-1', name: 'Подоконник 300 мм', price: '1250.50', currency: 'USD', taxRate: '10.00', unit: 'м' },
      { sku: 'IMP-WIN-1', name: 'Окно ПВХ 120×140', price: '12500.50', currency: 'RUB', taxRate: '20.00', unit: 'шт' },
    ],
  );

  // Undone: the catalog is empty again (the catalog spec starts from none).
  await page.goto(productsJob);
  await undo(page);
  assert.deepEqual((await apiIn(page, 'GET', '/products?includeArchived=true')).items, [], 'the undone products are gone, not archived');

  // Deals: a company and a contact to link to, found by name and by e-mail.
  const company = await apiIn(page, 'POST', '/companies', { name: 'ООО Сделка-Импорт' });
  const buyer = await apiIn(page, 'POST', '/contacts', { firstName: 'Вера', lastName: 'Закупова', emails: [{ email: 'buyer@sdelka-import.test' }] });
  const pipeline = (await apiIn(page, 'GET', '/pipelines')).items.find((item) => item.isDefault);
  const [first, second] = pipeline.stages;
  await upload(page, baseUrl, 'Deals', 'sdelki.csv', dealsFile(second.name.toUpperCase()));
  assert.equal(await page.getByRole('combobox', { name: 'Сделка' }).inputValue(), 'Title');
  assert.equal(await page.getByRole('combobox', { name: 'Сумма' }).inputValue(), 'Amount');
  assert.equal(await page.getByRole('combobox', { name: 'Этап' }).inputValue(), 'Stage (name)');
  assert.equal(await page.getByRole('combobox', { name: 'Компания' }).inputValue(), 'Company (name)');
  assert.equal(await page.getByRole('combobox', { name: 'E-mail' }).inputValue(), 'Contact (e-mail)');
  assert.equal(await page.getByRole('combobox', { name: 'Ответственный' }).inputValue(), 'Owner (e-mail)');
  // No match mode: every row is a new deal, and the wizard says why; the API refuses another mode.
  await page.getByText('Every row creates a new deal: nothing identifies an existing deal').waitFor();
  assert.equal(await page.getByRole('radio').count(), 0, 'no match modes offered for deals');
  const job = await apiIn(page, 'GET', `/imports/${new URL(page.url()).pathname.split('/').pop()}`);
  await assert.rejects(apiIn(page, 'PATCH', `/imports/${job.id}`, { mode: 'skip', version: job.version }), /→ 400 .*"\/body\/mode"/);
  await page.getByRole('combobox', { name: 'Dates and numbers in the file' }).click();
  await page.getByRole('option', { name: /^Russian/ }).click();
  await preview.getByRole('cell', { name: '250000.75' }).waitFor();
  // The unknown company is found out only when the row runs: the preview has no error.
  await page.getByText('The first 3 rows as they will be stored.').waitFor();
  // A deal's row may find its contact by phone: the country of local numbers is asked for.
  await page.getByRole('combobox', { name: 'Country of local phone numbers' }).waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, '93-import-deals-wizard');

  assert.deepEqual(await run(page, 3), { created: 2, updated: 0, skipped: 0, rejected: 1 });
  const dealsJob = page.url();
  await page.getByText('Deals · Every row a new deal').waitFor();
  await screenshot(page, '94-import-deals-report');
  assert.match(await rejectedRows(page), /Балконы,9 900,,ООО Такой нет,.*No company named/);
  // The report in Russian.
  await apiIn(page, 'PATCH', '/auth/me', { locale: 'ru' });
  await page.reload();
  await page.getByText('Сделки · Каждая строка — новая сделка').waitFor();
  await screenshot(page, '95-import-deals-report-ru');
  await apiIn(page, 'PATCH', '/auth/me', { locale: 'en' });
  await page.reload();
  await page.getByText('Done', { exact: true }).waitFor();

  // The board: each deal in its stage, with its amount and company.
  await page.goto(`${baseUrl}/deals/board?pipeline=${pipeline.id}`);
  const glazing = page.getByTestId(`stage-column-${second.name}`).getByTestId('deal-tile').filter({ hasText: 'Остекление склада' });
  await glazing.getByText('$250,000.75').waitFor();
  await glazing.getByText('ООО Сделка-Импорт').waitFor();
  const offices = page.getByTestId(`stage-column-${first.name}`).getByTestId('deal-tile').filter({ hasText: 'Замена окон в офисе' });
  await offices.getByText('$48,000.00').waitFor();
  await screenshot(page, '96-import-deals-board');
  // The list says the same.
  await page.getByText('List', { exact: true }).click();
  const listed = page.getByRole('row').filter({ hasText: 'Остекление склада' });
  await listed.getByText(second.name, { exact: true }).waitFor();
  await listed.getByText('$250,000.75').waitFor();
  await page.getByRole('row').filter({ hasText: 'Замена окон в офисе' }).getByText(first.name, { exact: true }).waitFor();
  await screenshot(page, '97-import-deals-list');
  const deals = (await apiIn(page, 'GET', `/deals?q=${encodeURIComponent('Остекление')}`)).items.concat((await apiIn(page, 'GET', `/deals?q=${encodeURIComponent('Замена окон')}`)).items);
  assert.equal(deals.length, 2);
  const [stored, other] = await Promise.all(deals.map((deal) => apiIn(page, 'GET', `/deals/${deal.id}`)));
  assert.deepEqual(
    { stageId: stored.stageId, amount: stored.amount, currency: stored.currency, companyId: stored.companyId, contacts: stored.contacts.map((link) => link.contactId), ownerId: stored.ownerId },
    { stageId: second.id, amount: '250000.75', currency: 'USD', companyId: company.id, contacts: [buyer.id], ownerId: (await apiIn(page, 'GET', '/auth/me')).user.id },
  );
  assert.deepEqual({ stageId: other.stageId, amount: other.amount, companyId: other.companyId, contacts: other.contacts }, { stageId: first.id, amount: '48000.00', companyId: company.id, contacts: [] });
  assert.equal((await apiIn(page, 'GET', `/deals?q=${encodeURIComponent('Балконы')}`)).items.length, 0);

  // Undone, and the company and contact removed: the deal specs after this one count their own columns.
  await page.goto(dealsJob);
  await undo(page);
  assert.equal((await apiIn(page, 'GET', `/deals?q=${encodeURIComponent('Остекление')}`)).items.length, 0);
  await apiIn(page, 'DELETE', `/contacts/${buyer.id}`);
  await apiIn(page, 'DELETE', `/companies/${company.id}`);
}
