// Import 3. Files besides CSV, in a Russian interface: an empty file is refused with the reason in Russian; an Excel
// workbook (built here with exceljs: a phone stored as a number, a birthday as a date) is read from its first sheet,
// the preview marks its bad e-mail in Russian, and the import creates the good row and rejects the bad one; a vCard
// address book (3.0 and 2.1 cards) is read card by card into names, company, position and every phone, and imported.
import ExcelJS from 'exceljs';
import { ADMIN, apiIn, assert, pageAs } from './lib.mjs';

async function workbook() {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Клиенты');
  sheet.addRow(['ФИО', 'Телефон', 'E-mail', 'Дата рождения']);
  sheet.addRow(['Голубева Вера Павловна', 79167003001, 'vera@golubeva.test', new Date(Date.UTC(1988, 2, 14))]);
  sheet.addRow(['Щукин Лев', '+7 916 700-30-02', 'не почта', null]);
  book.addWorksheet('Справочник').addRow(['не импортируется']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const VCARDS = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'N:Соловьёва;Ирина;Андреевна;;',
  'FN:Ирина Андреевна Соловьёва',
  'ORG:ООО Визитница',
  'TITLE:Юрист',
  'TEL;TYPE=CELL:+7 916 700-30-03',
  'TEL;TYPE=WORK:+7 495 700-30-04',
  'EMAIL:irina@vizitnica.test',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:2.1',
  'N:Орлов;Пётр',
  'TEL;CELL:+79167003005',
  'END:VCARD',
  '',
].join('\r\n');

export default async function importFormatsSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  const search = async (q) => (await apiIn(page, 'GET', `/search?q=${encodeURIComponent(q)}`)).groups.find((group) => group.object === 'contact')?.items ?? [];
  await apiIn(page, 'PATCH', '/auth/me', { locale: 'ru' });
  try {
    const upload = async (file) => {
      await page.goto(`${baseUrl}/settings/import`);
      await page.getByRole('heading', { name: 'Импорт', level: 1 }).waitFor();
      await page.locator('input[type=file]').setInputFiles(file);
      await page.getByRole('button', { name: 'Загрузить и продолжить' }).click();
    };
    const runToReport = async () => {
      await page.getByRole('combobox', { name: 'Страна местных номеров телефонов' }).click();
      await page.getByRole('option', { name: /\(RU\)$/ }).click();
      await page.getByRole('button', { name: /^Импортировать строк/ }).click();
      await page.getByText('Готово', { exact: true }).waitFor({ timeout: 30_000 });
    };

    // Refused as a whole, the reason in Russian.
    await upload({ name: 'pusto.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) });
    await page.getByText('Файл пустой.').waitFor();

    await upload({ name: 'klienty.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await workbook() });
    await page.getByRole('heading', { name: 'Импорт файла klienty.xlsx' }).waitFor();
    assert.equal(await page.getByRole('textbox', { name: 'Формат' }).inputValue(), 'Книга XLSX');
    assert.equal(await page.getByRole('combobox', { name: 'Кодировка' }).count(), 0);
    const preview = page.getByRole('table', { name: '3. Предпросмотр' });
    await preview.getByRole('cell', { name: 'Голубева' }).waitFor();
    await preview.getByRole('cell', { name: '1988-03-14' }).waitFor();
    await preview.getByText('⚠ Не адрес эл. почты: не почта').waitFor();
    await screenshot(page, '84-import-xlsx-preview-ru');
    await runToReport();
    assert.equal(await page.getByTestId('import-created').textContent(), '1');
    assert.equal(await page.getByTestId('import-rejected').textContent(), '1');
    const [vera] = await search('+7 916 700 30 01');
    assert.equal(vera?.title, 'Вера Павловна Голубева');
    assert.equal((await apiIn(page, 'GET', `/contacts/${vera.id}`)).birthday, '1988-03-14');

    await upload({ name: 'kontakty.vcf', mimeType: 'text/vcard', buffer: Buffer.from(VCARDS) });
    await page.getByRole('heading', { name: 'Импорт файла kontakty.vcf' }).waitFor();
    assert.equal(await page.getByRole('textbox', { name: 'Формат' }).inputValue(), 'vCard');
    await page.getByRole('table', { name: '3. Предпросмотр' }).getByRole('cell', { name: 'ООО Визитница' }).waitFor();
    await runToReport();
    assert.equal(await page.getByTestId('import-created').textContent(), '2');
    await screenshot(page, '85-import-vcard-report-ru');
    const [irina] = await search('+74957003004');
    const card = await apiIn(page, 'GET', `/contacts/${irina.id}`);
    assert.equal(card.position, 'Юрист');
    assert.deepEqual(card.phones.map((phone) => phone.e164), ['+79167003003', '+74957003004']);
    assert.equal(card.companies[0]?.companyName, 'ООО Визитница');
    assert.equal((await search('+79167003005'))[0]?.title, 'Пётр Орлов');
  } finally {
    await apiIn(page, 'PATCH', '/auth/me', { locale: 'en' });
  }
}
