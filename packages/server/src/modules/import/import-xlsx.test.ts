import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { zipBomb } from '../../../test/zip-bomb.js';
import { detectFormat, readImportFile } from './import-file.js';
import { cellText, checkUnpackedSize, readXlsx } from './import-xlsx.js';

async function workbook(rows: unknown[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Контакты');
  for (const row of rows) sheet.addRow(row);
  book.addWorksheet('Second').addRow(['ignored']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('XLSX import', () => {
  it('reads the first sheet as text: dates as ISO, numbers in the file locale, formulas by result, links and rich text by text', async () => {
    const bytes = await workbook([
      ['ФИО', 'Телефон', 'Дата рождения', 'Сумма', 'Формула', 'Сайт', 'Да/нет'],
      ['Иванов Иван', 79161234567, new Date(Date.UTC(1980, 11, 31)), 1234.5, { formula: '1+1', result: 2 }, { text: 'example.ru', hyperlink: 'https://example.ru' }, true],
      [],
      [{ richText: [{ text: 'Петрова ' }, { font: { bold: true }, text: 'Анна' }] }],
    ]);
    expect(await detectFormat(bytes, 'clients.bin')).toBe('xlsx');
    expect(await readXlsx(bytes, 'ru')).toEqual([
      ['ФИО', 'Телефон', 'Дата рождения', 'Сумма', 'Формула', 'Сайт', 'Да/нет'],
      ['Иванов Иван', '79161234567', '1980-12-31', '1234,5', '2', 'example.ru', 'true'],
      [],
      ['Петрова Анна'],
    ]);
    const parsed = await readImportFile(bytes, { format: 'xlsx', encoding: 'utf-8', delimiter: ',', fileLocale: 'en' });
    expect(parsed.headers[0]).toBe('ФИО');
    expect(parsed.rows.map((row) => row[0])).toEqual(['Иванов Иван', 'Петрова Анна']);
    expect(parsed.rows[0]?.[3]).toBe('1234.5');
    expect(cellText(new Date(Date.UTC(2026, 0, 2, 9, 30)), 'en')).toBe('2026-01-02 09:30');
  });

  it('refuses a ZIP bomb by what it unpacks to, even when its declared sizes lie, before the workbook is expanded', async () => {
    const bomb = zipBomb(8 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(() => checkUnpackedSize(bomb, 4 * 1024 * 1024)).toThrow(/unpacks to more than 4 MB/);
    expect(() => checkUnpackedSize(bomb, 16 * 1024 * 1024)).not.toThrow();
    expect(() => checkUnpackedSize(Buffer.from('PK\u0003\u0004 not really a zip'))).toThrow(/not a readable XLSX/);
  });

  it('refuses other binary files and a ZIP that is not a workbook, saying what to save instead', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    await expect(detectFormat(png, 'clients.csv')).rejects.toMatchObject({ code: 'unsupported_media_type', errors: [{ code: 'unsupported_format', params: { type: 'png' } }] });
    await expect(readImportFile(zipBomb(100), { format: 'xlsx', encoding: 'utf-8', delimiter: ',', fileLocale: 'en' })).rejects.toMatchObject({ errors: [{ code: 'xlsx_unreadable' }] });
  });
});
