import { IMPORT_ENCODINGS } from '@rapport/shared';
import ICAL from 'ical.js';
import { fileProblem } from './import-problem.js';

/** The columns a vCard file is read into: English headers the mapping suggestions recognise. */
export const VCARD_HEADERS = ['Full name', 'Last name', 'First name', 'Middle name', 'Company', 'Title', 'Phone', 'E-mail', 'Address', 'Birthday', 'Note'];

/** Properties read from a card; the rest (photos, keys, vendor extensions) are dropped before parsing. */
const USED = new Set(['BEGIN', 'END', 'VERSION', 'FN', 'N', 'ORG', 'TITLE', 'TEL', 'EMAIL', 'ADR', 'BDAY', 'NOTE']);

function decodeQuotedPrintable(text: string, charset: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const hex = text[i] === '=' ? /^[0-9A-Fa-f]{2}/.exec(text.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i]!, 'utf8'));
  }
  // An unknown charset name reads as UTF-8 rather than refusing the card.
  const label = (IMPORT_ENCODINGS as readonly string[]).includes(charset.toLowerCase()) ? charset.toLowerCase() : 'utf-8';
  return new TextDecoder(label).decode(Uint8Array.from(bytes));
}

interface Line {
  text: string;
  number: number;
}

/**
 * vCard 2.1 as old phones and Outlook write it, made readable for a 3.0 parser: folded and quoted-printable soft line
 * breaks joined, bare parameters (`TEL;CELL`) named `TYPE=`, quoted-printable values decoded in their charset.
 * Properties the import does not use are dropped so their quirks cannot break a card.
 */
function cleanLines(text: string): Line[] {
  const lines: Line[] = [];
  const physical = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < physical.length; i += 1) {
    const raw = physical[i]!;
    const last = lines.at(-1);
    if (last && /^[ \t]/.test(raw)) last.text += raw.slice(1);
    else if (last && /ENCODING=QUOTED-PRINTABLE/i.test(last.text.split(':')[0] ?? '') && last.text.endsWith('=')) last.text = last.text.slice(0, -1) + raw;
    else if (raw.trim() !== '') lines.push({ text: raw, number: i + 1 });
  }
  const kept: Line[] = [];
  for (const line of lines) {
    const match = /^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$/.exec(line.text);
    if (!match || !USED.has(match[1]!.toUpperCase())) continue;
    const name = match[1]!.toUpperCase();
    let value = match[3]!;
    const params = match[2]!
      .split(';')
      .filter((param) => param !== '')
      .map((param) => (param.includes('=') ? param : `TYPE=${param}`));
    const charset = params.find((param) => /^CHARSET=/i.test(param))?.slice('CHARSET='.length) ?? 'utf-8';
    if (params.some((param) => /^ENCODING=QUOTED-PRINTABLE$/i.test(param))) value = decodeQuotedPrintable(value, charset).replace(/\r\n|\n|\r/g, '\\n');
    const rest = params.filter((param) => !/^(ENCODING|CHARSET)=/i.test(param));
    kept.push({ text: `${name}${rest.map((param) => `;${param}`).join('')}:${value}`, number: line.number });
  }
  return kept;
}

const joined = (value: unknown, separator: string): string => (Array.isArray(value) ? value.map((part) => joined(part, ',')).filter((part) => part.trim() !== '').join(separator) : value === null || value === undefined ? '' : String(value).trim());

/** One card as a row in the order of VCARD_HEADERS. */
function cardRow(card: ICAL.Component): string[] {
  const first = (name: string) => card.getFirstProperty(name);
  // Version 2.1 does not escape commas, which a 3.0 parser then splits into several values.
  const texts = (name: string) => card.getAllProperties(name).map((property) => joined(property.getValues(), ', ')).filter((text) => text !== '');
  const n = first('n')?.getFirstValue() as unknown;
  const parts = Array.isArray(n) ? n.map((part) => joined(part, ' ')) : [];
  const org = first('org')?.getFirstValue() as unknown;
  const adr = first('adr')?.getFirstValue() as unknown;
  // ADR is post box; extended; street; city; region; postal code; country: written from the street out.
  const address = Array.isArray(adr) ? [adr[2], adr[1], adr[3], adr[4], adr[5], adr[6], adr[0]].map((part) => joined(part, ', ')).filter((part) => part !== '').join(', ') : '';
  const bday = first('bday')?.getFirstValue() as unknown;
  const birthday = bday instanceof ICAL.VCardTime || bday instanceof ICAL.Time ? (bday.year ? `${bday.year}-${String(bday.month).padStart(2, '0')}-${String(bday.day).padStart(2, '0')}` : '') : joined(bday, ' ');
  return [
    texts('fn')[0] ?? '',
    parts[0] ?? '',
    parts[1] ?? '',
    parts[2] ?? '',
    Array.isArray(org) ? joined(org[0], ' ') : joined(org, ' '),
    texts('title')[0] ?? '',
    texts('tel')
      .map((tel) => tel.replace(/^tel:/i, ''))
      .join(', '),
    texts('email').join(', '),
    address,
    birthday,
    texts('note').join('\n'),
  ];
}

const broken = (line: number, why: string) => fileProblem('vcard_broken', `The card at line ${line} cannot be read: ${why}`, `broken vCard at line ${line}`, { line });

/** Every card of a vCard file (2.1, 3.0 or 4.0) as a row under VCARD_HEADERS; a card that cannot be read refuses the file. */
export function readVcards(text: string): string[][] {
  const lines = cleanLines(text);
  const rows: string[][] = [VCARD_HEADERS];
  let card: Line[] | null = null;
  for (const line of lines) {
    const upper = line.text.toUpperCase();
    if (upper === 'BEGIN:VCARD') card = [line];
    else if (card && upper === 'END:VCARD') {
      card.push(line);
      let parsed: ICAL.Component;
      try {
        parsed = new ICAL.Component(ICAL.parse(card.map((l) => l.text).join('\r\n')) as unknown as unknown[]);
      } catch (error) {
        throw broken(card[0]!.number, (error as Error).message);
      }
      rows.push(cardRow(parsed));
      card = null;
    } else if (card) card.push(line);
  }
  if (card) throw broken(card[0]!.number, 'no END:VCARD');
  if (rows.length === 1) throw fileProblem('no_cards', 'The file holds no vCard (BEGIN:VCARD … END:VCARD)', 'must hold at least one vCard');
  return rows;
}
