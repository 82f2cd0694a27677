import { describe, expect, it } from 'vitest';
import { encodeSingleByte } from '../../../test/encoding.js';
import { decodeFile, detectDelimiter, detectEncoding, parseFile } from './import-file.js';
import { suggestMapping } from './import-mapping.js';
import { parseLocaleDate, parseLocaleNumber, readRow, splitFullName } from './import-row.js';

const RU = 'Фамилия;Имя;Телефон\nИванов;Иван;8 (916) 123-45-67\nПетрова;Анна;+7 916 1234567\nСидоров;Пётр;9161234567\n';

describe('import files: encoding, delimiter, parsing', () => {
  it('detects UTF-8 with and without a byte-order mark, UTF-16, Windows-1251 and KOI8-R', () => {
    expect(detectEncoding(Buffer.from(RU))).toBe('utf-8');
    expect(detectEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(RU)]))).toBe('utf-8');
    expect(detectEncoding(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(RU, 'utf16le')]))).toBe('utf-16le');
    expect(detectEncoding(Buffer.from(RU, 'utf16le'))).toBe('utf-16le');
    expect(detectEncoding(encodeSingleByte(RU, 'windows-1251'))).toBe('windows-1251');
    expect(detectEncoding(encodeSingleByte(RU, 'koi8-r'))).toBe('koi8-r');
    expect(decodeFile(encodeSingleByte(RU, 'koi8-r'), 'koi8-r')).toBe(RU);
    expect(decodeFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(RU)]), 'utf-8')).toBe(RU);
  });

  it('detects the delimiter, ignoring delimiters inside quotes', () => {
    expect(detectDelimiter(RU)).toBe(';');
    expect(detectDelimiter('a,b,c\n1,2,3\n')).toBe(',');
    expect(detectDelimiter('a\tb\n"x;y;z"\t2\n')).toBe('\t');
    expect(detectDelimiter('name|phone\n"Smith, John"|123\n')).toBe('|');
  });

  it('refuses broken quoting, a file without data rows and one that is too wide, with the reason', () => {
    expect(() => parseFile('a,b\n"unclosed,2\n', ',')).toThrow(/cannot be read as CSV/);
    expect(() => parseFile('a,b\n', ',')).toThrow(/no data rows/);
    expect(() => parseFile(`${Array.from({ length: 2001 }, (_, i) => `c${i}`).join(',')}\n1\n`, ',')).toThrow(/2001 columns/);
    expect(parseFile('a,b\n1,2\n\n,\n3,"x\ny"\n', ',')).toEqual({ headers: ['a', 'b'], rows: [['1', '2'], ['3', 'x\ny']] });
  });
});

describe('import mapping and normalization', () => {
  it('suggests fields from Russian and English headers, and custom fields by their label', () => {
    const custom = [{ key: 'segment', label: 'Сегмент', kind: 'text' }] as never;
    expect(suggestMapping('contact', ['ФИО', 'Телефон', 'Моб. телефон', 'E-mail', 'Компания', 'ИНН', 'Должность', 'Сегмент', 'Что-то'], custom)).toEqual([
      'fullName',
      'phone',
      'phone',
      'email',
      'companyName',
      'companyInn',
      'position',
      'custom.segment',
      null,
    ]);
    expect(suggestMapping('contact', ['First name', 'Last Name', 'Email address', 'Phone', 'Job title', 'Company'], [])).toEqual(['firstName', 'lastName', 'email', 'phone', 'position', 'companyName']);
    expect(suggestMapping('company', ['Наименование', 'ИНН', 'КПП', 'Сайт', 'Юридический адрес'], [])).toEqual(['name', 'inn', 'kpp', 'website', 'legalAddress']);
  });

  it('splits names, reads dates and numbers in the file locale', () => {
    expect(splitFullName('Иванов Иван Петрович')).toEqual({ lastName: 'Иванов', firstName: 'Иван', middleName: 'Петрович' });
    expect(splitFullName('Петрова Анна')).toEqual({ lastName: 'Петрова', firstName: 'Анна', middleName: null });
    expect(splitFullName('John Smith')).toEqual({ firstName: 'John', lastName: 'Smith', middleName: null });
    expect(splitFullName('Ada')).toEqual({ firstName: 'Ada', lastName: null, middleName: null });
    expect(parseLocaleDate('31.12.1980', 'ru')).toBe('1980-12-31');
    expect(parseLocaleDate('12/31/1980', 'en')).toBe('1980-12-31');
    expect(parseLocaleDate('1980-12-31', 'en')).toBe('1980-12-31');
    expect(parseLocaleDate('31.02.1980', 'ru')).toBeNull();
    expect(parseLocaleNumber('1 234,50', 'ru')).toBe(1234.5);
    expect(parseLocaleNumber('1,234.50', 'en')).toBe(1234.5);
    expect(parseLocaleNumber('abc', 'en')).toBeNull();
    // A decimal comma in an English file is no number rather than a price a hundred times too high.
    expect(parseLocaleNumber('1,234,567', 'en')).toBe(1234567);
    expect(parseLocaleNumber('12 500,50', 'en')).toBeNull();
    expect(parseLocaleNumber('1250,5', 'en')).toBeNull();
    expect(parseLocaleNumber('1,2345', 'en')).toBeNull();
  });

  it('normalizes a row: phones to E.164 in the chosen country, e-mails lower-cased, errors per cell', () => {
    const options = { object: 'contact' as const, mapping: ['fullName', 'phone', 'email', 'birthday'], defaultCountry: 'RU', fileLocale: 'ru' as const, customFields: [] };
    const good = readRow(['Иванов Иван Петрович', '8 (916) 123-45-67, +7 916 765-43-21', ' Ivan@Example.COM ', '01.02.1985'], options);
    expect(good.errors).toEqual([]);
    expect(good.values).toMatchObject({ lastName: 'Иванов', firstName: 'Иван', middleName: 'Петрович', phone: '+79161234567, +79167654321', email: 'ivan@example.com', birthday: '1985-02-01' });
    expect(good.phones[0]).toEqual({ number: '8 (916) 123-45-67', type: 'mobile' });
    const bad = readRow(['', '12', 'not-an-email', '99.99.1999'], options);
    expect(bad.errors.map((error) => error.field)).toEqual(['phone', 'email', 'birthday', 'firstName']);
  });
});
