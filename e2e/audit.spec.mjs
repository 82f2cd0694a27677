// 6. The audit log shows the admin's sign-in, the invitation and its acceptance, and filters by action prefix.
import { ADMIN, assert, openSettingsNav, pageAs, REP } from './lib.mjs';

export default async function auditSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  await (await openSettingsNav(page)).getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();

  const rows = page.getByRole('row');
  const signIn = rows.filter({ hasText: 'Signed in' }).filter({ hasText: ADMIN.name });
  const invite = rows.filter({ hasText: 'Invited a user' }).filter({ hasText: ADMIN.name });
  const accept = rows.filter({ hasText: 'Accepted an invitation' }).filter({ hasText: REP.name });
  await signIn.first().waitFor();
  await invite.first().waitFor();
  await accept.first().waitFor();
  // The object column names the user instead of showing an id.
  await invite.first().getByText(`User: ${REP.name}`).waitFor();
  await screenshot(page, '17-audit-log');

  await page.getByLabel('Action starts with').fill('user.invite');
  await rows.filter({ hasText: 'Signed in' }).first().waitFor({ state: 'detached' });
  await invite.first().waitFor();
  await accept.first().waitFor();
  assert.ok((await rows.count()) >= 3);

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByLabel('Who').selectOption({ label: REP.name });
  // Filtering by the rep hides the admin's entries and keeps the rep's own.
  await rows.filter({ hasText: 'Invited a user' }).first().waitFor({ state: 'detached' });
  await accept.first().waitFor();
  assert.equal(await rows.filter({ hasText: ADMIN.name }).count(), 0);
}
