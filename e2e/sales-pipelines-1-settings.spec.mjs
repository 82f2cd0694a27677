// Sales pipelines 1. Settings › Pipelines: the workspace's default "Sales" pipeline is there from the start; the
// administrator builds a "Windows" pipeline (first call → measurements → agreement → paid / refused), is stopped
// beside the stage when an open stage comes after a closing one, saves, reorders, makes it the default and archives
// the old one. The API has it as built.
import { ADMIN, apiIn, assert, openSettingsNav, pageAs } from './lib.mjs';

export default async function pipelinesSettingsSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  await (await openSettingsNav(page)).getByRole('link', { name: 'Pipelines' }).click();
  await page.getByRole('heading', { name: 'Pipelines', level: 1 }).waitFor();
  const list = page.getByRole('navigation', { name: 'Pipelines' });
  await list.getByText('Sales').waitFor();
  const sales = page.getByRole('form', { name: 'Sales' });
  assert.equal(await sales.getByTestId('stage-row').count(), 6, 'the default pipeline has six stages');
  await screenshot(page, '100-pipelines-default');

  await list.getByRole('button', { name: 'New pipeline' }).click();
  const form = page.getByRole('form', { name: 'New pipeline' });
  await form.getByRole('textbox', { name: 'Pipeline name' }).fill('Windows');
  await form.getByRole('textbox', { name: 'Name of stage 1' }).fill('First call');
  for (const name of ['Measurements', 'Agreement']) {
    await form.getByRole('button', { name: 'Add a stage' }).click();
    const rows = form.getByTestId('stage-row');
    const count = await rows.count();
    // New open stages go before the closing ones: the third from the end is the new one.
    await form.getByRole('textbox', { name: `Name of stage ${count - 2}` }).fill(name);
  }
  await form.getByRole('textbox', { name: 'Name of stage 4' }).fill('Paid');
  await form.getByRole('textbox', { name: 'Name of stage 5' }).fill('Refused');
  await form.getByRole('textbox', { name: 'Rotting days of stage 2' }).fill('5');

  // "Paid" moved above "Agreement": an open stage after a won one is refused beside it, nothing is sent.
  await form.getByRole('button', { name: 'Move “Paid” up' }).click();
  await form.getByRole('button', { name: 'Create pipeline' }).click();
  await form.getByText('Open stages come before the won and lost ones.').waitFor();
  await screenshot(page, '101-pipelines-stage-order-refused');
  assert.ok(!(await apiIn(page, 'GET', '/pipelines')).items.some((p) => p.name === 'Windows'), 'nothing was saved');
  await form.getByRole('button', { name: 'Move “Paid” down' }).click();
  await form.getByRole('button', { name: 'Create pipeline' }).click();
  await page.getByText('Pipeline “Windows” saved').waitFor();

  const windows = page.getByRole('form', { name: 'Windows' });
  await windows.getByRole('button', { name: 'Make default' }).click();
  await page.getByText('“Windows” is now the default pipeline').waitFor();
  await screenshot(page, '102-pipelines-windows');

  await list.getByText('Sales').click();
  await page.getByRole('form', { name: 'Sales' }).getByRole('button', { name: 'Archive' }).click();
  const confirm = page.getByRole('dialog', { name: 'Archive the pipeline?' });
  await confirm.getByRole('button', { name: 'Archive' }).click();
  await page.getByText('“Sales” archived').waitFor();

  const pipelines = (await apiIn(page, 'GET', '/pipelines')).items;
  assert.ok(!pipelines.some((p) => p.name === 'Sales'), 'the archived pipeline is no longer listed');
  const built = pipelines.find((p) => p.isDefault);
  assert.equal(built?.name, 'Windows');
  assert.deepEqual(
    built.stages.map((stage) => [stage.name, stage.kind, stage.rottingDays]),
    [
      ['First call', 'open', null],
      ['Measurements', 'open', 5],
      ['Agreement', 'open', null],
      ['Paid', 'won', null],
      ['Refused', 'lost', null],
    ],
  );
  await page.context().close();
}
