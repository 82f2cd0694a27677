// Sales robots 1. In Settings › Pipelines the administrator gives the default pipeline's second stage a robot: on
// entering, create a task for the deal's owner, "Call the client back within 2 hours", due in two hours. A deal dragged
// into that stage on the board gets the task (it shows on the deal's card), and the card's robot log says it was done.
import { ADMIN, apiIn, assert, openSettingsNav, pageAs } from './lib.mjs';

const TASK = 'Call the client back within 2 hours';
const TITLE = 'Robot-tested deal';

export default async function stageRobotSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  const pipeline = (await apiIn(page, 'GET', '/pipelines')).items.find((item) => item.isDefault);
  const [first, second] = pipeline.stages;

  await (await openSettingsNav(page)).getByRole('link', { name: 'Pipelines' }).click();
  await page.getByRole('navigation', { name: 'Pipelines' }).getByText(pipeline.name, { exact: true }).click();
  const form = page.getByRole('form', { name: pipeline.name });
  await form.getByRole('button', { name: `Robots of “${second.name}”` }).click();
  const dialog = page.getByRole('dialog', { name: `Robots of the stage “${second.name}”` });
  await dialog.getByText('This stage has no robots yet.').waitFor();
  await dialog.getByRole('button', { name: 'Add a robot' }).click();
  const editor = dialog.getByRole('form', { name: 'Add a robot' });
  await editor.getByRole('textbox', { name: 'Robot name' }).fill('Call back');
  await editor.getByRole('textbox', { name: 'Task' }).fill(TASK);
  assert.equal(await editor.getByRole('textbox', { name: 'Due in' }).inputValue(), '2');
  await screenshot(page, '130-robot-editor');
  await editor.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Robot “Call back” saved').waitFor();
  await dialog.getByTestId('robot-rule').filter({ hasText: 'Call back' }).getByText('Create a task').waitFor();
  await screenshot(page, '131-robot-saved');
  const [rule] = (await apiIn(page, 'GET', `/robots?stageId=${second.id}`)).items;
  assert.deepEqual(rule.actions, [{ type: 'create_task', config: { title: TASK, assignee: { kind: 'owner' }, dueIn: { amount: 2, unit: 'hours' }, priority: 'normal' } }]);
  await page.keyboard.press('Escape');

  // A deal in the first stage, dragged on the board into the robot's stage.
  const deal = await apiIn(page, 'POST', '/deals', { title: TITLE, stageId: first.id });
  await page.goto(`${baseUrl}/deals/board`);
  await page.getByRole('heading', { name: 'Deal board' }).waitFor();
  const from = page.getByTestId(`stage-column-${first.name}`);
  const to = page.getByTestId(`stage-column-${second.name}`);
  await from.getByTestId('deal-tile').filter({ hasText: TITLE }).dragTo(to);
  await page.getByText(`“${TITLE}” moved to ${second.name}`).waitFor();

  // The card: the task for the owner, due two hours after the move, and the robot log saying it was done.
  await to.getByRole('link', { name: TITLE }).click();
  await page.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
  const run = page.getByTestId('robot-run').filter({ hasText: 'Call back' });
  await run.getByText('Done').waitFor({ timeout: 30_000 });
  assert.match(await run.innerText(), new RegExp(`Create a task: ${TASK}`));
  await page.getByText(TASK, { exact: true }).first().waitFor({ timeout: 30_000 });
  const [task] = (await apiIn(page, 'GET', '/tasks?view=all&limit=200')).items.filter((item) => item.subject?.id === deal.id);
  assert.equal(task.title, TASK);
  assert.equal(task.ownerId, deal.ownerId);
  const movedAt = Date.parse((await apiIn(page, 'GET', `/deals/${deal.id}`)).stageEnteredAt);
  assert.ok(Math.abs(Date.parse(task.dueAt) - movedAt - 2 * 3_600_000) < 60_000, 'due two hours after the move');
  await screenshot(page, '132-robot-run-on-deal');
}
