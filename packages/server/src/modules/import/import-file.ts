import { IMPORT_DELIMITERS, IMPORT_MAX_COLUMNS, type ImportDelimiter, type ImportEncoding } from '@rapport/shared';
import chardet from 'chardet';
import { CsvError, parse } from 'csv-parse/sync';
import { AppError } from '../../core/app-error.js';

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

const reject = (message: string, detail = message): AppError => new AppError('validation', { message, errors: [{ path: '/body', message: detail }] });

/** Cells of the file; the whole file is refused with the line at fault when its quoting is broken or it is too wide. */
export function parseFile(text: string, delimiter: ImportDelimiter): ParsedFile {
  let records: string[][];
  try {
    records = parse(text, { delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: 1024 * 1024 }) as string[][];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw reject(`The file cannot be read as CSV${line ? ` (line ${line})` : ''}: ${error.message}`, line ? `broken quoting or structure at line ${line}` : 'broken quoting or structure');
    }
    throw error;
  }
  const rows = records.filter((cells) => cells.some((cell) => cell.trim() !== ''));
  const [header, ...data] = rows;
  if (!header) throw reject('The file has no rows', 'must have a header row');
  const width = Math.max(...rows.map((cells) => cells.length));
  if (width > IMPORT_MAX_COLUMNS) throw reject(`The file has ${width} columns; at most ${IMPORT_MAX_COLUMNS} can be imported`, `must have at most ${IMPORT_MAX_COLUMNS} columns`);
  if (data.length === 0) throw reject('The file has a header row but no data rows', 'must have at least one data row');
  return { headers: header.map((cell, i) => cell.trim() || `#${i + 1}`), rows: data };
}
