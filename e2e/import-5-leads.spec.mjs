// Import 5. Leads through the wizard: a UTF-8 CSV from an old lead list with Russian headers, the source and status
// written as Russian labels, one lead already in the base (same phone, another format) and one row whose source is
// not a source. "Leads" is chosen as the object, the columns are mapped from the headers with the lead's own field
// names, the preview marks the bad cell; the job skips the duplicate, rejects the bad row, creates the rest with the
// phones in E.164, and Undo removes them.
import { ADMIN, apiIn, assert, pageAs } from './lib.mjs';

const FILE = Buffer.from(
  [
    'ФИО;Компания;Телефон;Источник;Статус;Комментарий',
    'Гусева Ирина;ООО Лид-Тест;8 (916) 710-20-01;Сайт;Новый;Просила прайс',
    'Фролов Кирилл;;+7 916 7102002;Звонок;В работе;',
    'Соколов Глеб;ИП Соколов;9167102003;Рекомендация;;',
    'Рябов Тимур;;8 916 710 20 04;газета;;',
  ].join('\n'),
);

export default async function importLeadsSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  const existing = await apiIn(page, 'POST', '/leads', { name: 'Глеб Соколов', phones: [{ number: '+79167102003' }] });
  const leadsByPhone = async (phone) => (await apiIn(page, 'GET', `/leads?filter=${encodeURIComponent(JSON.stringify({ field: 'phone', op: 'eq', value: phone }))}`)).items;

  await page.goto(`${baseUrl}/settings/import`);
  await page.getByRole('heading', { name: 'Import', level: 1 }).waitFor();
  // The administrator may import every object: all five are offered.
  for (const object of ['Contacts', 'Companies', 'Products', 'Deals']) await page.locator('label', { hasText: new RegExp(`^${object}$`) }).waitFor();
  await page.locator('label', { hasText: /^Leads$/ }).click();
  await page.locator('input[type=file]').setInputFiles({ name: 'leads-2025.csv', mimeType: 'text/csv', buffer: FILE });
  await page.getByRole('button', { name: 'Upload and continue' }).click();
  await page.getByRole('heading', { name: 'Import of leads-2025.csv' }).waitFor();

  // The lead's own fields, suggested from the Russian headers.
  assert.equal(await page.getByRole('combobox', { name: 'ФИО' }).inputValue(), 'Name (person)');
  assert.equal(await page.getByRole('combobox', { name: 'Компания' }).inputValue(), 'Company name');
  assert.equal(await page.getByRole('combobox', { name: 'Источник' }).inputValue(), 'Source');
  assert.equal(await page.getByRole('combobox', { name: 'Статус' }).inputValue(), 'Status');
  assert.equal(await page.getByRole('combobox', { name: 'Комментарий' }).inputValue(), 'Description');

  await page.getByRole('combobox', { name: 'Country of local phone numbers' }).click();
  await page.getByRole('option', { name: /\(RU\)$/ }).click();
  const preview = page.getByRole('table', { name: '3. Preview' });
  await preview.getByRole('cell', { name: '+79167102001' }).waitFor();
  await preview.getByRole('cell', { name: 'In work' }).waitFor();
  await preview.getByText('⚠ Not one of the options: газета').waitFor();
  await page.getByText('Rows with errors: 1 of the first 4.').waitFor();
  await screenshot(page, '88-import-leads-wizard');

  await page.getByRole('button', { name: 'Import 4 rows' }).click();
  await page.getByText('Done', { exact: true }).waitFor({ timeout: 30_000 });
  assert.equal(await page.getByTestId('import-created').textContent(), '2');
  assert.equal(await page.getByTestId('import-skipped').textContent(), '1');
  assert.equal(await page.getByTestId('import-rejected').textContent(), '1');
  await screenshot(page, '89-import-leads-report');

  const [irina] = await leadsByPhone('+79167102001');
  assert.equal(irina?.name, 'Гусева Ирина');
  assert.equal(irina.companyName, 'ООО Лид-Тест');
  assert.equal(irina.source, 'website');
  assert.equal(irina.description, 'Просила прайс');
  assert.equal((await leadsByPhone('+79167102002'))[0]?.status, 'in_work');
  assert.deepEqual((await leadsByPhone('+79167102003')).map((lead) => lead.id), [existing.id]);

  await page.getByRole('button', { name: 'Undo import' }).click();
  const dialog = page.getByRole('dialog', { name: 'Undo the whole import?' });
  await dialog.getByRole('button', { name: 'Undo import' }).click();
  await page.getByText('Undone', { exact: true }).waitFor();
  assert.deepEqual(await leadsByPhone('+79167102001'), []);
  assert.deepEqual(await leadsByPhone('+79167102002'), []);
  assert.equal((await leadsByPhone('+79167102003')).length, 1);
}
