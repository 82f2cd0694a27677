// Shared data and helpers of the e2e specs (plain playwright-core, no test runner).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

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
 * Waits for a toast and closes it, so that a later toast with the same words is told apart from this one (toasts stay
 * six seconds).
 */
export async function seeToast(page, text) {
  const toast = page.getByRole('status').locator('.mantine-Notification-root').filter({ hasText: text });
  await toast.waitFor();
  await toast.getByRole('button', { name: 'Close' }).click();
  await toast.waitFor({ state: 'detached' });
}

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

/**
 * A colleague joins for a spec's story: the administrator invites them with a role (and team), the invitation e-mail
 * waits in the mail outbox (no SMTP), and they accept it with their name and password. Resolves with the user's id.
 */
export async function joinByInvitation(browser, baseUrl, adminPage, user, { role, teamId } = {}) {
  const roleId = (await apiIn(adminPage, 'GET', '/roles')).items.find((item) => item.name === role).id;
  const invited = await apiIn(adminPage, 'POST', '/users/invite', { email: user.email, name: user.name, roleId, ...(teamId ? { teamId } : {}) });
  const mail = (await apiIn(adminPage, 'GET', '/mail-outbox?limit=200')).items.find((item) => item.to === user.email);
  const token = decodeURIComponent(/[?&]token=([^\s&]+)/.exec(mail.text)[1]);
  const stranger = await newContext(browser);
  const welcome = await stranger.newPage();
  await welcome.goto(`${baseUrl}/login`);
  const accepted = await welcome.evaluate(
    async (body) => (await fetch('/api/v1/auth/invite/accept', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status,
    { token, name: user.name, password: user.password },
  );
  assert.equal(accepted, 200, `${user.name} accepts the invitation`);
  await stranger.close();
  return invited.id;
}

/** Serves one HTML page at every path: a company's own website that a web form's snippet is pasted into. */
export async function landingSite(html) {
  const port = await freePort();
  const server = http.createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Overflow of the page sideways in pixels (0 when nothing sticks out). */
export async function sidewaysOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

const ROOT = path.resolve(import.meta.dirname, '..');

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(baseUrl, child, output, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}\n${output.join('')}`);
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`server did not become healthy within ${timeoutMs / 1000}s\n${output.join('')}`);
}

/**
 * Starts `rapport start` on `port` over `dataDir` (and `databaseUrl` when given, else the runner's DATABASE_URL if
 * any), with LOG_LEVEL=warn, PUBLIC_URL=http://localhost:<port> and no SMTP_URL (e-mails are held in the outbox), and
 * waits for GET /health. `stop()` sends SIGTERM, the way a service manager stops it (SIGKILL after 10 s). The process
 * never outlives the runner.
 */
export async function startRapport({ port, dataDir, databaseUrl, timeoutMs = 90_000 }) {
  const baseUrl = `http://localhost:${port}`;
  const env = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', PUBLIC_URL: baseUrl };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  delete env.SMTP_URL;
  const output = [];
  const child = spawn(process.execPath, ['packages/server/bin/rapport.mjs', 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk) => output.push(chunk.toString()));
  const killOnExit = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    process.off('exit', killOnExit);
  };
  try {
    await waitForHealth(baseUrl, child, output, timeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, child, output, stop };
}

/**
 * An empty backend of a spec's own, for a server it starts and stops itself: a new data directory, and when the
 * runner is on PostgreSQL (DATABASE_URL) a new database beside the runner's. `drop()` removes both.
 */
export async function freshBackend() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rapport-e2e-own-'));
  const url = process.env.DATABASE_URL;
  if (!url) return { dataDir, databaseUrl: undefined, drop: () => rm(dataDir, { recursive: true, force: true }) };
  const { default: pg } = await import('pg');
  const name = `rapport_e2e_${randomBytes(6).toString('hex')}`;
  const admin = async (statement) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    dataDir,
    databaseUrl: target.toString(),
    async drop() {
      await rm(dataDir, { recursive: true, force: true });
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
