// 2. Sign out, a wrong password shows a translated error, the right one signs in and returns to the page asked for.
import { ADMIN, assert, pageAs, waitForUrl } from './lib.mjs';

export default async function loginSpec({ baseUrl, browser, screenshot, state }) {
  const { context, page } = await pageAs(browser, baseUrl, state, ADMIN);

  await page.getByRole('button', { name: `Account menu for ${ADMIN.name}` }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await waitForUrl(page, (url) => url.pathname === '/login', 'signing out should show the login page');
  delete state.sessions[ADMIN.email];

  // A signed-out visit to a page is kept and resumed after sign-in.
  await page.goto(`${baseUrl}/settings/users`);
  await waitForUrl(page, (url) => url.pathname === '/login' && url.searchParams.get('next') === '/settings/users', 'a signed-out visit should go to /login?next=…');

  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByLabel(/^Password/).fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Wrong e-mail or password.' });
  await alert.waitFor();
  await screenshot(page, '03-login-error');

  await page.getByLabel(/^Password/).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/settings/users');

  await page.goto(`${baseUrl}/`);
  await page.getByRole('heading', { name: `Welcome, ${ADMIN.name}` }).waitFor();
  state.sessions[ADMIN.email] = await context.storageState();
  await context.close();
}
