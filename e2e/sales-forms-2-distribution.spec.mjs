// Sales forms 2: lead distribution (after the web form spec, which starts from no forms). The administrator opens Settings › Lead distribution (empty), creates a rule in the editor —
// chat leads (source "Other") from one form go in turn to a team of two people of this spec's own, on weekdays 9 to 6,
// passed on after 20 minutes untaken — and sees it in the list, in English and in Russian. Leads handed in through the intake API then go to the two in turn; a lead the rule does
// not match stays with the web form's own person. The lead's card names its owner.
import { ADMIN, apiIn, assert, openSettingsNav, pageAs } from './lib.mjs';

/** Invites an active colleague through the API and accepts the e-mailed invitation, as a person would. */
async function colleague(page, baseUrl, input) {
  await apiIn(page, 'POST', '/users/invite', { email: input.email, name: input.name, roleId: input.roleId, teamId: input.teamId });
  const mails = (await apiIn(page, 'GET', '/mail-outbox?limit=50')).items;
  const mail = mails.find((item) => item.to === input.email);
  const token = /accept-invite\?token=([\w%-]+)/.exec(mail?.text ?? '')?.[1];
  assert.ok(token, `an invitation to ${input.email} should be in the outbox`);
  const response = await fetch(`${baseUrl}/api/v1/auth/invite/accept`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: decodeURIComponent(token), name: input.name, password: 'desk-password-2026' }) });
  assert.equal(response.status, 200, await response.text());
  const users = (await apiIn(page, 'GET', '/users?limit=200')).items;
  return users.find((user) => user.email === input.email);
}

export default async function distributionRulesSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  const stamp = Date.now();
  const team = await apiIn(page, 'POST', '/teams', { name: `Night desk ${stamp}` });
  const role = (await apiIn(page, 'GET', '/roles')).items.find((item) => item.name === 'Sales rep');
  const dora = await colleague(page, baseUrl, { email: `dora-${stamp}@example.com`, name: 'Dora Desk', roleId: role.id, teamId: team.id });
  const eli = await colleague(page, baseUrl, { email: `eli-${stamp}@example.com`, name: 'Eli Desk', roleId: role.id, teamId: team.id });
  const form = await apiIn(page, 'POST', '/web-forms', { name: `Chat intake ${stamp}`, fields: [{ key: 'name', label: 'Name', required: true }, { key: 'phone', label: 'Phone', required: true }], assignment: { mode: 'user', userId: state.adminId ?? (await apiIn(page, 'GET', '/auth/me')).user.id } });

  // The app read the team list before this spec made its team: a fresh load sees it.
  await page.reload();
  await (await openSettingsNav(page)).getByRole('link', { name: 'Lead distribution' }).click();
  await page.getByRole('heading', { name: 'Lead distribution', level: 1 }).waitFor();
  const rows = page.getByTestId('distribution-rule-row');
  const before = await rows.count();
  if (before === 0) await page.getByText('No rules yet', { exact: false }).waitFor();

  await page.getByRole('link', { name: 'New rule' }).click();
  const editor = page.getByRole('form', { name: 'Distribution rule' });
  await editor.getByRole('textbox', { name: 'Name' }).fill('Chat leads to the night desk');
  // Without a team the editor says so beside the field before sending.
  await editor.getByRole('button', { name: 'Create rule' }).click();
  await editor.getByText('Choose the team whose members get the leads.').waitFor();
  await editor.getByLabel('Source', { exact: true }).click();
  await page.getByRole('option', { name: 'Other' }).click();
  await editor.getByLabel('Web form', { exact: true }).click();
  await page.getByRole('option', { name: form.name }).click();
  await page.keyboard.press('Escape');
  await editor.getByRole('combobox', { name: 'Team' }).click();
  await page.getByRole('option', { name: team.name }).click();
  // Office hours: a chat lead at night still gets its owner at once; its callback waits for the opening.
  await editor.getByLabel('Only during working hours').check({ force: true });
  await editor.getByText('Sat', { exact: true }).waitFor();
  await editor.getByLabel('Pass the lead on to the next person').check({ force: true });
  await editor.getByLabel('After, minutes').fill('20');
  await screenshot(page, '300-distribution-rule-editor');
  await editor.getByRole('button', { name: 'Create rule' }).click();
  await page.getByText('Rule “Chat leads to the night desk” saved').waitFor();
  const row = rows.filter({ hasText: 'Chat leads to the night desk' });
  await row.getByText(`${team.name}, in turn`).waitFor();
  await row.getByText('passes on after 20 min, up to 2 times').waitFor();
  await row.getByText('Mon, Tue, Wed, Thu, Fri 09:00–18:00').waitFor();
  assert.equal(await rows.count(), before + 1);
  await screenshot(page, '301-distribution-rules');

  // Chat leads through the intake API: the two take turns; a website lead is left to the form's own person.
  const intake = (name, phone, source) => apiIn(page, 'POST', '/leads/intake', { formId: form.id, values: { name, phone }, source });
  const first = await intake('Chat visitor one', '+1 415 555 0191', 'other');
  const second = await intake('Chat visitor two', '+1 415 555 0192', 'other');
  assert.deepEqual(new Set([first.ownerId, second.ownerId]), new Set([dora.id, eli.id]), 'the two desk members take turns');
  const website = await intake('Site visitor', '+1 415 555 0193', 'website');
  assert.ok(![dora.id, eli.id].includes(website.ownerId), 'a lead the rule does not match stays with the form');

  await page.goto(`${baseUrl}/leads/${first.leadId}`);
  await page.getByRole('heading', { name: 'Chat visitor one', level: 1 }).waitFor();
  await page.getByText(first.ownerId === dora.id ? 'Dora Desk' : 'Eli Desk').first().waitFor();
  await screenshot(page, '302-distributed-lead');

  // The same list in Russian.
  await apiIn(page, 'PATCH', '/auth/me', { locale: 'ru' });
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${baseUrl}/settings/lead-distribution`);
  await page.getByRole('heading', { name: 'Распределение лидов', level: 1 }).waitFor();
  await rows.filter({ hasText: 'Chat leads to the night desk' }).getByText(`${team.name}, по очереди`).waitFor();
  await screenshot(page, '303-distribution-rules-ru');
  await rows.filter({ hasText: 'Chat leads to the night desk' }).getByRole('link').click();
  await page.getByRole('form', { name: 'Правило распределения' }).waitFor();
  await screenshot(page, '304-distribution-rule-editor-ru');
  await apiIn(page, 'PATCH', '/auth/me', { locale: 'en' });
  await page.evaluate(() => localStorage.clear());

  // Deleting the rule asks first; afterwards the list is empty again and leads go by their forms.
  await page.goto(`${baseUrl}/settings/lead-distribution`);
  await rows.filter({ hasText: 'Chat leads to the night desk' }).getByRole('button', { name: 'Delete “Chat leads to the night desk”' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete the rule?' });
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await page.getByText('Rule “Chat leads to the night desk” deleted').waitFor();
  await confirm.waitFor({ state: 'detached' });
  assert.equal(await rows.count(), 0, 'no rules left');
  const later = await intake('Chat visitor three', '+1 415 555 0194', 'other');
  assert.ok(![dora.id, eli.id].includes(later.ownerId), 'without the rule the form decides');
}
