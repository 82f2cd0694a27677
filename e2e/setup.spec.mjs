// 1. First run: a fresh instance sends every visitor to /setup; the form creates the workspace and signs the admin in.
import { ADMIN, assert, newContext, waitForUrl, WORKSPACE } from './lib.mjs';

export default async function setupSpec({ baseUrl, browser, screenshot, state }) {
  const context = await newContext(browser);
  const page = await context.newPage();

  await page.goto(`${baseUrl}/`);
  await waitForUrl(page, (url) => url.pathname === '/setup', 'a fresh instance should redirect / to /setup');
  await page.getByRole('heading', { name: 'Set up Rapport' }).waitFor();

  // Client-side checks come first: a short password is refused before any request.
  await page.getByLabel('Workspace name').fill(WORKSPACE);
  await page.getByLabel('Your name').fill(ADMIN.name);
  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByLabel(/^Password/).fill('short');
  await page.getByRole('button', { name: 'Create the workspace' }).click();
  await page.getByText('At least 10 characters').first().waitFor();

  await page.getByLabel(/^Password/).fill(ADMIN.password);
  await screenshot(page, '01-setup');
  await page.getByRole('button', { name: 'Create the workspace' }).click();

  await page.getByRole('heading', { name: `Welcome, ${ADMIN.name}` }).waitFor();
  await waitForUrl(page, (url) => url.pathname === '/', 'setup should land on the home page');
  assert.equal((await page.getByTestId('workspace-name').textContent())?.trim(), WORKSPACE);
  await page.getByText(`Workspace: ${WORKSPACE}`).waitFor();
  // The administrator sees the get-started checklist.
  await page.getByRole('heading', { name: 'Get started' }).waitFor();
  await page.getByText('Administrator', { exact: true }).waitFor();
  await screenshot(page, '02-home');

  // Once set up, /setup is gone.
  await page.goto(`${baseUrl}/setup`);
  await waitForUrl(page, (url) => url.pathname === '/', '/setup should redirect home once the workspace exists');

  state.sessions = { [ADMIN.email]: await context.storageState() };
  await context.close();
}
