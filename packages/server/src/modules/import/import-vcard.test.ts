import { describe, expect, it } from 'vitest';
import { encodeSingleByte } from '../../../test/encoding.js';
import { decodeFile, detectEncoding, detectFormat, readImportFile } from './import-file.js';
import { suggestMapping } from './import-mapping.js';
import { readVcards, VCARD_HEADERS } from './import-vcard.js';

const V3 = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'N:Иванов;Иван;Петрович;;',
  'FN:Иван Петрович Иванов',
  'ORG:ООО Ромашка;Отдел продаж',
  'TITLE:Директор',
  'TEL;TYPE=CELL:+7 916 123-45-67',
  'TEL;TYPE=WORK:8 (495) 123-45-67',
  'EMAIL;TYPE=INTERNET:ivan@example.ru',
  'item1.EMAIL:ivan2@example.ru',
  'ADR;TYPE=WORK:;;ул. Ленина\\, 1;Москва;;101000;Россия',
  'BDAY:1980-12-31',
  'PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQ',
  ' AAAQABAAD',
  'NOTE:Звонить после 10\\, не раньше',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:4.0',
  'FN:John Smith',
  'N:Smith;John;;;',
  'TEL;VALUE=uri;TYPE="voice,cell":tel:+1-555-555-5555',
  'BDAY:19850412',
  'END:VCARD',
  '',
].join('\r\n');

// As old phones export: bare parameters, quoted-printable UTF-8 with a soft line break.
const V21 = ['BEGIN:VCARD', 'VERSION:2.1', 'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=9F=D0=B5=D1=82=D1=80=D0=BE=D0=B2;=D0=9F=D1=91=', '=D1=82=D1=80;;;', 'TEL;CELL:+79161112233', 'TEL;WORK;VOICE:84951112233', 'EMAIL;INTERNET:petr@example.ru', 'END:VCARD', ''].join('\r\n');

describe('vCard import', () => {
  it('reads every card of 3.0 and 4.0 into the contact columns: names, company, title, all phones and e-mails, address, birthday, note', () => {
    const [headers, ivan, john] = readVcards(V3);
    expect(headers).toEqual(VCARD_HEADERS);
    expect(ivan).toEqual(['Иван Петрович Иванов', 'Иванов', 'Иван', 'Петрович', 'ООО Ромашка', 'Директор', '+7 916 123-45-67, 8 (495) 123-45-67', 'ivan@example.ru, ivan2@example.ru', 'ул. Ленина, 1, Москва, 101000, Россия', '1980-12-31', 'Звонить после 10, не раньше']);
    expect(john).toEqual(['John Smith', 'Smith', 'John', '', '', '', '+1-555-555-5555', '', '', '1985-04-12', '']);
    expect(suggestMapping('contact', VCARD_HEADERS, [])).toEqual(['fullName', 'lastName', 'firstName', 'middleName', 'companyName', 'position', 'phone', 'email', 'address', 'birthday', null]);
  });

  it('reads 2.1 cards with bare parameters and quoted-printable values, and Windows-1251 files', () => {
    expect(readVcards(V21)[1]).toEqual(['', 'Петров', 'Пётр', '', '', '', '+79161112233, 84951112233', 'petr@example.ru', '', '', '']);
    const cp1251 = encodeSingleByte(V3, 'windows-1251');
    expect(readVcards(decodeFile(cp1251, detectEncoding(cp1251)))[1]?.[1]).toBe('Иванов');
  });

  it('refuses a card without its end and a file without cards, naming the line', () => {
    expect(() => readVcards('BEGIN:VCARD\nVERSION:3.0\nFN:A\n')).toThrow(/line 1/);
    expect(() => readVcards('FN:nobody\n')).toThrow(/no vCard/);
  });

  it('is told from CSV by its content or its extension', async () => {
    expect(await detectFormat(Buffer.from(V3), 'contacts.txt')).toBe('vcard');
    expect(await detectFormat(Buffer.from('Имя;Телефон\nА;1\n'), 'contacts.csv')).toBe('csv');
    expect(await detectFormat(Buffer.from('\uFEFFName\nA\n'), 'contacts.vcf')).toBe('vcard');
    const parsed = await readImportFile(Buffer.from(V3), { format: 'vcard', encoding: 'utf-8', delimiter: ',', fileLocale: 'ru' });
    expect(parsed.rows).toHaveLength(2);
  });
});
