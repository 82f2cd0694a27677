// Processes 3. The designer's properties panel beyond user tasks: the start event becomes a message start bound to a
// CRM event (a deal reaching a stage of the default pipeline, with a FEEL condition); a service task runs the action
// library's "Create a task" through the same editor as the stage robots; a timer waits 7 days (a malformed duration is
// flagged first). Saved, the XML carries rapport:crmTrigger, rapport:action and rapport:config, and timeDuration; the
// server finds no problems. Leaving with unsaved changes asks first.
import { ADMIN, apiIn, assert, pageAs } from './lib.mjs';

export default async function processesPropertiesSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  const pipeline = (await apiIn(page, 'GET', '/pipelines')).items.find((item) => item.isDefault);
  const stage = pipeline.stages[1];
  const definition = await apiIn(page, 'POST', '/process-definitions', { name: 'Deal payment' });
  await page.goto(`${baseUrl}/processes/${definition.id}`);
  await page.getByRole('heading', { name: 'Deal payment', level: 1 }).waitFor();
  const canvas = page.getByTestId('bpmn-canvas');
  const panel = page.getByTestId('properties-panel');
  const deselect = () => canvas.click({ position: { x: 560, y: 620 } });

  // Message start bound to the deal reaching a stage.
  await canvas.locator('.djs-element.djs-shape[data-element-id="StartEvent_1"]').click();
  await page.locator('.djs-context-pad [data-action="replace"]').click();
  await page.locator('.djs-popup [data-id="replace-with-message-start"]').click();
  await panel.getByText('Started by a CRM event').waitFor();
  await panel.getByRole('combobox', { name: 'Event' }).click();
  await page.getByRole('option', { name: 'Deal stage changed' }).click();
  await panel.getByRole('combobox', { name: 'Stage' }).click();
  await page.getByRole('option', { name: stage.name, exact: true }).first().click();
  await panel.getByRole('textbox', { name: 'Only when (FEEL)' }).fill('amount > 1000');
  await screenshot(page, '420-designer-crm-trigger');

  // A service task that creates a task for the deal's owner.
  await page.locator('.djs-context-pad [data-action="append.append-task"]').click();
  await page.keyboard.type('Reserve goods');
  await deselect();
  await canvas.locator('.djs-element.djs-shape', { hasText: 'Reserve goods' }).first().click();
  await page.locator('.djs-context-pad [data-action="replace"]').click();
  await page.locator('.djs-popup [data-id="replace-with-service-task"]').click();
  await panel.getByRole('heading', { name: 'Service task' }).waitFor();
  await panel.getByRole('combobox', { name: 'Action' }).click();
  await page.getByRole('option', { name: 'Create a task' }).click();
  await panel.getByRole('textbox', { name: 'Task' }).fill('Reserve the goods for the order');
  await screenshot(page, '421-designer-service-task');

  // A timer: seven days, after a duration that is not one.
  await page.locator('.djs-context-pad [data-action="append.intermediate-event"]').click();
  await page.locator('.djs-context-pad [data-action="replace"]').click();
  await page.locator('.djs-popup [data-id="replace-with-timer-intermediate-catch"]').click();
  await panel.getByRole('heading', { name: 'Intermediate catch event' }).waitFor();
  const timer = panel.getByTestId('timer-value');
  await timer.fill('7 days');
  await panel.getByText('Not an ISO 8601 duration (P7D, PT2H, P1DT12H)').waitFor();
  await timer.fill('P7D');
  assert.equal(await panel.getByText(/Not an ISO 8601 duration/).count(), 0);
  await page.locator('.djs-context-pad [data-action="append.end-event"]').click();
  await deselect();
  await screenshot(page, '422-designer-timer');

  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Process “Deal payment” saved').waitFor();
  const { draftXml } = await apiIn(page, 'GET', `/process-definitions/${definition.id}`);
  assert.match(draftXml, new RegExp(`<rapport:crmTrigger event="stage_changed" object="deal" stageId="${stage.id}" condition="amount (&gt;|&#62;) 1000"`));
  assert.match(draftXml, /rapport:action="create_task"/);
  const config = JSON.parse(/rapport:config="([^"]*)"/.exec(draftXml)[1].replaceAll('&#34;', '"').replaceAll('&quot;', '"'));
  assert.deepEqual(config, { title: 'Reserve the goods for the order', assignee: { kind: 'owner' }, dueIn: { amount: 2, unit: 'hours' }, priority: 'normal' });
  assert.match(draftXml, /<bpmn:timeDuration[^>]*>P7D<\/bpmn:timeDuration>/);

  await page.getByRole('button', { name: 'Validate' }).click();
  await page.getByText('No problems found').waitFor({ timeout: 30_000 });

  // Leaving with unsaved changes asks first.
  await canvas.locator('.djs-element.djs-shape', { hasText: 'Reserve goods' }).first().click();
  await panel.getByRole('textbox', { name: 'Name' }).fill('Reserve the goods');
  await page.getByRole('link', { name: '← All processes' }).click();
  const leave = page.getByRole('dialog', { name: 'Leave without saving?' });
  await leave.getByRole('button', { name: 'Cancel' }).click();
  assert.match(page.url(), new RegExp(`/processes/${definition.id}$`));
  await page.getByRole('link', { name: '← All processes' }).click();
  await leave.getByRole('button', { name: 'Leave' }).click();
  await page.getByRole('heading', { name: 'Processes', level: 1 }).waitFor();
}
