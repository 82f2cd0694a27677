/** One CSV value: text, a number, a yes/no, or empty. */
export type CsvValue = string | number | boolean | null;

/**
 * One RFC 4180 cell. CSV injection: a spreadsheet runs a cell starting with =, +, -, @ (or a tab or carriage return
 * before one) as a formula, so such text gets a leading apostrophe, which spreadsheets show as text; numbers stay
 * numbers. A cell holding either separator (comma, semicolon), a quote or a line break is quoted.
 */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",;\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One line, CRLF-terminated. */
export function csvLine(cells: readonly CsvValue[], delimiter = ','): string {
  return `${cells.map(csvCell).join(delimiter)}\r\n`;
}

/** A whole file: a byte-order mark (spreadsheets then read UTF-8, so Cyrillic survives), the header, the rows. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return `\uFEFF${[header, ...rows].map((row) => csvLine(row)).join('')}`;
}
