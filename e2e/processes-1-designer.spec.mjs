// Processes 1. The BPMN designer. Conformance: every file of the BPMN MIWG test suite (../shared/conformance/bpmn-miwg)
// is imported through "Import .bpmn", opens in the designer and exports without losing an element (the ids and types
// of both files, parsed with bpmn-moddle, are compared). Then the administrator designs a small process in the canvas —
// start → user task for the record's owner → exclusive gateway with a FEEL condition and a default flow → ends —,
// saves and deploys it; a save over someone else's keeps the diagram and says so; a broken condition is flagged as it is
// typed, and Validate names it in the problems list, whose entry selects the flow on the canvas. A phone-sized screen
// still shows the canvas and the panel.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { BpmnModdle } from 'bpmn-moddle';
import { ADMIN, apiIn, assert, navOf, pageAs } from './lib.mjs';

/** The shared conformance material beside the checkout (../shared), or where the workplace keeps it when cloned elsewhere. */
const MIWG = [path.resolve(import.meta.dirname, '../../shared/conformance/bpmn-miwg'), '/work/shared/conformance/bpmn-miwg'].find((dir) => existsSync(dir)) ?? '../shared/conformance/bpmn-miwg (not found)';
const NAME = 'Order check';

/** Every element of a BPMN file that has an id, as `id type` (process elements, flows, diagram shapes and edges). */
async function elementsOf(xml) {
  const { rootElement } = await new BpmnModdle().fromXML(xml);
  const found = new Set();
  const seen = new Set();
  const walk = (node) => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) return node.forEach(walk);
    if (node.$type && typeof node.id === 'string') found.add(`${node.id} ${node.$type}`);
    for (const [key, value] of Object.entries(node)) if (!key.startsWith('$') && !/Ref$|^default$|^attachedTo/.test(key) && key !== 'bpmnElement') walk(value);
  };
  walk(rootElement);
  return found;
}

async function downloadText(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  return { name: download.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
}

/** The canvas element of a diagram element, by its BPMN id. */
const shape = (page, id) => page.locator(`.djs-element[data-element-id="${id}"]`).first();

export default async function processesDesignerSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  await navOf(page).getByRole('link', { name: 'Processes' }).click();
  await page.getByRole('heading', { name: 'Processes', level: 1 }).waitFor();

  // Conformance: import, open, export each MIWG file; nothing may be lost on the way.
  const files = (await readdir(MIWG)).filter((name) => name.endsWith('.bpmn')).sort();
  assert.ok(files.length >= 20, `the MIWG suite is there (${files.length} files)`);
  for (const file of files) {
    const original = await readFile(path.join(MIWG, file), 'utf8');
    await page.goto(`${baseUrl}/processes`);
    await page.locator('input[type=file]').setInputFiles({ name: file, mimeType: 'application/xml', buffer: Buffer.from(original) });
    await page.waitForURL(/\/processes\/[0-9a-f-]{36}$/);
    await page.locator('[data-testid=bpmn-canvas] .djs-element.djs-shape').first().waitFor();
    assert.equal(await page.getByText('This diagram could not be read').count(), 0, `${file} opens`);
    if (file === 'C.4.0.bpmn') await screenshot(page, '400-designer-miwg-c40');
    const exported = await downloadText(page, () => page.getByRole('button', { name: 'Export' }).click());
    assert.match(exported.name, /\.bpmn$/);
    const before = await elementsOf(original);
    const after = await elementsOf(exported.text);
    const lost = [...before].filter((element) => !after.has(element));
    assert.deepEqual(lost, [], `${file}: exported without losing elements`);
    assert.ok(before.size > 0, `${file} has elements`);
  }
  // The imported files go again, one through the list's confirmation, the others through the API.
  const imported = (await apiIn(page, 'GET', '/process-definitions')).items;
  assert.equal(imported.length, files.length);
  await page.goto(`${baseUrl}/processes`);
  const first = imported[0];
  await page.getByRole('button', { name: `Delete ${first.name}` }).first().click();
  await page.getByRole('dialog', { name: 'Delete the process?' }).getByRole('button', { name: 'Delete' }).click();
  await page.getByText(`Process “${first.name}” deleted`).waitFor();
  for (const definition of imported.slice(1)) await apiIn(page, 'DELETE', `/process-definitions/${definition.id}?version=${definition.version}`);
  await page.reload();
  await page.getByText('No processes yet.').waitFor();

  // A new process starts from the server's diagram with one start event.
  await page.getByRole('button', { name: 'New process' }).click();
  const create = page.getByRole('dialog', { name: 'New process' });
  await create.getByRole('textbox', { name: 'Name' }).fill(NAME);
  await create.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('heading', { name: NAME, level: 1 }).waitFor();
  const canvas = page.getByTestId('bpmn-canvas');
  const panel = page.getByTestId('properties-panel');
  // A click on empty canvas (away from the palette) ends label editing and clears the selection.
  const deselect = () => canvas.click({ position: { x: 560, y: 620 } });
  const start = canvas.locator('.djs-element.djs-shape[data-element-id^="StartEvent"], .djs-element.djs-shape[data-element-id^="start"]').first();
  await start.waitFor();

  // start → task (made a user task through the "change type" menu) → gateway → end; the gateway gets a second end.
  await start.click();
  await page.locator('.djs-context-pad [data-action="append.append-task"]').click();
  await page.keyboard.type('Check the order');
  await deselect();
  const task = canvas.locator('.djs-element.djs-shape', { hasText: 'Check the order' }).first();
  await task.click();
  await page.locator('.djs-context-pad [data-action="replace"]').click();
  await page.locator('.djs-popup [data-id="replace-with-user-task"]').click();
  await panel.getByRole('heading', { name: 'User task' }).waitFor();
  await panel.getByRole('combobox', { name: 'Assignee' }).click();
  await page.getByRole('option', { name: "The record's owner" }).click();
  await panel.getByRole('textbox', { name: 'Due in' }).fill('1');
  await panel.getByRole('button', { name: 'Add a field' }).click();
  await panel.getByRole('textbox', { name: 'Variable' }).fill('approved');
  await panel.getByRole('textbox', { name: 'Label' }).fill('Approved?');
  await screenshot(page, '401-designer-user-task');

  await page.locator('.djs-context-pad [data-action="append.gateway"]').click();
  await deselect();
  const gateway = canvas.locator('.djs-element.djs-shape[data-element-id^="Gateway"]').first();
  await gateway.click();
  await page.locator('.djs-context-pad [data-action="append.end-event"]').click();
  await page.keyboard.type('Big order');
  await deselect();
  await gateway.click();
  await page.locator('.djs-context-pad [data-action="append.end-event"]').click();
  await page.keyboard.type('Small order');
  await deselect();

  // The flows out of the gateway (the two connections drawn last): the first gets a FEEL condition.
  const flows = await page.evaluate(() => [...document.querySelectorAll('.djs-connection')].map((node) => node.getAttribute('data-element-id')));
  const [toBig, toSmall] = flows.slice(-2);
  assert.ok(toBig && toSmall, 'two flows leave the gateway');
  await shape(page, toBig).click({ force: true });
  await panel.getByRole('heading', { name: 'Sequence flow' }).waitFor();
  const condition = panel.getByTestId('flow-condition');
  await condition.fill('amount > 1000 and');
  await panel.getByText('Not a FEEL expression: error at character 18').waitFor();
  await condition.fill('amount > 1000');
  assert.equal(await panel.getByText(/Not a FEEL expression/).count(), 0);
  // The other one is made the gateway's default flow, from the gateway's properties.
  await gateway.click();
  await panel.getByRole('combobox', { name: 'Default flow' }).click();
  await page.getByRole('option', { name: toSmall }).click();
  await deselect();
  await shape(page, toBig).click({ force: true });
  assert.equal(await panel.getByRole('switch', { name: 'Default flow' }).isChecked(), false);
  await page.getByTestId('unsaved').waitFor();
  await screenshot(page, '402-designer-flow');

  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText(`Process “${NAME}” saved`).waitFor();
  const [definition] = (await apiIn(page, 'GET', '/process-definitions')).items;
  const { rootElement } = await new BpmnModdle().fromXML(definition.draftXml);
  const process = rootElement.rootElements.find((element) => element.$type === 'bpmn:Process');
  const userTask = process.flowElements.find((element) => element.$type === 'bpmn:UserTask');
  assert.equal(userTask.name, 'Check the order');
  assert.match(definition.draftXml, /rapport:assignee="owner"/);
  assert.match(definition.draftXml, /rapport:dueIn="P1D"/);
  assert.match(definition.draftXml, /<rapport:formField key="approved" label="Approved\?" type="text"/);
  const exclusive = process.flowElements.find((element) => element.$type === 'bpmn:ExclusiveGateway');
  assert.equal(exclusive.default?.id, toSmall);
  assert.equal(process.flowElements.find((element) => element.id === toBig).conditionExpression.body, 'amount > 1000');

  await page.getByRole('button', { name: 'Deploy' }).click();
  await page.getByText('Version 1 deployed').waitFor({ timeout: 30_000 });
  await screenshot(page, '403-designer-deployed');

  // Someone else saves meanwhile: the save is refused, the diagram stays, "Save mine over theirs" wins.
  const current = await apiIn(page, 'GET', `/process-definitions/${definition.id}`);
  await apiIn(page, 'PATCH', `/process-definitions/${definition.id}`, { version: current.version, description: 'Changed elsewhere' });
  await gateway.click();
  await panel.getByRole('textbox', { name: 'Name' }).fill('Big?');
  await page.getByRole('button', { name: 'Save' }).click();
  const conflict = page.getByTestId('save-conflict');
  await conflict.getByText('Someone saved this process after you opened it.').waitFor();
  assert.equal(await canvas.getByText('Big?').count(), 1, 'the diagram is kept');
  await screenshot(page, '404-designer-conflict');
  await conflict.getByRole('button', { name: 'Save mine over theirs' }).click();
  await page.getByText(`Process “${NAME}” saved`).first().waitFor();
  assert.match((await apiIn(page, 'GET', `/process-definitions/${definition.id}`)).draftXml, /name="Big\?"/);

  // A broken condition: flagged as typed, and named by Validate; its entry selects the flow.
  await deselect();
  await shape(page, toBig).click({ force: true });
  await condition.fill('amount > > 1000 and');
  await panel.getByText(/Not a FEEL expression/).waitFor();
  await deselect();
  await page.getByRole('button', { name: 'Validate' }).click();
  const problem = page.getByTestId('process-problem').filter({ hasText: toBig });
  await problem.waitFor({ timeout: 30_000 });
  await panel.getByRole('heading', { name: 'Process' }).waitFor();
  await problem.click();
  await panel.getByRole('heading', { name: 'Sequence flow' }).waitFor();
  assert.equal(await panel.getByTestId('flow-condition').inputValue(), 'amount > > 1000 and');
  await screenshot(page, '405-designer-problems');
  await condition.fill('amount > 1000');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText(`Process “${NAME}” saved`).first().waitFor();

  // A phone-sized screen: the canvas on top, the panel under it, no sideways scrolling of the page.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await canvas.locator('.djs-element.djs-shape').first().waitFor();
  await shape(page, await gateway.getAttribute('data-element-id')).click();
  await screenshot(page, '406-designer-phone');
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1), false, 'no sideways scrolling');
  state.processDefinitionId = definition.id;
}
