// Tasks 4. Deleting a comment in a task's drawer: the rep (a watcher, in Russian) may delete their own comment but not
// the administrator's; the administrator, who may edit the task, deletes the rep's remark too. Each asks first and
// the thread and its count follow at once.
import { ADMIN, apiIn, assert, pageAs, REP } from './lib.mjs';

export default async function taskCommentsSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  const rep = await pageAs(browser, baseUrl, state, REP);
  const repId = (await apiIn(rep.page, 'GET', '/auth/me')).user.id;
  const task = await apiIn(page, 'POST', '/tasks', { title: 'Prepare the trade fair stand', members: [{ userId: repId, role: 'watcher' }] });

  await page.goto(`${baseUrl}/tasks/${task.id}`);
  const drawer = page.getByRole('dialog', { name: 'Task' });
  await drawer.getByRole('heading', { name: 'Prepare the trade fair stand' }).waitFor();
  await drawer.getByRole('textbox', { name: 'Write a comment' }).fill('Booth 14 is confirmed.');
  await drawer.getByRole('button', { name: 'Send' }).click();
  await drawer.getByTestId('task-comment').filter({ hasText: 'Booth 14 is confirmed.' }).waitFor();

  // The rep, in Russian, adds two remarks and may delete only their own.
  await apiIn(rep.page, 'POST', `/tasks/${task.id}/comments`, { body: 'Нужен ли нам второй экран?' });
  await apiIn(rep.page, 'POST', `/tasks/${task.id}/comments`, { body: 'Опечатка, не читайте.' });
  await rep.page.goto(`${baseUrl}/tasks/${task.id}`);
  const repDrawer = rep.page.getByRole('dialog', { name: 'Задача' });
  const repComments = repDrawer.getByTestId('task-comment');
  await repComments.filter({ hasText: 'Опечатка, не читайте.' }).waitFor();
  assert.equal(await repComments.filter({ hasText: 'Booth 14 is confirmed.' }).getByRole('button').count(), 0, "the administrator's comment is not the rep's to delete");
  await repComments.filter({ hasText: 'Опечатка, не читайте.' }).getByRole('button', { name: 'Удалить комментарий: Riley Rep' }).click();
  const repConfirm = rep.page.getByRole('dialog', { name: 'Удалить комментарий?' });
  await repConfirm.getByText('Комментарий «Опечатка, не читайте.» будет удалён для всех участников задачи.').waitFor();
  await screenshot(rep.page, '96a-task-comment-delete-russian');
  await repConfirm.getByRole('button', { name: 'Удалить' }).click();
  await rep.page.getByText('Комментарий удалён').waitFor();
  await repComments.filter({ hasText: 'Опечатка, не читайте.' }).waitFor({ state: 'detached' });
  await rep.context.close();

  // The administrator edits the task, so every comment is theirs to delete; the drawer follows the rep's deletion live.
  const comments = drawer.getByTestId('task-comment');
  await comments.filter({ hasText: 'Нужен ли нам второй экран?' }).waitFor();
  await comments.filter({ hasText: 'Опечатка, не читайте.' }).waitFor({ state: 'detached' });
  await screenshot(page, '96-task-comments');
  await comments.filter({ hasText: 'Нужен ли нам второй экран?' }).getByRole('button', { name: 'Delete the comment by Riley Rep' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete the comment?' });
  await confirm.getByText('The comment “Нужен ли нам второй экран?” will be deleted for everyone on the task.').waitFor();
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await page.getByText('Comment deleted').waitFor();
  await comments.filter({ hasText: 'Нужен ли нам второй экран?' }).waitFor({ state: 'detached' });
  assert.equal(await comments.count(), 1, 'only the administrator’s own comment is left');
  assert.equal((await apiIn(page, 'GET', `/tasks/${task.id}`)).commentCount, 1);
  await page.context().close();
}
