// Sales deals 1. A deal is created from the deals list, shows in the first stage of the default pipeline's board with
// the column's count and sum, is dragged to the next stage (the API has it there) and its card shows the stage history
// with the time spent in each stage, and the move on its timeline. A deal added in a column is marked lost through its
// card's menu: the reason is asked first.
import { ADMIN, apiIn, assert, navOf, pageAs, waitForUrl } from './lib.mjs';

const TITLE = 'Office windows for Northwind';

export default async function dealsBoardSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  const pipeline = (await apiIn(page, 'GET', '/pipelines')).items.find((item) => item.isDefault);
  const [first, second] = pipeline.stages;

  await navOf(page).getByRole('link', { name: 'Deals' }).click();
  await page.getByRole('heading', { name: 'Deals', exact: true }).waitFor();
  await page.getByRole('button', { name: 'New deal' }).click();
  const modal = page.getByRole('dialog', { name: 'New deal' });
  await modal.getByRole('textbox', { name: 'Title' }).fill(TITLE);
  await modal.getByRole('textbox', { name: 'Amount' }).fill('1 250,50');
  await modal.getByRole('button', { name: 'Create deal' }).click();
  await page.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
  await waitForUrl(page, (url) => /^\/deals\/[0-9a-f-]{36}$/.test(url.pathname), 'a new deal opens its card');
  await page.getByTestId('deal-amount').getByText('$1,250.50').waitFor();

  // The board: the deal waits in the first stage; the column counts it and sums its amount.
  await page.getByRole('link', { name: '← Deal board' }).click();
  await page.getByRole('heading', { name: 'Deal board' }).waitFor();
  const from = page.getByTestId(`stage-column-${first.name}`);
  const to = page.getByTestId(`stage-column-${second.name}`);
  const tile = from.getByTestId('deal-tile').filter({ hasText: TITLE });
  await tile.waitFor();
  assert.match(await from.getByTestId('stage-sum').innerText(), /\$1,250\.50/);
  await screenshot(page, '120-deals-board');

  // Dragged to the next stage: it shows there, and the API agrees.
  await tile.dragTo(to);
  await page.getByText(`“${TITLE}” moved to ${second.name}`).waitFor();
  await to.getByTestId('deal-tile').filter({ hasText: TITLE }).waitFor();
  assert.equal(await from.getByTestId('deal-tile').filter({ hasText: TITLE }).count(), 0, 'the card left the first stage');
  const [moved] = (await apiIn(page, 'GET', `/deals?q=${encodeURIComponent('Office windows')}`)).items;
  assert.equal(moved.stageId, second.id);
  await screenshot(page, '121-deals-board-moved');

  // The card: stage history, oldest first, the current stay in bold; the timeline says "Stage: first → second".
  await to.getByRole('link', { name: TITLE }).click();
  await page.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
  const history = page.getByTestId('deal-stage-history');
  await history.getByRole('row').filter({ hasText: second.name }).getByText(/\(now\)/).waitFor();
  const rows = await history.getByRole('row').allInnerTexts();
  assert.equal(rows.length, 3, 'a header and two stays');
  assert.match(rows[1], new RegExp(first.name));
  assert.match(rows[2], new RegExp(second.name));
  await page.getByTestId('timeline-change').filter({ hasText: `Stage: ${first.name} → ${second.name}` }).waitFor();
  await screenshot(page, '122-deal-card');

  // Quick add in the first column, then lost through the card's menu: without a reason nothing moves.
  await page.getByRole('link', { name: '← Deal board' }).click();
  await from.getByRole('button', { name: `Add a deal to ${first.name}` }).click();
  const quick = from.getByRole('textbox', { name: 'Title of the new deal' });
  await quick.fill('Garage door');
  await quick.press('Enter');
  const garage = from.getByTestId('deal-tile').filter({ hasText: 'Garage door' });
  await garage.waitFor();
  const lost = pipeline.stages.find((stage) => stage.kind === 'lost');
  await garage.getByRole('button', { name: 'Move' }).click();
  await page.getByRole('menuitem', { name: lost.name }).click();
  const dialog = page.getByRole('dialog', { name: 'Why was “Garage door” lost?' });
  await dialog.getByRole('button', { name: 'Move' }).click();
  await dialog.getByText('Fill this in').waitFor();
  await dialog.getByRole('textbox', { name: /Lost reason/ }).fill('Chose a competitor');
  await dialog.getByRole('button', { name: 'Move' }).click();
  await page.getByText(`“Garage door” moved to ${lost.name}`).waitFor();
  await page.getByTestId(`stage-column-${lost.name}`).getByTestId('deal-tile').filter({ hasText: 'Garage door' }).waitFor();
  const [garageDeal] = (await apiIn(page, 'GET', '/deals?q=garage')).items;
  assert.equal(garageDeal.stageId, lost.id);
  assert.equal(garageDeal.lostReason, 'Chose a competitor');
  await screenshot(page, '123-deals-board-lost');

  // A busy column opens with its 20 newest cards and says how many more there are; "Show more" brings them.
  const busy = await apiIn(page, 'POST', '/pipelines', { name: 'Busy line', stages: [{ name: 'Inbox', color: '#339af0', probability: 10, kind: 'open' }, { name: 'Done', color: '#40c057', probability: 100, kind: 'won' }, { name: 'Dropped', color: '#868e96', probability: 0, kind: 'lost' }] });
  for (let i = 1; i <= 23; i += 1) await apiIn(page, 'POST', '/deals', { title: `Busy deal ${i}`, pipelineId: busy.id });
  await page.goto(`${baseUrl}/deals/board?pipeline=${busy.id}`);
  const inbox = page.getByTestId('stage-column-Inbox');
  await inbox.getByTestId('deal-tile').filter({ hasText: 'Busy deal 23' }).waitFor();
  assert.equal(await inbox.getByTestId('deal-tile').count(), 20, 'the newest 20 first');
  assert.equal(await inbox.getByTestId('stage-count').innerText(), '23');
  await inbox.getByRole('button', { name: 'Show more (3 not shown)' }).click();
  await inbox.getByRole('button', { name: /Show more/ }).waitFor({ state: 'detached' });
  assert.equal(await inbox.getByTestId('deal-tile').count(), 23, 'all of them after "Show more"');
  assert.equal(await inbox.getByRole('button', { name: /Show more/ }).count(), 0);
  await screenshot(page, '124-deals-board-show-more');
  // Archived again: the pipeline settings specs after this one start from the workspace's own pipelines.
  await apiIn(page, 'DELETE', `/pipelines/${busy.id}`);
}
