// Sales forms 1. Lead capture: the administrator builds a web form in Settings › Web forms (name, phone, e-mail and a
// message; every lead to herself), copies the embed snippet, and a landing page on another origin (a tiny HTTP server
// of this spec) embeds it. A visitor opens the page from an ad (UTM tags in the address), fills the form and sends it:
// the page thanks them. In Rapport the form's requests list the new lead; its card shows the UTM tags, and the
// "Call back within 15 minutes" task is there for its owner.
import { ADMIN, apiIn, assert, landingSite, newContext, openSettingsNav, pageAs, sidewaysOverflow } from './lib.mjs';

export default async function webFormCaptureSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  await (await openSettingsNav(page)).getByRole('link', { name: 'Web forms' }).click();
  await page.getByRole('heading', { name: 'Web forms', level: 1 }).waitFor();
  await page.getByText('No web forms yet.', { exact: false }).waitFor();

  await page.getByRole('link', { name: 'New form' }).click();
  const form = page.getByRole('form', { name: 'Form settings' });
  await form.getByRole('textbox', { name: 'Form name' }).fill('Window request');
  await form.getByRole('checkbox', { name: 'Put “Message” on the form' }).check();
  await form.getByRole('textbox', { name: 'Label of “Message”' }).fill('Which windows do you need?');
  // Without a person to give leads to, the form says so beside the field before sending.
  await form.getByRole('button', { name: 'Create form' }).click();
  await form.getByText('Choose the person who gets the leads.').waitFor();
  await screenshot(page, '119-web-form-no-owner');
  assert.deepEqual((await apiIn(page, 'GET', '/web-forms')).items, [], 'nothing was sent');
  await form.getByRole('combobox', { name: 'Person who gets every lead' }).click();
  await page.getByRole('option', { name: ADMIN.name }).click();
  await form.getByRole('textbox', { name: 'Success message' }).fill('Thank you! A manager will call you within 15 minutes.');
  await form.getByRole('button', { name: 'Create form' }).click();
  await page.getByText('Form “Window request” saved').waitFor();
  await page.getByRole('heading', { name: 'Window request', level: 1 }).waitFor();

  const snippet = (await page.getByTestId('web-form-snippet').innerText()).trim();
  assert.match(snippet, /^<div data-rapport-form="[0-9a-f-]{36}"><\/div>\n<script src="http:\/\/[^"]+\/embed\/forms\.js" async><\/script>$/);
  await page.getByRole('button', { name: 'Copy' }).click();
  await page.getByRole('button', { name: 'Copied' }).waitFor();
  await screenshot(page, '120-web-form-settings');

  const site = await landingSite(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Okna Windows</title></head>
<body style="font-family: sans-serif; max-width: 640px; margin: 40px auto">
<h1>Warm windows for your home</h1><p>Leave a request and we will call you back.</p>
${snippet}
</body></html>`);
  try {
    const visitor = await (await newContext(browser)).newPage();
    await visitor.goto(`${site.url}/windows?utm_source=google&utm_medium=cpc&utm_campaign=spring-sale`);
    const embedded = visitor.locator('form.rapport-form');
    await embedded.getByRole('textbox', { name: 'Name *' }).fill('Victor Visitor');
    await embedded.getByRole('textbox', { name: 'Phone *' }).fill('(415) 555-0133');
    await embedded.getByRole('textbox', { name: 'E-mail' }).fill('Victor@Example.com');
    await embedded.getByRole('textbox', { name: 'Which windows do you need?' }).fill('Three PVC windows, 100×120');
    await screenshot(visitor, '121-web-form-on-a-site');
    await embedded.getByRole('button', { name: 'Send' }).click();
    await visitor.getByText('Thank you! A manager will call you within 15 minutes.').waitFor();
    await screenshot(visitor, '122-web-form-sent');
  } finally {
    await site.close();
  }

  await page.reload();
  const request = page.getByTestId('web-form-submission');
  await request.getByText('google').waitFor();
  await screenshot(page, '123-web-form-requests');
  await request.getByRole('link', { name: 'Victor Visitor' }).click();
  await page.getByRole('heading', { name: 'Victor Visitor', level: 1 }).waitFor();
  const capture = page.getByTestId('lead-capture');
  await capture.getByText('spring-sale').waitFor();
  await page.getByText('Call back within 15 minutes: Victor Visitor').waitFor();
  await page.locator('.mantine-Loader-root').waitFor({ state: 'detached' });
  await screenshot(page, '124-web-form-lead-card');

  const leadId = page.url().split('/').pop();
  const lead = await apiIn(page, 'GET', `/leads/${leadId}`);
  assert.equal(lead.source, 'website');
  assert.equal(lead.phones[0].e164, '+14155550133');
  assert.equal(lead.emails[0].email, 'victor@example.com');
  assert.deepEqual(lead.utm, { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'spring-sale' });
  const tasks = await apiIn(page, 'GET', `/tasks?subjectType=lead&subjectId=${leadId}`);
  assert.equal(tasks.items.length, 1);
  const dueInMinutes = (new Date(tasks.items[0].dueAt).getTime() - Date.now()) / 60_000;
  assert.ok(dueInMinutes > 10 && dueInMinutes <= 15, `the callback is due within 15 minutes (${dueInMinutes.toFixed(1)})`);

  // On a phone the form's page stacks its parts and nothing sticks out sideways (tables scroll inside their box).
  const formId = snippet.match(/data-rapport-form="([^"]+)"/)[1];
  const phone = await pageAs(browser, baseUrl, state, ADMIN, { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  await phone.page.goto(`${baseUrl}/settings/web-forms/${formId}`);
  await phone.page.getByTestId('web-form-submission').waitFor();
  await screenshot(phone.page, '125-web-form-on-a-phone');
  assert.equal(await sidewaysOverflow(phone.page), 0, 'no sideways overflow on a phone');
}
