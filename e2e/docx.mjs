// Minimal Word documents for tests (the server's unit and integration tests and the e2e specs), built in code so no
// binary fixtures are needed.
import PizZip from 'pizzip';

const escapeXml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const unescapeXml = (text) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

const paragraphOf = (line) => `<w:p>${(Array.isArray(line) ? line : [line]).map((run) => `<w:r><w:t xml:space="preserve">${escapeXml(run)}</w:t></w:r>`).join('')}</w:p>`;

/**
 * A valid DOCX whose body is one paragraph per line. A line may be given as several runs, the way Word splits what
 * one types (e.g. `['{na', 'me}']`), so templates are tested as Word really stores them; `{ row: [cell, …] }` is a
 * table of one row, a cell holding one line.
 */
export function docxOf(lines) {
  const zip = new PizZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  const paragraphs = lines.map((line) => (line.row ? `<w:tbl><w:tr>${line.row.map((cell) => `<w:tc>${paragraphOf(cell)}</w:tc>`).join('')}</w:tr></w:tbl>` : paragraphOf(line))).join('');
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paragraphs}</w:body></w:document>`);
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** The text of a DOCX's paragraphs, one per line. */
export function docxText(content) {
  const xml = new PizZip(content).file('word/document.xml')?.asText() ?? '';
  return [...xml.matchAll(/<w:p\b[^>]*>(.*?)<\/w:p>/gs)].map((match) => [...(match[1] ?? '').matchAll(/<w:t[^>]*>(.*?)<\/w:t>/gs)].map((t) => unescapeXml(t[1] ?? '')).join(''));
}

/** The rows of a DOCX's tables, each as its cells' text. */
export function docxRows(content) {
  const xml = new PizZip(content).file('word/document.xml')?.asText() ?? '';
  return [...xml.matchAll(/<w:tr\b[^>]*>(.*?)<\/w:tr>/gs)].map((row) => [...(row[1] ?? '').matchAll(/<w:tc\b[^>]*>(.*?)<\/w:tc>/gs)].map((cell) => [...(cell[1] ?? '').matchAll(/<w:t[^>]*>(.*?)<\/w:t>/gs)].map((t) => unescapeXml(t[1] ?? '')).join('')));
}
