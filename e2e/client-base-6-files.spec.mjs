// Client base 6. Files on a card: a measurement sheet (PNG) and a PDF attached from the contact's card, the picture
// previewed in place, the PDF downloaded as sent; a program is refused with a clear message and nothing is kept;
// removing a file asks first and the card's history shows both the attaching and the removal.
import zlib from 'node:zlib';
import { ADMIN, apiIn, assert, pageAs } from './lib.mjs';

/** A real 40×30 PNG (solid blue), built by hand so the spec needs no image files. */
function bluePng() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const [width, height] = [40, 30];
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.concat(Array.from({ length: height }, () => Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [34, 102, 204]).flat())])));
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

export default async function filesSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  const contact = await apiIn(page, 'POST', '/contacts', { firstName: 'Wanda', lastName: 'Windows' });
  await page.goto(`${baseUrl}/contacts/${contact.id}`);
  await page.getByRole('heading', { name: 'Wanda Windows', level: 1 }).waitFor();
  const panel = page.getByRole('region', { name: 'Files' });
  await panel.getByText('No files yet.').waitFor();

  await panel.locator('input[type=file]').setInputFiles([
    { name: 'window-measurements.png', mimeType: 'image/png', buffer: bluePng() },
    { name: 'Offer 2026.pdf', mimeType: 'application/pdf', buffer: PDF },
  ]);
  await page.getByText('Attached “Offer 2026.pdf”').waitFor();
  const rows = panel.getByTestId('attachment');
  await rows.filter({ hasText: 'window-measurements.png' }).waitFor();
  assert.equal(await rows.count(), 2);
  await rows.filter({ hasText: 'window-measurements.png' }).getByText(/^\d+ B · Ada Admin, /).waitFor();
  await screenshot(page, '45-card-files');

  // The picture opens in place.
  await panel.getByRole('button', { name: 'Preview: window-measurements.png' }).click();
  const preview = page.getByRole('dialog', { name: 'window-measurements.png' });
  const image = preview.getByRole('img', { name: 'window-measurements.png' });
  await image.waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('img')].some((img) => img.alt === 'window-measurements.png' && img.complete && img.naturalWidth === 40));
  await screenshot(page, '46-file-preview');
  await preview.getByRole('button', { name: 'Close' }).click();

  // The PDF downloads as it was sent, under its own name.
  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('link', { name: 'Download: Offer 2026.pdf' }).click()]);
  assert.equal(download.suggestedFilename(), 'Offer 2026.pdf');
  const saved = await download.createReadStream();
  const chunks = [];
  for await (const chunk of saved) chunks.push(chunk);
  assert.ok(Buffer.concat(chunks).equals(PDF), 'the downloaded file is the uploaded one');

  // A program dressed up as a document is refused, and nothing is kept.
  await panel.locator('input[type=file]').setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0x90), Buffer.from('PE\0\0')]) });
  await page.getByText(/“invoice\.pdf” was not attached: files of this type cannot be attached/).waitFor();
  assert.equal(await rows.count(), 2);
  await screenshot(page, '47-file-refused');

  // Removing asks first; the history shows the file coming and going.
  await panel.getByRole('button', { name: 'Remove: Offer 2026.pdf' }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove the file?' });
  await confirm.getByText('“Offer 2026.pdf” will be removed from this record.', { exact: false }).waitFor();
  await confirm.getByRole('button', { name: 'Remove' }).click();
  await page.getByText('File removed').waitFor();
  await rows.filter({ hasText: 'Offer 2026.pdf' }).waitFor({ state: 'detached' });
  const history = page.getByRole('region', { name: 'History' });
  await history.getByTestId('timeline-detached').filter({ hasText: 'Offer 2026.pdf' }).waitFor();
  await history.getByTestId('timeline-attached').filter({ hasText: 'window-measurements.png' }).waitFor();
  await screenshot(page, '48-card-files-history');
  const files = await apiIn(page, 'GET', `/attachments/contact/${contact.id}`);
  assert.deepEqual(files.items.map((file) => file.fileName), ['window-measurements.png']);
  await page.context().close();
}
