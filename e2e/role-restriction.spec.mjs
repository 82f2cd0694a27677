// 4. Roles are an admin matter: the admin sees the permission matrix; the sales rep finds no Roles entry,
//    gets the not-allowed screen on the URL, and the API refuses the same request.
import { ADMIN, assert, openSettingsNav, pageAs, REP } from './lib.mjs';

export default async function roleRestrictionSpec({ baseUrl, browser, screenshot, state }) {
  const { page: admin } = await pageAs(browser, baseUrl, state, ADMIN);
  await (await openSettingsNav(admin)).getByRole('link', { name: 'Roles' }).click();
  await admin.getByRole('link', { name: 'Sales rep' }).click();
  await admin.getByRole('heading', { name: 'Sales rep' }).waitFor();
  // One select per object × action; the rep's own contacts are theirs only.
  assert.equal(await admin.getByLabel('Contacts: Read').inputValue(), 'own');
  assert.equal(await admin.getByLabel('Roles: Read').inputValue(), 'none');
  await screenshot(admin, '13-roles-matrix');
  // The administrator role is shown read-only.
  await (await openSettingsNav(admin)).getByRole('link', { name: 'Roles' }).click();
  await admin.getByRole('link', { name: 'Administrator' }).click();
  await admin.getByText('Built-in role').waitFor();
  assert.equal(await admin.getByRole('combobox', { name: 'Contacts: Read' }).count(), 0);

  const { page: rep } = await pageAs(browser, baseUrl, state, REP);
  const nav = rep.getByRole('navigation', { name: 'Main navigation' });
  await (await openSettingsNav(rep)).getByRole('link', { name: 'Users' }).waitFor();
  for (const hidden of ['Roles', 'API keys', 'Audit log', 'Mail outbox']) {
    assert.equal(await nav.getByRole('link', { name: hidden }).count(), 0, `${hidden} should not be in the rep's navigation`);
  }
  // Processes are a work area the rep may read (their own instances).
  await nav.getByRole('link', { name: 'Processes' }).waitFor();

  await rep.goto(`${baseUrl}/settings/roles`);
  await rep.getByRole('heading', { name: 'Not allowed' }).waitFor();
  await screenshot(rep, '14-not-allowed');

  const status = await rep.evaluate(async () => (await fetch('/api/v1/roles')).status);
  assert.equal(status, 403);
}
