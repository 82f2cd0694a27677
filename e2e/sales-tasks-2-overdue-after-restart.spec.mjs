// Tasks 2. Durable timers across a restart, the way a new user meets them: a task due in about two minutes with a
// reminder a minute before, created through the form; the Rapport server is stopped before either comes due and
// started again on the same data after both have passed. The bell then holds the reminder (marked as sent late) and
// the overdue notice, each exactly once, and the task is overdue in the list; after one more restart they are still
// there once each (nothing fired twice). The spec runs its own server on its own data directory (and its own database
// when the run is on PostgreSQL), so stopping it leaves the suite's server alone. The form takes whole minutes, so the
// spec waits 1.5–2.5 minutes of wall time.
import { ADMIN, apiIn, assert, freePort, freshBackend, navOf, newContext, signIn, startRapport, WORKSPACE } from './lib.mjs';
import { choose } from './client-base-1-companies.spec.mjs';

/** Runs beside the other specs (e2e/run.mjs): it has its own server and mostly waits. */
export const standalone = true;

const MINUTE = 60_000;
const TITLE = 'Call Pepper about the renewal';
const pad = (n) => String(n).padStart(2, '0');
/** A `datetime-local` value in the browser's zone (the runner's, as the browser runs beside it). */
const local = (date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export default async function overdueAfterRestartSpec({ browser, screenshot }) {
  const backend = await freshBackend();
  const port = await freePort();
  let server;
  const restart = async () => {
    server = await startRapport({ port, dataDir: backend.dataDir, databaseUrl: backend.databaseUrl });
  };
  try {
    await restart();
    const { baseUrl } = server;
    const setup = await fetch(`${baseUrl}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workspaceName: WORKSPACE, name: ADMIN.name, email: ADMIN.email, password: ADMIN.password }) });
    assert.equal(setup.status, 201, `setup answered ${setup.status} ${await setup.text()}`);

    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, baseUrl, ADMIN);
    await navOf(page).getByRole('link', { name: 'Tasks' }).click();
    await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'New task' }).click();
    const modal = page.getByRole('dialog', { name: 'New task' });
    await modal.getByRole('textbox', { name: 'Task', exact: true }).fill(TITLE);

    // The form takes whole minutes: the reminder at the first minute at least 15 s away (time to save and stop the
    // server before it), the due time a minute later.
    const remindAt = new Date(Math.ceil((Date.now() + 15_000) / MINUTE) * MINUTE);
    const dueAt = new Date(remindAt.getTime() + MINUTE);
    await modal.getByLabel('Due', { exact: true }).fill(local(dueAt));
    await modal.getByRole('button', { name: 'Add a reminder' }).click();
    await choose(page, modal, 'When to remind', 'At a time…');
    await modal.getByLabel('At a time…').fill(local(remindAt));
    await screenshot(page, '90-task-due-soon-with-reminder');
    await modal.getByRole('button', { name: 'Create task' }).click();
    await modal.waitFor({ state: 'hidden' });
    await page.getByText(`Task “${TITLE}” created`).waitFor();
    // The new task opens in the drawer, its reminder pending.
    const drawer = page.getByRole('dialog', { name: 'Task' });
    await drawer.getByRole('heading', { name: TITLE }).waitFor();
    assert.equal(await drawer.getByRole('combobox', { name: 'When to remind' }).inputValue(), 'At a time…');
    await drawer.getByRole('button', { name: 'Close' }).click();
    await drawer.waitFor({ state: 'hidden' });
    const row = page.getByTestId('task-row').filter({ hasText: TITLE });
    await row.waitFor();
    assert.notEqual(await row.getAttribute('data-overdue'), 'true', 'not overdue yet');
    await page.getByRole('button', { name: 'Notifications', exact: true }).click();
    await page.getByText('Nothing new.').waitFor();
    await page.keyboard.press('Escape');
    assert.ok(Date.now() < remindAt.getTime() - 5_000, 'the task was saved well before its reminder');

    // The server goes down before the reminder, and stays down until both times have passed.
    await server.stop();
    assert.ok(Date.now() < remindAt.getTime(), 'the server stopped before the reminder was due');
    await sleep(dueAt.getTime() + 8_000 - Date.now());
    await screenshot(page, '91-server-down');
    await restart();

    // Back on the same data: the open tab's bell shows both, without a reload.
    await page.getByRole('button', { name: 'Notifications, 2 unread' }).waitFor({ timeout: 30_000 });
    const countIn = async (list) => ({
      reminder: await list.getByRole('listitem').filter({ hasText: `Reminder: ${TITLE}` }).count(),
      overdue: await list.getByRole('listitem').filter({ hasText: `Overdue: ${TITLE}` }).count(),
    });
    const openBell = async () => {
      await page.getByRole('button', { name: /^Notifications, \d+ unread/ }).click();
      const popover = page.getByRole('dialog').filter({ has: page.getByRole('heading', { name: 'Notifications' }) });
      await popover.getByText(`Overdue: ${TITLE}`).waitFor();
      return popover;
    };
    let popover = await openBell();
    assert.deepEqual(await countIn(popover), { reminder: 1, overdue: 1 }, 'each fired once');
    const reminderItem = popover.getByRole('listitem').filter({ hasText: `Reminder: ${TITLE}` });
    await reminderItem.getByText('Sent late').waitFor();
    assert.equal(await popover.getByRole('listitem').filter({ hasText: `Overdue: ${TITLE}` }).getByText('Sent late').count(), 0, 'the overdue notice came on time');
    await screenshot(page, '92-bell-after-restart');
    await page.keyboard.press('Escape');
    await page.reload();
    await row.waitFor();
    assert.equal(await row.getAttribute('data-overdue'), 'true', 'overdue in the list');
    await row.getByText(/Overdue/).waitFor();
    const kinds = async () => (await apiIn(page, 'GET', '/notifications?limit=50')).items.filter((item) => item.params.title === TITLE).map((item) => item.kind).sort();
    assert.deepEqual(await kinds(), ['task_overdue', 'task_reminder'], 'the API has them once each too');
    const task = await apiIn(page, 'GET', `/tasks/${(await apiIn(page, 'GET', `/tasks?q=${encodeURIComponent(TITLE)}`)).items[0].id}`);
    assert.equal(task.reminders.length, 1);
    assert.equal(task.reminders[0].late, true, 'the reminder is recorded as late');

    // Once more down and up: nothing fires again. A task overdue from the start, created after the restart, is
    // announced only after the loop's first pass over the restarted data, so when its notice is in, that pass is done.
    await server.stop();
    await restart();
    await page.reload();
    await row.waitFor();
    await apiIn(page, 'POST', '/tasks', { title: 'Sign the renewal order', dueAt: new Date(Date.now() - MINUTE).toISOString() });
    await page.getByRole('button', { name: 'Notifications, 3 unread' }).waitFor();
    popover = await openBell();
    await popover.getByText('Overdue: Sign the renewal order').waitFor();
    assert.deepEqual(await countIn(popover), { reminder: 1, overdue: 1 }, 'still once each after another restart');
    await screenshot(page, '93-bell-after-second-restart');
    assert.deepEqual(await kinds(), ['task_overdue', 'task_reminder']);
    await context.close();
  } catch (error) {
    if (server) error.stack = `${error.stack ?? error}\n\nthe spec's own server said:\n${server.output.join('').slice(-3000)}`;
    throw error;
  } finally {
    await server?.stop();
    await backend.drop();
  }
}
