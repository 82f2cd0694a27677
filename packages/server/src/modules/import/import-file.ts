import { IMPORT_DELIMITERS, IMPORT_MAX_COLUMNS, type ImportDelimiter, type ImportEncoding, type ImportFormat } from '@rapport/shared';
import chardet from 'chardet';
import { CsvError, parse } from 'csv-parse/sync';
import { fileTypeFromBuffer } from 'file-type';
import { fileProblem } from './import-problem.js';
import { readVcards } from './import-vcard.js';
import { readXlsx } from './import-xlsx.js';

/** A parsed file: the header row and the data rows (blank lines left out), each cell as text. */
export interface ParsedFile {
  headers: string[];
  rows: string[][];
}

const SINGLE_BYTE: Record<string, ImportEncoding> = { 'windows-1251': 'windows-1251', 'koi8-r': 'koi8-r' };

/**
 * Cyrillic text is mostly lower case. Windows-1251 has its lower-case letters at 0xE0–0xFF, KOI8-R its upper-case ones:
 * the half with more bytes tells them apart when the detector cannot.
 */
function cyrillicCaseGuess(bytes: Buffer): ImportEncoding {
  let low = 0;
  let high = 0;
  for (const byte of bytes) {
    if (byte >= 0xc0 && byte <= 0xdf) low += 1;
    else if (byte >= 0xe0) high += 1;
  }
  return high >= low ? 'windows-1251' : 'koi8-r';
}

function validUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The file's encoding: a byte-order mark first, then UTF-16 by its zero bytes, then UTF-8 if every byte sequence is
 * valid, else the single-byte Cyrillic encoding the detector rates highest (1C and Excel exports are Windows-1251).
 */
export function detectEncoding(bytes: Buffer): ImportEncoding {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const sample = bytes.subarray(0, 64 * 1024);
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample.length; i += 1) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) evenZeros += 1;
    else oddZeros += 1;
  }
  if (oddZeros > sample.length / 4) return 'utf-16le';
  if (evenZeros > sample.length / 4) return 'utf-16be';
  if (validUtf8(bytes)) return 'utf-8';
  const ranked = chardet.analyse(sample).filter((match) => SINGLE_BYTE[match.name.toLowerCase()]);
  const [first, second] = ranked;
  if (first && (!second || first.confidence > second.confidence)) return SINGLE_BYTE[first.name.toLowerCase()]!;
  return cyrillicCaseGuess(sample);
}

/** The text of the file in the given encoding, without a byte-order mark. Bytes invalid there become U+FFFD. */
export function decodeFile(bytes: Buffer, encoding: ImportEncoding): string {
  return new TextDecoder(encoding, { ignoreBOM: false }).decode(bytes);
}

/**
 * The delimiter that splits the first lines into the same number of cells, most cells winning (quoted text is
 * skipped, so a comma inside quotes does not count).
 */
export function detectDelimiter(text: string): ImportDelimiter {
  const lines = text.replace(/"(?:[^"]|"")*"/g, '""').split(/\r\n|\n|\r/).filter((line) => line.trim() !== '').slice(0, 20);
  let best: { delimiter: ImportDelimiter; score: number } = { delimiter: ',', score: -1 };
  for (const delimiter of IMPORT_DELIMITERS) {
    const counts = lines.map((line) => line.split(delimiter).length - 1);
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const consistent = counts.filter((count) => count === first).length;
    const score = consistent * 1000 + first;
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

/** The cells of a table read from any format: blank rows left out, the first row the header. Too wide or no data refuses the file. */
export function tableOf(records: string[][]): ParsedFile {
  const rows = records.filter((cells) => cells.some((cell) => cell.trim() !== ''));
  const [header, ...data] = rows;
  if (!header) throw fileProblem('no_rows', 'The file has no rows', 'must have a header row');
  const width = Math.max(...rows.map((cells) => cells.length));
  if (width > IMPORT_MAX_COLUMNS) throw fileProblem('too_many_columns', `The file has ${width} columns; at most ${IMPORT_MAX_COLUMNS} can be imported`, `must have at most ${IMPORT_MAX_COLUMNS} columns`, { columns: width, max: IMPORT_MAX_COLUMNS });
  if (data.length === 0) throw fileProblem('no_data_rows', 'The file has a header row but no data rows', 'must have at least one data row');
  return { headers: header.map((cell, i) => cell.trim() || `#${i + 1}`), rows: data };
}

/** Cells of the file; the whole file is refused with the line at fault when its quoting is broken or it is too wide. */
export function parseFile(text: string, delimiter: ImportDelimiter): ParsedFile {
  let records: string[][];
  try {
    records = parse(text, { delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: 1024 * 1024 }) as string[][];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw fileProblem('csv_broken', `The file cannot be read as CSV${line ? ` (line ${line})` : ''}: ${error.message}`, line ? `broken quoting or structure at line ${line}` : 'broken quoting or structure', line ? { line } : {});
    }
    throw error;
  }
  return tableOf(records);
}

/** A ZIP archive's first bytes: file-type may call a workbook written by a lesser tool just "zip". */
const ZIP = 'PK\u0003\u0004';

/** Text has hardly any control characters besides tab and line breaks; binary files are full of them. */
function looksLikeText(head: string): boolean {
  const controls = head.match(/[\u0000-\u0008\u000e-\u001f]/g)?.length ?? 0;
  return controls <= head.length / 100;
}

/**
 * The file's format by its content, the name's extension deciding only what content cannot: a ZIP that is a workbook
 * (or is named .xlsx) is XLSX, any other binary file is refused; text starting BEGIN:VCARD (or named .vcf) is vCard,
 * other text CSV. The type sniffer sees binary files only, as it mistakes some plain text for media.
 */
export async function detectFormat(bytes: Buffer, fileName: string): Promise<ImportFormat> {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName.trim())?.[1]?.toLowerCase() ?? '';
  const zip = bytes.subarray(0, 4).toString('latin1') === ZIP;
  const sample = bytes.subarray(0, 4096);
  const head = decodeFile(sample, detectEncoding(sample));
  if (!zip && looksLikeText(head)) return /^\s*BEGIN:VCARD/i.test(head) || extension === 'vcf' || extension === 'vcard' ? 'vcard' : 'csv';
  const type = await fileTypeFromBuffer(bytes.subarray(0, 64 * 1024));
  if (type?.ext === 'xlsx' || (zip && extension === 'xlsx')) return 'xlsx';
  const kind = type?.ext ?? (zip ? 'zip' : 'binary');
  throw fileProblem('unsupported_format', `A ${kind} file cannot be imported: save it as CSV, XLSX or vCard`, 'must be a CSV, XLSX or vCard file', { type: kind }, 'unsupported_media_type');
}

export interface FileSettings {
  format: ImportFormat;
  encoding: ImportEncoding;
  delimiter: ImportDelimiter;
  fileLocale: 'en' | 'ru';
}

/** The file's header and rows in its format: CSV by encoding and delimiter, the first sheet of XLSX, every card of vCard. */
export async function readImportFile(bytes: Buffer, settings: FileSettings): Promise<ParsedFile> {
  if (settings.format === 'xlsx') return tableOf(await readXlsx(bytes, settings.fileLocale));
  const text = decodeFile(bytes, settings.encoding);
  if (settings.format === 'vcard') return tableOf(readVcards(text));
  return parseFile(text, settings.delimiter);
}
