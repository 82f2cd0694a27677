// Shared data and helpers of the e2e specs (plain playwright-core, no test runner).
import assert from 'node:assert/strict';

export const WORKSPACE = 'Northwind Traders';
export const ADMIN = { name: 'Ada Admin', email: 'admin@example.com', password: 'admin-password-2026' };
export const REP = { name: 'Riley Rep', email: 'rep@example.com', password: 'rep-password-2026' };

export const TIMEOUT = 15_000;

/** A new browser context in English on a desktop screen unless told otherwise. */
export async function newContext(browser, options = {}) {
  // Reduced motion turns Mantine's transitions off, so screenshots never catch a half-open modal.
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 860 }, reducedMotion: 'reduce', ...options });
  context.setDefaultTimeout(TIMEOUT);
  return context;
}

/** Signs in through the login form and waits for the home page. */
export async function signIn(page, baseUrl, user) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('E-mail').fill(user.email);
  await page.getByLabel(/^Password/).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: `Welcome, ${user.name}` }).waitFor();
}

/**
 * A signed-in page for a user. The session cookie is reused between specs (state.sessions),
 * so the suite stays under the login rate limit; a spec that signs out clears it.
 */
export async function pageAs(browser, baseUrl, state, user, options = {}) {
  state.sessions ??= {};
  const stored = state.sessions[user.email];
  const context = await newContext(browser, stored ? { ...options, storageState: stored } : options);
  const page = await context.newPage();
  if (stored) {
    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { name: new RegExp(`${user.name}`) }).waitFor();
  } else {
    await signIn(page, baseUrl, user);
    state.sessions[user.email] = await context.storageState();
  }
  return { context, page };
}

/** The side navigation. */
export function navOf(page) {
  return page.getByRole('navigation', { name: 'Main navigation' });
}

/** Opens the side navigation's Settings group (a toggle) if it is closed; returns the navigation. */
export async function openSettingsNav(page) {
  const nav = navOf(page);
  const toggle = nav.getByRole('button', { name: 'Settings' });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  return nav;
}

export async function waitForUrl(page, predicate, message) {
  await page.waitForURL(predicate, { timeout: TIMEOUT }).catch(() => assert.fail(`${message}; the page is at ${page.url()}`));
}

export { assert };

/**
 * Calls the API from inside a signed-in page (its session cookie and CSRF token), for setting up data a spec is not
 * about. Resolves with the JSON answer; rejects with the status and body on an error.
 */
export async function apiIn(page, method, path, body) {
  const result = await page.evaluate(
    async ({ method, path, body }) => {
      const me = await fetch('/api/v1/auth/me', { credentials: 'same-origin' }).then((response) => response.json());
      const response = await fetch(`/api/v1${path}`, {
        method,
        credentials: 'same-origin',
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(method === 'GET' ? {} : { 'x-csrf-token': me.csrfToken }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    { method, path, body },
  );
  if (result.status >= 400) throw new Error(`${method} ${path} → ${result.status} ${JSON.stringify(result.body)}`);
  return result.body;
}

/** Overflow of the page sideways in pixels (0 when nothing sticks out). */
export async function sidewaysOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
