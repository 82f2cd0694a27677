// Import 2. Export: the admin narrows the contacts list by quick search, sorts it by name and exports it to Excel; the
// downloaded file, read back with exceljs, holds the list's columns and rows (a name that looks like a formula stays
// text). With a row limit below the list's size on their role, the export is refused with a clear message. The role
// editor stores a role's export row limit.
import ExcelJS from 'exceljs';
import { ADMIN, apiIn, assert, pageAs } from './lib.mjs';

export default async function exportSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  await apiIn(page, 'POST', '/contacts', { firstName: 'Анна', lastName: 'Экспортова', position: 'Бухгалтер', phones: [{ number: '+7 916 800-20-01' }], emails: [{ email: 'Anna@Export.test' }] });
  await apiIn(page, 'POST', '/contacts', { firstName: '=2+3', lastName: 'Экспортов', position: '@SUM(A1)' });
  await apiIn(page, 'POST', '/contacts', { firstName: 'Борис', lastName: 'Экспортов', position: 'Кладовщик' });
  await apiIn(page, 'POST', '/contacts', { firstName: 'Вера', lastName: 'Другая', position: 'Не для выгрузки' });

  await page.goto(`${baseUrl}/contacts`);
  await page.getByRole('searchbox', { name: 'Search by name' }).fill('экспорт');
  await page.getByTestId('record-total').filter({ hasText: 'Records: 3' }).waitFor();
  await page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
  await page.waitForURL((url) => url.searchParams.get('sort') === 'name');
  await page.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('menuitem', { name: 'Excel (XLSX)' }).waitFor();
  await screenshot(page, '82-export-menu');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Excel (XLSX)' }).click()]);
  assert.match(download.suggestedFilename(), /^contacts-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.concat(chunks));
  const sheet = workbook.worksheets[0];
  const rows = [];
  sheet.eachRow((row) => rows.push(Array.from(row.values, (value) => value ?? null).slice(1)));
  // The list's columns, then the custom fields shown in it (earlier specs add some).
  assert.deepEqual(rows[0].slice(0, 7), ['Name', 'Position', 'Companies', 'Phone', 'E-mail', 'Owner', 'Changed']);
  assert.equal(rows.length, 4, 'the three matching contacts and the header');
  assert.deepEqual(
    rows.slice(1).map((row) => row.slice(0, 6)),
    [
      ['=2+3 Экспортов', '@SUM(A1)', null, null, null, ADMIN.name],
      ['Анна Экспортова', 'Бухгалтер', null, '+7 916 800 20 01', 'anna@export.test', ADMIN.name],
      ['Борис Экспортов', 'Кладовщик', null, null, null, ADMIN.name],
    ],
  );
  assert.equal(sheet.getRow(2).getCell(1).type, ExcelJS.ValueType.String, 'a formula-like name is text, not a formula');
  assert.match(String(rows[1][6]), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
  await page.getByText(/^Saved contacts-/).waitFor();
  await screenshot(page, '83-export-done');

  // Over the role's row limit: refused, and told why.
  const adminRole = (await apiIn(page, 'GET', '/roles')).items.find((role) => role.isSystem);
  const limited = await apiIn(page, 'PATCH', `/roles/${adminRole.id}`, { exportRowLimit: 2, version: adminRole.version });
  await page.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('menuitem', { name: 'CSV (UTF-8)' }).click();
  await page.getByText('This list holds more rows than your role may export at once', { exact: false }).waitFor();
  await screenshot(page, '84-export-refused');
  await apiIn(page, 'PATCH', `/roles/${adminRole.id}`, { exportRowLimit: null, version: limited.version });

  // The role editor keeps a role's export row limit.
  const rep = (await apiIn(page, 'GET', '/roles')).items.find((role) => role.name === 'Sales rep');
  await page.goto(`${baseUrl}/settings/roles/${rep.id}`);
  const limit = page.getByRole('textbox', { name: 'Export row limit' });
  await limit.fill('5000');
  // Saved: the editor answers the PATCH and reloads the role at its new version.
  await Promise.all([
    page.waitForResponse((response) => response.url().endsWith(`/api/v1/roles/${rep.id}`) && response.request().method() === 'PATCH' && response.status() === 200),
    page.getByRole('button', { name: 'Save' }).click(),
  ]);
  assert.equal((await apiIn(page, 'GET', `/roles/${rep.id}`)).exportRowLimit, 5000);
  await page.getByText('Sales rep saved').waitFor();
  await page.reload();
  assert.equal(await page.getByRole('textbox', { name: 'Export row limit' }).inputValue(), '5 000');
  await screenshot(page, '85-role-export-limit');
}
