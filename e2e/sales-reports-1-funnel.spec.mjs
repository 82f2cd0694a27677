// Sales reports 1. The head of sales has three deals moved through a pipeline (one won, skipping a stage) and
// a call logged; on Reports, narrowed to their own deals, the funnel chart and table show how many reached each stage
// with the conversions, the per-manager tab their numbers, and "Export CSV" downloads the same table; the other tabs
// draw for the same filters.
import { readFile } from 'node:fs/promises';
import { ADMIN, apiIn, assert, joinByInvitation, navOf, pageAs } from './lib.mjs';

const HEAD = { name: 'Hana Head', email: 'head@example.com', password: 'head-password-2026' };

export default async function salesReportsSpec({ baseUrl, browser, screenshot, state }) {
  // A head of sales joins through an invitation (held in the mail outbox without SMTP).
  const { page: admin } = await pageAs(browser, baseUrl, state, ADMIN);
  await joinByInvitation(browser, baseUrl, admin, HEAD, { role: 'Head of sales' });

  const { page } = await pageAs(browser, baseUrl, state, HEAD);
  // Other specs change and archive the default pipeline: this one reports a pipeline of its own, staged like the default.
  const stages = [['New request', 10, 'open'], ['Qualified', 25, 'open'], ['Proposal', 50, 'open'], ['Negotiation', 75, 'open'], ['Won', 100, 'won'], ['Lost', 0, 'lost']];
  const pipeline = await apiIn(admin, 'POST', '/pipelines', { name: 'Field sales', stages: stages.map(([name, probability, kind]) => ({ name, color: '#339af0', probability, kind })) });
  const stage = (name) => pipeline.stages.find((item) => item.name === name);
  const create = (title, amount) => apiIn(page, 'POST', '/deals', { title, amount, currency: 'USD', pipelineId: pipeline.id });
  const move = (deal, name) => apiIn(page, 'POST', `/deals/${deal.id}/move`, { stageId: stage(name).id, version: deal.version });
  let won = await create('Report: fleet tablets', '1000');
  const proposal = await create('Report: printer service', '500');
  await create('Report: chairs', '200');
  won = await move(won, 'Qualified');
  won = await move(won, 'Proposal');
  await move(won, 'Won');
  await move(proposal, 'Qualified');
  await apiIn(page, 'POST', '/activities', { kind: 'call', direction: 'outbound', status: 'done', startsAt: new Date(Date.now() - 3_600_000).toISOString(), links: [{ object: 'deal', id: proposal.id }] });

  // Reports is a live entry of the navigation now; the funnel opens first, narrowed here to Hana's deals.
  await navOf(page).getByRole('link', { name: 'Reports' }).click();
  await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
  await page.getByRole('combobox', { name: 'Pipeline', exact: true }).click();
  await page.getByRole('option', { name: 'Field sales', exact: true }).click();
  await page.getByRole('combobox', { name: 'Manager', exact: true }).click();
  await page.getByRole('option', { name: HEAD.name }).click();
  const funnel = page.getByTestId('report-table-funnel');
  await funnel.getByRole('row').filter({ hasText: 'New request' }).filter({ hasText: '3' }).waitFor();
  await page.getByTestId('report-chart').locator('canvas').first().waitFor();
  const rows = (await funnel.getByRole('row').allInnerTexts()).map((row) => row.split('\t').map((cell) => cell.trim()));
  assert.deepEqual(rows, [
    ['Stage', 'Reached', 'Conversion from previous'],
    ['New request', '3', '—'],
    ['Qualified', '2', '66.7%'],
    ['Proposal', '1', '50%'],
    ['Negotiation', '1', '100%'],
    ['Won', '1', '100%'],
  ]);
  await page.getByText('Overall conversion 33.3%; lost 0.').waitFor();
  await screenshot(page, '130-reports-funnel');

  // Per manager: deals created, won, open amount and the call.
  await page.getByRole('tab', { name: 'Managers' }).click();
  const managers = page.getByTestId('report-table-managers');
  const hana = managers.getByRole('row').filter({ hasText: HEAD.name });
  await hana.waitFor();
  assert.deepEqual((await hana.innerText()).split('\t').map((cell) => cell.trim()), [HEAD.name, '3', '1', '$1,000.00', '$700.00', '1', '0']);
  await screenshot(page, '131-reports-managers');

  // The CSV is the same table, with a byte-order mark so a spreadsheet reads it as UTF-8.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
  assert.equal(download.suggestedFilename(), 'managers.csv');
  const csv = await readFile(await download.path(), 'utf8');
  assert.equal(csv, '\uFEFFManager,Deals created,Won deals,Won amount,Open amount,Calls,Meetings\r\nHana Head,3,1,1000.00 USD,700.00 USD,1,0\r\n');

  // The other reports draw for the same filters: the won deal, the stays left behind, the deals without a source.
  await page.getByRole('tab', { name: 'Won / lost' }).click();
  await page.getByTestId('report-table-won-lost').getByRole('row').filter({ hasText: 'Won' }).filter({ hasText: '$1,000.00' }).waitFor();
  await screenshot(page, '132-reports-won-lost');
  await page.getByRole('tab', { name: 'Time in stage' }).click();
  await page.getByTestId('report-table-time-in-stage').getByRole('row').filter({ hasText: 'New request' }).filter({ hasText: '2' }).waitFor();
  await screenshot(page, '133-reports-time-in-stage');
  await page.getByRole('tab', { name: 'Lead sources' }).click();
  await page.getByTestId('report-table-lead-sources').getByRole('row').filter({ hasText: 'Not set' }).filter({ hasText: '$1,000.00' }).waitFor();
  await screenshot(page, '134-reports-lead-sources');
  // No deal has an expected close date: the forecast says there is nothing rather than drawing an empty chart.
  await page.getByRole('tab', { name: 'Forecast' }).click();
  await page.getByText('Nothing in this period.').waitFor();
}
