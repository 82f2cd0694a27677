// Import 1. The import wizard: a Windows-1251 CSV exported from an accounting system, with Russian headers and phones
// written three ways, one row a duplicate of an existing contact and one with an unreadable phone. The encoding and
// delimiter are detected, the columns mapped from the headers, the preview shows the bad cell; with Russia as the phone
// country and "fill the empty fields" the job runs to a report (created / updated / rejected) whose rejected rows
// download with their reason; the people are found by phone in another format; Undo puts the base back as it was.
import { ADMIN, apiIn, assert, pageAs } from './lib.mjs';

/** Bytes of `text` in Windows-1251, built from the browser-independent decoder table of Node. */
function windows1251(text) {
  const decoder = new TextDecoder('windows-1251');
  const table = new Map(Array.from({ length: 256 }, (_, byte) => [decoder.decode(Uint8Array.of(byte)), byte]));
  return Buffer.from([...text].map((char) => table.get(char) ?? 0x3f));
}

const FILE = windows1251(
  [
    'ФИО;Телефон;E-mail;Компания;Должность',
    'Зайцева Мария Игоревна;8 (916) 700-10-01;Maria.Zaitseva@Example.com;ООО Импорт-Тест;Бухгалтер',
    'Лисин Павел;+7 916 7001002;;ООО Импорт-Тест;Кладовщик',
    'Медведев Олег;9167001003;oleg@medvedev.test;;Водитель',
    'Кротов Сергей;+7 (916) 700-10-04;;;Снабженец',
    'Ежов Антон;не помню;;;',
  ].join('\r\n'),
);

export default async function importWizardSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  // The duplicate: already in the base with the same phone written another way, and no position yet.
  const existing = await apiIn(page, 'POST', '/contacts', { firstName: 'Сергей', lastName: 'Кротов', phones: [{ number: '+79167001004' }] });
  const search = async (q) => (await apiIn(page, 'GET', `/search?q=${encodeURIComponent(q)}`)).groups.find((group) => group.object === 'contact')?.items ?? [];

  await page.goto(`${baseUrl}/settings/import`);
  await page.getByRole('heading', { name: 'Import', level: 1 }).waitFor();
  await page.locator('input[type=file]').setInputFiles({ name: 'kontragenty-1c.csv', mimeType: 'text/csv', buffer: FILE });
  await page.getByRole('button', { name: 'Upload and continue' }).click();
  await page.getByRole('heading', { name: 'Import of kontragenty-1c.csv' }).waitFor();

  // Detected and suggested.
  assert.equal(await page.getByRole('combobox', { name: 'Encoding' }).inputValue(), 'WINDOWS-1251');
  assert.equal(await page.getByRole('combobox', { name: 'Delimiter' }).inputValue(), 'Semicolon ;');
  assert.equal(await page.getByRole('combobox', { name: 'ФИО' }).inputValue(), 'Full name (split)');
  assert.equal(await page.getByRole('combobox', { name: 'Телефон' }).inputValue(), 'Phone');
  assert.equal(await page.getByRole('combobox', { name: 'Компания' }).inputValue(), 'Company (name)');

  // The preview: names split, the bad phone marked in its cell.
  const preview = page.getByRole('table', { name: '3. Preview' });
  await preview.getByRole('cell', { name: 'Зайцева' }).waitFor();
  await preview.getByRole('cell', { name: 'Игоревна' }).waitFor();
  await preview.getByText('⚠ Not a phone number: не помню').waitFor();
  // The workspace reads local numbers as American: "8 (916) …" is not one until the file's country is chosen.
  await page.getByText('Rows with errors: 2 of the first 5.').waitFor();
  await page.getByRole('combobox', { name: 'Country of local phone numbers' }).click();
  await page.getByRole('option', { name: /\(RU\)$/ }).click();
  await preview.getByRole('cell', { name: '+79167001003' }).waitFor();
  await page.getByText('Rows with errors: 1 of the first 5.').waitFor();
  // The choice is the server's: the radio turns on once it is saved.
  await page.getByRole('radio', { name: "Fill the record's empty fields" }).click();
  await page.locator('input[type=radio][value=update_empty]:checked').waitFor();
  await screenshot(page, '80-import-wizard');

  await page.getByRole('button', { name: 'Import 5 rows' }).click();
  await page.getByText('Done', { exact: true }).waitFor({ timeout: 30_000 });
  assert.equal(await page.getByTestId('import-created').textContent(), '3');
  assert.equal(await page.getByTestId('import-updated').textContent(), '1');
  assert.equal(await page.getByTestId('import-rejected').textContent(), '1');
  await page.getByText('5 of 5 rows').waitFor();
  await screenshot(page, '81-import-report');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download rejected rows' }).click()]);
  assert.equal(download.suggestedFilename(), 'kontragenty-1c-rejected.csv');
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  const rejected = Buffer.concat(chunks).toString('utf8');
  assert.match(rejected, /Ежов Антон,не помню,,,,6,.*not a phone number we can read/);

  // Found by phone in any format; the duplicate was filled in, not doubled.
  const [maria] = await search('+7 916 700 10 01');
  assert.equal(maria?.title, 'Мария Игоревна Зайцева');
  assert.equal((await search('+7 916 700-10-04')).length, 1);
  assert.equal((await apiIn(page, 'GET', `/contacts/${existing.id}`)).position, 'Снабженец');
  const card = await apiIn(page, 'GET', `/contacts/${maria.id}`);
  assert.deepEqual(card.emails.map((entry) => entry.email), ['maria.zaitseva@example.com']);
  assert.equal(card.companies[0]?.companyName, 'ООО Импорт-Тест');

  // The report in Russian.
  await apiIn(page, 'PATCH', '/auth/me', { locale: 'ru' });
  await page.reload();
  await page.getByText('Готово', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Скачать отклонённые строки' }).or(page.getByRole('link', { name: 'Скачать отклонённые строки' })).waitFor();
  await screenshot(page, '82-import-report-ru');
  await apiIn(page, 'PATCH', '/auth/me', { locale: 'en' });
  await page.reload();

  await page.getByRole('button', { name: 'Undo import' }).click();
  const dialog = page.getByRole('dialog', { name: 'Undo the whole import?' });
  await dialog.getByText('The 3 created records are removed').waitFor();
  await dialog.getByRole('button', { name: 'Undo import' }).click();
  await page.getByText('Undone', { exact: true }).waitFor();
  assert.deepEqual(await search('+79167001001'), []);
  assert.deepEqual(await search('+79167001003'), []);
  const after = await apiIn(page, 'GET', `/contacts/${existing.id}`);
  assert.equal(after.position, null);
  assert.deepEqual(after.phones.map((phone) => phone.e164), ['+79167001004']);
  assert.equal((await apiIn(page, 'GET', `/search?q=${encodeURIComponent('ООО Импорт-Тест')}`)).groups.find((group) => group.object === 'company'), undefined);
  await screenshot(page, '83-import-undone');
}
