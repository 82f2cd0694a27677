import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { fileProblem } from './import-problem.js';

/** Unpacked, a workbook's parts may not exceed this: a small upload must not expand into gigabytes (a ZIP bomb). */
export const XLSX_MAX_UNPACKED_BYTES = 256 * 1024 * 1024;
/** More parts than any real workbook has: a ZIP of many tiny files is refused before it is walked. */
const XLSX_MAX_PARTS = 10_000;

const unreadable = (why: string) => fileProblem('xlsx_unreadable', `The file is not a readable XLSX workbook (${why})`, 'must be an XLSX workbook', { reason: why });

/**
 * Unpacks every part of the ZIP with a cap on the total output, before exceljs (which trusts the sizes the archive
 * declares) expands it: the declared sizes are summed first, then each part is inflated with at most what is left.
 */
export function checkUnpackedSize(bytes: Buffer, limit = XLSX_MAX_UNPACKED_BYTES): void {
  const megabytes = Math.floor(limit / (1024 * 1024));
  const tooLarge = () => fileProblem('xlsx_unpacked_too_large', `The workbook unpacks to more than ${megabytes} MB`, `must unpack to at most ${megabytes} MB`, { megabytes });
  // The end-of-central-directory record sits in the last 64 KB + 22 bytes, after an optional comment.
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i -= 1) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw unreadable('no ZIP directory');
  const parts = bytes.readUInt16LE(end + 10);
  const directoryOffset = bytes.readUInt32LE(end + 16);
  if (parts > XLSX_MAX_PARTS) throw unreadable(`${parts} parts`);
  const entries: { method: number; packed: number; unpacked: number; local: number }[] = [];
  let declared = 0;
  for (let i = 0, at = directoryOffset; i < parts; i += 1) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== 0x02014b50) throw unreadable('a broken ZIP directory');
    const entry = { method: bytes.readUInt16LE(at + 10), packed: bytes.readUInt32LE(at + 20), unpacked: bytes.readUInt32LE(at + 24), local: bytes.readUInt32LE(at + 42) };
    // 0xFFFFFFFF means the real size is in a ZIP64 record: no workbook under the upload limit needs one.
    if (entry.packed === 0xffffffff || entry.unpacked === 0xffffffff) throw tooLarge();
    declared += entry.unpacked;
    if (declared > limit) throw tooLarge();
    entries.push(entry);
    at += 46 + bytes.readUInt16LE(at + 28) + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  let unpacked = 0;
  for (const entry of entries) {
    if (entry.local + 30 > bytes.length || bytes.readUInt32LE(entry.local) !== 0x04034b50) throw unreadable('a broken ZIP entry');
    const start = entry.local + 30 + bytes.readUInt16LE(entry.local + 26) + bytes.readUInt16LE(entry.local + 28);
    const data = bytes.subarray(start, start + entry.packed);
    if (entry.method === 0) unpacked += data.length;
    else if (entry.method === 8) {
      try {
        unpacked += inflateRawSync(data, { maxOutputLength: Math.max(limit - unpacked, 1) }).length;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
        throw unreadable('a damaged ZIP entry');
      }
    } else throw unreadable(`ZIP compression method ${entry.method}`);
    if (unpacked > limit) throw tooLarge();
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A cell's value as the text a CSV export of the sheet would hold: dates as ISO (time only when there is one),
 * numbers with the file locale's decimal mark and no grouping, formulas by their result, rich text and links by text.
 */
export function cellText(value: ExcelJS.CellValue, locale: 'en' | 'ru'): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    const text = Number.isInteger(value) ? value.toFixed(0) : String(value);
    return locale === 'ru' ? text.replace('.', ',') : text;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    const date = `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
    const time = value.getUTCHours() + value.getUTCMinutes() + value.getUTCSeconds() > 0 ? ` ${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}` : '';
    return date + time;
  }
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('error' in value) return '';
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue, locale);
  if ('text' in value) return typeof value.text === 'string' ? value.text : cellText(value.text as ExcelJS.CellValue, locale);
  return '';
}

/** The first worksheet's rows as text cells (the header row first); the ZIP is checked for its unpacked size first. */
export async function readXlsx(bytes: Buffer, locale: 'en' | 'ru'): Promise<string[][]> {
  checkUnpackedSize(bytes);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw unreadable((error as Error).message);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw unreadable('no worksheet');
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      cells[column - 1] = cellText(cell.value, locale);
    });
    rows[rowNumber - 1] = Array.from(cells, (cell) => cell ?? '');
  });
  return Array.from(rows, (cells) => cells ?? []);
}
