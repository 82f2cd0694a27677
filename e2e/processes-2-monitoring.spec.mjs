// Processes 2. Monitoring. The "Order check" process of processes-1 runs for two deals (each waits in the user task for
// the deal's owner) and once without a record, which fails (no owner to give the task to). Processes › Instances lists
// the three; the state filter (kept in the address) narrows to the failed one with its error. A running instance's map
// marks the start as done and the user task as active; the version's map counts two instances waiting at the task.
import { ADMIN, apiIn, assert, navOf, pageAs } from './lib.mjs';

export default async function processesMonitoringSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  const definition = (await apiIn(page, 'GET', '/process-definitions')).items.find((item) => item.name === 'Order check');
  assert.ok(definition?.latestVersion, 'processes-1 deployed "Order check"');
  const { xml } = await apiIn(page, 'GET', `/process-definitions/${definition.id}/versions/${definition.latestVersion}`);
  const userTaskId = /<bpmn:userTask id="([^"]+)"/.exec(xml)[1];
  const startId = /<bpmn:startEvent id="([^"]+)"/.exec(xml)[1];

  const pipeline = (await apiIn(page, 'GET', '/pipelines')).items.find((item) => item.isDefault);
  const deals = [];
  for (const title of ['Monitoring deal A', 'Monitoring deal B']) deals.push(await apiIn(page, 'POST', '/deals', { title, stageId: pipeline.stages[0].id }));
  const running = [];
  for (const deal of deals) running.push(await apiIn(page, 'POST', `/process-definitions/${definition.id}/instances`, { record: { type: 'deal', id: deal.id } }));
  await apiIn(page, 'POST', `/process-definitions/${definition.id}/instances`, {});

  await navOf(page).getByRole('link', { name: 'Processes' }).click();
  await page.getByRole('tab', { name: 'Instances' }).click();
  await page.waitForURL(/\/processes\/instances/);
  const rows = page.getByTestId('instance-row');
  await rows.nth(2).waitFor();
  assert.equal(await rows.count(), 3);
  await page.getByRole('combobox', { name: 'State' }).click();
  await page.getByRole('option', { name: 'Failed', exact: true }).click();
  await page.waitForURL(/state=failed/);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=instance-row]').length === 1);
  await rows.first().getByText('Failed').waitFor();
  assert.match(await rows.first().innerText(), /not linked to a record/);
  await screenshot(page, '410-instances-failed');

  // A running instance's map: the start passed, the user task waits.
  await page.goto(`${baseUrl}/processes/instances/${running[0].id}`);
  await page.getByRole('heading', { name: /Order check · Version/ }).waitFor();
  const map = page.getByTestId('process-map');
  await map.locator(`.djs-element.rp-active[data-element-id="${userTaskId}"]`).waitFor();
  await map.locator(`.djs-element.rp-done[data-element-id="${startId}"]`).waitFor();
  await screenshot(page, '411-instance-map');

  // The version's map counts the instances waiting at each element.
  await page.goto(`${baseUrl}/processes/${definition.id}/map`);
  await page.getByRole('heading', { name: 'Map of “Order check”' }).waitFor();
  const waiting = map.getByTestId(`count-active-${userTaskId}`);
  await waiting.waitFor();
  assert.equal(await waiting.innerText(), '2');
  await screenshot(page, '412-version-map-counters');
}
