// Sales: document templates. The administrator uploads a Word template in Settings; one with a merge field the
// record does not have is refused, naming it; the good one lists its fields. From a company's card a manager makes a
// PDF of it, which lands among the company's files and downloads as a real PDF.
import { choose } from './client-base-1-companies.spec.mjs';
import { docxOf as docx } from './docx.mjs';
import { ADMIN, apiIn, assert, pageAs } from './lib.mjs';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export default async function documentTemplatesSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  await page.goto(`${baseUrl}/settings/documents`);
  await page.getByRole('heading', { name: 'Document templates', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'New template' }).click();
  const form = page.getByRole('dialog', { name: 'New template' });
  await form.getByLabel('Name').fill('Commercial offer');
  await choose(page, form, 'Record', 'Company');
  await form.getByTestId('merge-fields').getByText('{legalAddress}').waitFor();

  // A field companies do not have is refused by name; nothing is kept.
  await form.locator('input[type=file]').setInputFiles({ name: 'offer.docx', mimeType: DOCX_TYPE, buffer: docx(['Offer for {name}', 'Amount: {amount}']) });
  await form.getByTestId('chosen-file').getByText('offer.docx').waitFor();
  await form.getByRole('button', { name: 'Upload template' }).click();
  await form.getByRole('alert').getByText(/The template cannot be used/).waitFor();
  assert.deepEqual(await form.getByTestId('bad-field').allTextContents(), ['{amount}']);
  await screenshot(page, '114-document-template-refused');

  await form.locator('input[type=file]').setInputFiles({ name: 'offer.docx', mimeType: DOCX_TYPE, buffer: docx(['Commercial offer for {name}', 'INN {inn}, {legalAddress}', 'Your manager: {owner.name}', 'Date: {today}']) });
  await form.getByRole('button', { name: 'Upload template' }).click();
  await page.getByText('Template “Commercial offer” saved').waitFor();
  const row = page.getByTestId('template-row').filter({ hasText: 'Commercial offer' });
  await row.getByText('{owner.name}').waitFor();
  await screenshot(page, '115-document-templates');

  // From the company's card: a PDF of the offer joins the files.
  const company = await apiIn(page, 'POST', '/companies', { name: 'Okna Plus', inn: '7701234567', legalAddress: 'Moscow, Tverskaya 1' });
  await page.goto(`${baseUrl}/companies/${company.id}`);
  await page.getByRole('heading', { name: 'Okna Plus', level: 1 }).waitFor();
  const files = page.getByRole('region', { name: 'Files' });
  await files.getByRole('button', { name: 'Create document' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create a document from a template' });
  await dialog.getByText('PDF', { exact: true }).click();
  await dialog.getByRole('button', { name: 'Create' }).click();
  await page.getByText('“Commercial offer — Okna Plus.pdf” added to the files').waitFor({ timeout: 90_000 });
  await files.getByTestId('attachment').filter({ hasText: 'Commercial offer — Okna Plus.pdf' }).waitFor();
  await screenshot(page, '116-document-generated');

  const [download] = await Promise.all([page.waitForEvent('download'), files.getByRole('link', { name: 'Download: Commercial offer — Okna Plus.pdf' }).click()]);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  assert.equal(Buffer.concat(chunks).subarray(0, 5).toString(), '%PDF-');
}
