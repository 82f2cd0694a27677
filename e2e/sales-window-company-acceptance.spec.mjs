// Sales acceptance: the scenario of a window-installation company, end to end (named to run after the other
// sales specs, whose empty-state checks its data would spoil). The administrator sets the company up (a crew, a
// pipeline from "First call" to "Installation", robots on the stages, a contract template, a web form that opens
// deals). A buyer sends a request from the company's website → a deal in "First call" with the manager's "call back
// within 15 minutes" task, and an overdue notice when it runs late. The manager logs the call, writes down the agreed
// measurement time and drags the deal to "Measurements" → the measurer's task at that time. The measurer attaches the
// dimensions and moves it to "Agreement" → the manager's "calculate the cost" task due in two hours. "Payment" → the
// contract is generated from the template and attached; "Installation" → the installer is notified with the deadline.
// The head of sales reads the reports: the funnel, calls per manager, amounts, sources.
import { docxOf, docxText } from './docx.mjs';
import { ADMIN, apiIn, assert, joinByInvitation, landingSite, newContext, pageAs } from './lib.mjs';

const password = 'okna-password-2026';
const MANAGER = { name: 'Max Manager', email: 'max@okna.example', password };
const MEASURER = { name: 'Mila Measurer', email: 'mila@okna.example', password };
const INSTALLER = { name: 'Ivan Installer', email: 'ivan@okna.example', password };
const HEAD = { name: 'Helen Head', email: 'helen@okna.example', password };
const BUYER = 'Oleg Buyer';
const STAGES = [
  ['First call', 10, 'open'],
  ['Measurements', 30, 'open'],
  ['Agreement', 50, 'open'],
  ['Payment', 70, 'open'],
  ['Installation', 90, 'open'],
  ['Installed', 100, 'won'],
  ['Lost', 0, 'lost'],
];
const CONTRACT = ['Contract for {contact.name}', 'Address: {contact.address}', 'Service: {title}', 'Amount: {amount}', 'Payable to: {workspace.name}'];

/** Uploads a DOCX template through the API (its body is the file itself; the rest travels in the query string). */
async function uploadTemplate(page, query, buffer) {
  const result = await page.evaluate(
    async ({ query, bytes }) => {
      const me = await fetch('/api/v1/auth/me').then((response) => response.json());
      const response = await fetch(`/api/v1/document-templates?${new URLSearchParams(query)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'x-csrf-token': me.csrfToken },
        body: new Uint8Array(bytes),
      });
      return { status: response.status, body: await response.json() };
    },
    { query, bytes: [...buffer] },
  );
  assert.equal(result.status, 201, JSON.stringify(result.body));
  return result.body;
}

/** Asks `probe` every half second until it finds something (the job workers act on their own time). */
async function eventually(page, what, probe) {
  for (let i = 0; i < 120; i += 1) {
    const found = await probe();
    if (found) return found;
    await page.waitForTimeout(500);
  }
  assert.fail(`${what} never came`);
}
const notificationOf = (page, kind, test) => eventually(page, `a ${kind} notification`, async () => (await apiIn(page, 'GET', '/notifications?limit=50')).items.find((item) => item.kind === kind && test(item)));
const taskOn = (page, dealId, titleStart) => eventually(page, `the task “${titleStart}…”`, async () => (await apiIn(page, 'GET', `/tasks?subjectType=deal&subjectId=${dealId}`)).items.find((item) => item.title.startsWith(titleStart)));

export default async function windowCompanySpec({ baseUrl, browser, screenshot, state }) {
  // The company's setup, as the administrator does it in Settings (each screen has its own spec).
  const { page: admin } = await pageAs(browser, baseUrl, state, ADMIN);
  const team = await apiIn(admin, 'POST', '/teams', { name: 'Okna crew' });
  const managerId = await joinByInvitation(browser, baseUrl, admin, MANAGER, { role: 'Sales rep', teamId: team.id });
  const measurerId = await joinByInvitation(browser, baseUrl, admin, MEASURER, { role: 'Sales manager', teamId: team.id });
  const installerId = await joinByInvitation(browser, baseUrl, admin, INSTALLER, { role: 'Sales manager', teamId: team.id });
  await joinByInvitation(browser, baseUrl, admin, HEAD, { role: 'Head of sales' });
  const pipeline = await apiIn(admin, 'POST', '/pipelines', { name: 'Window installation', stages: STAGES.map(([name, probability, kind]) => ({ name, color: '#339af0', probability, kind })) });
  const stage = (name) => pipeline.stages.find((item) => item.name === name);
  await apiIn(admin, 'POST', '/custom-fields', { object: 'deal', key: 'measurement_at', label: 'Measurement time', kind: 'datetime' });
  const template = await uploadTemplate(admin, { name: 'Installation contract', object: 'deal', locale: 'en', fileName: 'contract.docx' }, docxOf(CONTRACT));
  const robot = (stageName, name, actions) => apiIn(admin, 'POST', '/robots', { stageId: stage(stageName).id, name, trigger: 'on_enter', actions });
  await robot('Measurements', 'Measure', [{ type: 'create_task', config: { title: 'Go for measurements: {{title}}', assignee: { kind: 'user', userId: measurerId }, dueAtField: 'custom.measurement_at', priority: 'high' } }]);
  await robot('Agreement', 'Estimate', [{ type: 'create_task', config: { title: 'Calculate the cost and call the client within 2 hours', assignee: { kind: 'owner' }, dueIn: { amount: 2, unit: 'hours' }, priority: 'high' } }]);
  await robot('Payment', 'Contract', [{ type: 'generate_document', config: { templateId: template.id, format: 'docx' } }]);
  await robot('Installation', 'Installer', [{ type: 'notify', config: { recipient: { kind: 'user', userId: installerId }, message: 'Install the windows for {{title}} by {{expectedCloseDate}}' } }]);
  const form = await apiIn(admin, 'POST', '/web-forms', {
    name: 'Okna request',
    fields: [
      { key: 'name', label: 'Your name', required: true },
      { key: 'phone', label: 'Phone', required: true },
      { key: 'description', label: 'Which windows?', required: false },
    ],
    assignment: { mode: 'user', userId: managerId },
    successMessage: 'Thank you! We will call you back within 15 minutes.',
    dealPipelineId: pipeline.id,
  });

  // 1. A buyer leaves a request on the company's website.
  const site = await landingSite(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Okna</title></head>
<body style="font-family: sans-serif; max-width: 640px; margin: 40px auto"><h1>Warm windows</h1>
<div data-rapport-form="${form.id}"></div><script src="${baseUrl}/embed/forms.js" async></script></body></html>`);
  try {
    const visitor = await (await newContext(browser)).newPage();
    await visitor.goto(`${site.url}/?utm_source=yandex&utm_campaign=autumn`);
    const embedded = visitor.locator('form.rapport-form');
    await embedded.getByRole('textbox', { name: 'Your name *' }).fill(BUYER);
    await embedded.getByRole('textbox', { name: 'Phone *' }).fill('+7 (916) 123-45-67');
    await embedded.getByRole('textbox', { name: 'Which windows?' }).fill('Two PVC windows for a flat');
    await embedded.getByRole('button', { name: 'Send' }).click();
    await visitor.getByText('Thank you! We will call you back within 15 minutes.').waitFor();
  } finally {
    await site.close();
  }

  // 2. The manager is told, and the notice opens the deal in "First call" with the callback task.
  const { page } = await pageAs(browser, baseUrl, state, MANAGER);
  await page.reload();
  await page.getByRole('button', { name: /^Notifications, \d+ unread/ }).click();
  await page.getByRole('dialog').getByText(BUYER).first().click();
  await page.getByRole('heading', { name: BUYER, level: 1 }).waitFor();
  assert.equal(await page.getByTestId('deal-stage').innerText(), 'First call');
  await page.getByText(`Call back within 15 minutes: ${BUYER}`).waitFor();
  await screenshot(page, '140-acceptance-deal-from-the-website');
  const dealId = page.url().split('/').pop();
  const deal = () => apiIn(page, 'GET', `/deals/${dealId}`);
  const contactId = (await deal()).contacts[0].contactId;
  await apiIn(page, 'PATCH', `/contacts/${contactId}`, { address: 'Moscow, Lesnaya 5, flat 12', version: (await apiIn(page, 'GET', `/contacts/${contactId}`)).version });

  // 3. The callback runs late: the manager gets the overdue notice. (The task's time is brought forward to now, so the
  // spec does not wait the 15 minutes.)
  const [callback] = (await apiIn(page, 'GET', `/tasks?subjectType=deal&subjectId=${dealId}`)).items;
  await apiIn(page, 'PATCH', `/tasks/${callback.id}`, { dueAt: new Date(Date.now() + 2_000).toISOString(), version: callback.version });
  await notificationOf(page, 'task_overdue', (item) => item.link?.includes(callback.id) || item.params?.title === callback.title);
  await page.reload();
  await page.getByRole('button', { name: /^Notifications, \d+ unread/ }).click();
  await page.getByRole('dialog').getByText(/overdue/i).first().waitFor();
  await screenshot(page, '141-acceptance-callback-overdue');
  await page.keyboard.press('Escape');

  // 4. The manager calls, logs the call from the deal's card and writes down the agreed measurement time.
  const history = page.getByRole('region', { name: 'History' });
  await history.getByRole('button', { name: 'Log call' }).click();
  const call = page.getByRole('dialog', { name: 'Log a call' });
  await call.getByRole('textbox', { name: 'Note' }).fill('Agreed: measurements on Friday at 10:00');
  await call.getByRole('button', { name: 'Log call' }).click();
  await history.getByTestId('timeline-call').getByText('Agreed: measurements on Friday at 10:00').waitFor();
  const measureAt = new Date(Date.now() + 3 * 86_400_000);
  measureAt.setHours(10, 0, 0, 0);
  await page.getByRole('button', { name: 'Edit' }).first().click();
  const edit = page.getByRole('dialog');
  const local = `${measureAt.getFullYear()}-${String(measureAt.getMonth() + 1).padStart(2, '0')}-${String(measureAt.getDate()).padStart(2, '0')}T10:00`;
  await edit.getByLabel('Measurement time').fill(local);
  await edit.getByRole('button', { name: 'Save' }).click();
  await edit.waitFor({ state: 'detached' });

  // … and drags the deal to "Measurements" on the board: the measurer's task is due at the agreed time.
  await page.goto(`${baseUrl}/deals/board?pipeline=${pipeline.id}`);
  await page.getByRole('heading', { name: 'Deal board' }).waitFor();
  await page.getByTestId('stage-column-First call').getByTestId('deal-tile').filter({ hasText: BUYER }).dragTo(page.getByTestId('stage-column-Measurements'));
  await page.getByText(`“${BUYER}” moved to Measurements`).waitFor();
  await screenshot(page, '142-acceptance-board');

  // 5. The measurer sees the task, attaches the dimensions and moves the deal on to "Agreement".
  const { page: measurer } = await pageAs(browser, baseUrl, state, MEASURER);
  const measure = await taskOn(measurer, dealId, 'Go for measurements');
  assert.equal(measure.ownerId, measurerId);
  assert.equal(Date.parse(measure.dueAt), measureAt.getTime(), 'due at the agreed time');
  await measurer.goto(`${baseUrl}/deals/${dealId}`);
  await measurer.getByRole('heading', { name: BUYER, level: 1 }).waitFor();
  const files = measurer.getByRole('region', { name: 'Files' });
  await files.locator('input[type=file]').setInputFiles({ name: 'dimensions.txt', mimeType: 'text/plain', buffer: Buffer.from('Window 1: 1200 x 1400 mm\nWindow 2: 900 x 1400 mm\n') });
  await measurer.getByText('Attached “dimensions.txt”').waitFor();
  await screenshot(measurer, '143-acceptance-dimensions-attached');
  await apiIn(measurer, 'POST', `/deals/${dealId}/move`, { stageId: stage('Agreement').id, version: (await deal()).version });

  // 6. The manager gets "calculate the cost and call the client within 2 hours", sets the amount and the installation
  // deadline, and the deal goes to "Payment": the contract is generated from the template and attached.
  const estimate = await taskOn(page, dealId, 'Calculate the cost');
  assert.equal(estimate.ownerId, managerId);
  assert.ok(Math.abs(Date.parse(estimate.dueAt) - Date.now() - 2 * 3_600_000) < 120_000, 'due in two hours');
  const deadline = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
  const priced = await apiIn(page, 'PATCH', `/deals/${dealId}`, { amount: '84000', currency: 'RUB', expectedCloseDate: deadline, version: (await deal()).version });
  await apiIn(page, 'POST', `/deals/${dealId}/move`, { stageId: stage('Payment').id, version: priced.version });
  await page.goto(`${baseUrl}/deals/${dealId}`);
  const contract = page.getByRole('region', { name: 'Files' }).getByTestId('attachment').filter({ hasText: 'Installation contract' });
  await contract.waitFor({ timeout: 60_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), contract.getByRole('link', { name: /^Download: Installation contract/ }).click()]);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  const text = docxText(Buffer.concat(chunks)).join('\n');
  assert.match(text, new RegExp(`Contract for ${BUYER}`));
  assert.match(text, /Address: Moscow, Lesnaya 5, flat 12/);
  assert.match(text, new RegExp(`Service: ${BUYER}`));
  assert.match(text, /Amount: RUB\s?84,000\.00/);
  await screenshot(page, '144-acceptance-contract-attached');

  // 7. "Installation": the installer is notified with the deadline.
  await apiIn(page, 'POST', `/deals/${dealId}/move`, { stageId: stage('Installation').id, version: (await deal()).version });
  const { page: installer } = await pageAs(browser, baseUrl, state, INSTALLER);
  const notice = await notificationOf(installer, 'robot', (item) => item.link === `/deals/${dealId}`);
  const spokenDeadline = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${deadline}T00:00:00Z`));
  assert.equal(notice.params.message, `Install the windows for ${BUYER} by ${spokenDeadline}`);
  await installer.reload();
  await installer.getByRole('button', { name: /^Notifications, \d+ unread/ }).click();
  await installer.getByRole('dialog').getByText(new RegExp(`Install the windows for ${BUYER}`)).first().waitFor();
  await screenshot(installer, '145-acceptance-installer-notified');

  // 8. The head of sales reads the reports for the pipeline: the request reached every stage so far, the manager's
  // deals, amounts and call, and the website as the source.
  await apiIn(page, 'POST', `/deals/${dealId}/move`, { stageId: stage('Installed').id, version: (await deal()).version });
  const { page: head } = await pageAs(browser, baseUrl, state, HEAD);
  await head.goto(`${baseUrl}/reports`);
  await head.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
  await head.getByRole('combobox', { name: 'Pipeline', exact: true }).click();
  await head.getByRole('option', { name: 'Window installation', exact: true }).click();
  const funnel = head.getByTestId('report-table-funnel');
  await funnel.getByRole('row').filter({ hasText: 'Installed' }).filter({ hasText: '1' }).waitFor();
  await screenshot(head, '146-acceptance-report-funnel');
  await head.getByRole('tab', { name: 'Managers' }).click();
  const max = head.getByTestId('report-table-managers').getByRole('row').filter({ hasText: MANAGER.name });
  await max.waitFor();
  const cells = (await max.innerText()).split('\t').map((cell) => cell.trim());
  assert.deepEqual([cells[1], cells[2], cells[5]], ['1', '1', '1'], 'one deal, won, one call');
  assert.match(cells[3], /84,000/);
  await screenshot(head, '147-acceptance-report-managers');
  await head.getByRole('tab', { name: 'Lead sources' }).click();
  await head.getByTestId('report-table-lead-sources').getByRole('row').filter({ hasText: 'Website' }).filter({ hasText: /84,000/ }).waitFor();
  await screenshot(head, '148-acceptance-report-sources');
  // The page's utm_campaign came with the request and stayed with the deal it became.
  await head.getByRole('tab', { name: 'Campaigns' }).click();
  await head.getByTestId('report-table-campaigns').getByRole('row').filter({ hasText: 'autumn' }).filter({ hasText: /84,000/ }).waitFor();
  await screenshot(head, '149-acceptance-report-campaigns');
}
