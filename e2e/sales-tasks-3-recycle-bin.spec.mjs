// Tasks 3. A deleted task is not gone: the delete confirmation says it goes to the recycle bin; Settings › Recycle bin
// has a Tasks tab listing it (assignee, due, who deleted it), and "Restore" brings it back with its comment, reachable
// from the "Open …" link. The rep (in Russian since the language spec) does the same with their own task and does not
// see the administrator's deleted tasks.
import { ADMIN, apiIn, assert, openSettingsNav, pageAs, REP } from './lib.mjs';

export default async function taskRecycleBinSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  const due = new Date(Date.now() + 3 * 24 * 3_600_000);
  const task = await apiIn(page, 'POST', '/tasks', { title: 'Renew the office lease', dueAt: due.toISOString() });
  await apiIn(page, 'POST', `/tasks/${task.id}/comments`, { body: 'The landlord wants an answer by Friday.' });

  await page.goto(`${baseUrl}/tasks/${task.id}`);
  const drawer = page.getByRole('dialog', { name: 'Task' });
  await drawer.getByRole('heading', { name: 'Renew the office lease' }).waitFor();
  await drawer.getByRole('button', { name: 'Delete', exact: true }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete the task?' });
  await confirm.getByText('Task “Renew the office lease” goes to the recycle bin (Settings › Recycle bin), from where it can be restored.').waitFor();
  await screenshot(page, '94-task-delete-confirm');
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await page.getByText('Task deleted').waitFor();
  await drawer.waitFor({ state: 'hidden' });
  assert.equal(await page.getByTestId('task-row').filter({ hasText: 'Renew the office lease' }).count(), 0, 'the deleted task left the list');

  const nav = await openSettingsNav(page);
  await nav.getByRole('link', { name: 'Recycle bin' }).click();
  await page.getByRole('heading', { name: 'Recycle bin' }).waitFor();
  await page.getByRole('tab', { name: 'Tasks' }).click();
  const row = page.getByRole('table', { name: 'Deleted Tasks' }).getByRole('row').filter({ hasText: 'Renew the office lease' });
  await row.getByText(/^Assignee: Ada Admin · due /).waitFor();
  await row.getByText(ADMIN.name, { exact: true }).waitFor();
  await screenshot(page, '95-recycle-bin-tasks');
  await row.getByRole('button', { name: 'Restore Renew the office lease' }).click();
  await page.getByText('Renew the office lease restored').waitFor();
  await page.getByText('The recycle bin is empty.').waitFor();
  await page.getByRole('link', { name: 'Open Renew the office lease' }).click();
  await drawer.getByRole('heading', { name: 'Renew the office lease' }).waitFor();
  await drawer.getByText('The landlord wants an answer by Friday.').waitFor();
  await page.getByTestId('task-row').filter({ hasText: 'Renew the office lease' }).waitFor();

  // The rep's own deleted task, in Russian; the administrator's deleted ones are not theirs to see.
  const adminsDeleted = await apiIn(page, 'POST', '/tasks', { title: 'Board meeting minutes' });
  await apiIn(page, 'DELETE', `/tasks/${adminsDeleted.id}`);
  const rep = await pageAs(browser, baseUrl, state, REP);
  const own = await apiIn(rep.page, 'POST', '/tasks', { title: 'Позвонить в бухгалтерию', dueAt: due.toISOString() });
  await apiIn(rep.page, 'DELETE', `/tasks/${own.id}`);
  await rep.page.goto(`${baseUrl}/settings/recycle-bin`);
  await rep.page.getByRole('heading', { name: 'Корзина' }).waitFor();
  await rep.page.getByRole('tab', { name: 'Задачи' }).click();
  const repRow = rep.page.getByRole('row').filter({ hasText: 'Позвонить в бухгалтерию' });
  await repRow.getByText(/^Исполнитель: Riley Rep · срок /).waitFor();
  assert.equal(await rep.page.getByRole('row').filter({ hasText: 'Board meeting minutes' }).count(), 0, "the administrator's task is not in the rep's bin");
  await screenshot(rep.page, '95a-recycle-bin-tasks-russian');
  await repRow.getByRole('button', { name: 'Восстановить Позвонить в бухгалтерию' }).click();
  await rep.page.getByText('Корзина пуста.').waitFor();
  await rep.page.getByRole('navigation', { name: 'Главное меню' }).getByRole('link', { name: 'Задачи' }).click();
  await rep.page.getByTestId('task-row').filter({ hasText: 'Позвонить в бухгалтерию' }).waitFor();
  await rep.context.close();
  await page.context().close();
}
