// Activities 2. Base rotation: contacts whose last call is older than the chosen number of days, the owner filter,
// and follow-up tasks for the owners created in one go. Needs the rep from `invitation`; runs after the client-base
// specs (see sales-activities-1-call).
import { ADMIN, REP, apiIn, assert, navOf, pageAs } from './lib.mjs';
import { choose } from './client-base-1-companies.spec.mjs';

const DAY = 86_400_000;

export default async function rotationSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  const users = await apiIn(page, 'GET', '/users?limit=200');
  const rep = users.items.find((user) => user.email === REP.email);
  assert.ok(rep, 'the rep from the invitation spec exists');
  // Calls in the past: 45 days ago for Olivia (the admin's), 70 days ago for Rick (the rep's); Fiona was called today.
  const person = async (firstName, lastName, ownerId, daysAgo) => {
    const contact = await apiIn(page, 'POST', '/contacts', { firstName, lastName, ownerId });
    await apiIn(page, 'POST', '/activities', { kind: 'call', direction: 'outbound', startsAt: new Date(Date.now() - daysAgo * DAY).toISOString(), links: [{ object: 'contact', id: contact.id }] });
    return contact;
  };
  const olivia = await person('Olivia', 'Oldcall', undefined, 45);
  const rick = await person('Rick', 'Rotation', rep.id, 70);
  await person('Fiona', 'Fresh', undefined, 0);

  await navOf(page).getByRole('link', { name: 'Base rotation' }).click();
  await page.getByRole('heading', { name: 'Base rotation', level: 1 }).waitFor();
  // Segmented controls: the visible part of each choice is its label.
  const segment = (name) => page.locator('label').filter({ hasText: new RegExp(`^${name}$`) }).click();
  await segment('Contacts');
  const table = page.getByRole('table', { name: 'Base rotation' });
  const rowOf = (name) => table.getByRole('row').filter({ hasText: name });
  // 30 days by default: the two long-idle people, the longest idle first; nobody called today.
  await rowOf('Olivia Oldcall').filter({ hasText: '45 d' }).waitFor();
  await rowOf('Rick Rotation').filter({ hasText: REP.name }).waitFor();
  assert.equal(await rowOf('Fiona Fresh').count(), 0, 'someone called today is not in the rotation');
  const names = await table.getByRole('row').allInnerTexts();
  assert.ok(names.findIndex((text) => text.includes('Rick Rotation')) < names.findIndex((text) => text.includes('Olivia Oldcall')), 'the longest idle comes first');
  await screenshot(page, '66-rotation-30-days');

  // More days: only Rick (70 days) is left; the owner filter then narrows to the rep's records.
  await segment('60');
  await rowOf('Rick Rotation').waitFor();
  await rowOf('Olivia Oldcall').waitFor({ state: 'detached' });
  await segment('30');
  await rowOf('Olivia Oldcall').waitFor();
  await choose(page, page, 'Owner', REP.name);
  await rowOf('Olivia Oldcall').waitFor({ state: 'detached' });
  await rowOf('Rick Rotation').waitFor();
  await choose(page, page, 'Owner', REP.name);
  await rowOf('Olivia Oldcall').waitFor();

  // Both chosen, one follow-up task each, for each owner.
  await rowOf('Olivia Oldcall').getByRole('checkbox').check();
  await rowOf('Rick Rotation').getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Create follow-up tasks (2)' }).click();
  const modal = page.getByRole('dialog', { name: 'Follow-up tasks' });
  await screenshot(page, '67-rotation-follow-up');
  await modal.getByRole('button', { name: 'Create tasks (2)' }).click();
  await page.getByText('Tasks created: 2').waitFor();
  await modal.waitFor({ state: 'hidden' });
  for (const [contact, ownerId] of [
    [olivia, users.items.find((user) => user.email === ADMIN.email).id],
    [rick, rep.id],
  ]) {
    const tasks = await apiIn(page, 'GET', `/tasks?view=all&subjectType=contact&subjectId=${contact.id}`);
    assert.equal(tasks.items.length, 1, `one follow-up task for ${contact.name}`);
    assert.equal(tasks.items[0].ownerId, ownerId, `assigned to the owner of ${contact.name}`);
    assert.equal(tasks.items[0].title, `Follow up: ${contact.name}`);
  }
  await screenshot(page, '68-rotation-after-follow-up');

  // The done-when case at its size: 30 clients, last called 100 days ago, two thirds the admin's and a third the rep's;
  // "90 days", all selected at once, 30 follow-up tasks, each for its record's owner.
  const admin = users.items.find((user) => user.email === ADMIN.email);
  const idle = [];
  for (let i = 0; i < 30; i++) idle.push(await person('Quiet', `Client ${String(i + 1).padStart(2, '0')}`, i % 3 === 2 ? rep.id : admin.id, 100));
  await segment('90');
  await page.getByRole('textbox', { name: 'Name contains' }).fill('Quiet');
  await rowOf('Quiet Client 01').waitFor();
  await page.getByTestId('rotation-total').getByText('Found: 30').waitFor();
  await table.getByRole('checkbox', { name: 'Select all loaded rows' }).check();
  await page.getByRole('button', { name: 'Create follow-up tasks (30)' }).click();
  await modal.getByRole('button', { name: 'Create tasks (30)' }).click();
  await page.getByText('Tasks created: 30').waitFor();
  await modal.waitFor({ state: 'hidden' });
  await screenshot(page, '69-rotation-30-follow-ups');
  for (const [index, contact] of idle.entries()) {
    const tasks = await apiIn(page, 'GET', `/tasks?view=all&subjectType=contact&subjectId=${contact.id}`);
    assert.equal(tasks.items.length, 1, `one follow-up task for ${contact.name}`);
    assert.equal(tasks.items[0].ownerId, index % 3 === 2 ? rep.id : admin.id, `assigned to the owner of ${contact.name}`);
  }
  await page.context().close();
}
