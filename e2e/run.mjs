// End-to-end run: one fresh Rapport server on an empty data directory, then every spec in order in Debian's Chromium.
// Specs share the server and build on each other (setup → login → invitation → …), so they run in the order below.
// Usage: `npm run e2e` (builds the web first) or `node e2e/run.mjs` after `npm run build`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(import.meta.dirname, '..');
const SCREENSHOTS = path.join(ROOT, 'e2e', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Specs that depend on earlier ones come in this order; any other *.spec.mjs runs afterwards, by name. */
const ORDER = ['setup', 'login', 'invitation', 'role-restriction', 'language', 'audit', 'mobile'];

function freePort() {
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

async function waitForHealth(baseUrl, child, output, timeoutMs = 90_000) {
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

async function specFiles() {
  const names = (await readdir(path.join(ROOT, 'e2e'))).filter((name) => name.endsWith('.spec.mjs'));
  const rank = (name) => {
    const index = ORDER.indexOf(name.replace(/\.spec\.mjs$/, ''));
    return index === -1 ? ORDER.length : index;
  };
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

async function main() {
  if (!existsSync(path.join(ROOT, 'packages/web/dist/index.html'))) {
    console.error('packages/web/dist is missing: run `npm run build` first (or `npm run e2e`).');
    process.exit(2);
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
    process.exit(2);
  }
  await rm(SCREENSHOTS, { recursive: true, force: true });
  await mkdir(SCREENSHOTS, { recursive: true });

  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rapport-e2e-'));
  const env = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', PUBLIC_URL: baseUrl };
  // Without SMTP every e-mail is held in the outbox, which is how the invitation spec reads its link.
  delete env.SMTP_URL;
  const output = [];
  const server = spawn(process.execPath, ['packages/server/bin/rapport.mjs', 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (chunk) => output.push(chunk.toString()));
  server.stderr.on('data', (chunk) => output.push(chunk.toString()));
  // Never leave the server behind: not on Ctrl+C, not when the output pipe closes early (`| head`), not on a crash.
  process.on('exit', () => {
    if (server.exitCode === null) server.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => process.exit(130));
  process.stdout.on('error', () => undefined);

  let browser;
  let failures = 0;
  const stopServer = async () => {
    if (server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForHealth(baseUrl, server, output);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const state = {};
    const screenshot = async (page, name) => {
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
    };

    for (const file of await specFiles()) {
      const name = file.replace(/\.spec\.mjs$/, '');
      const started = Date.now();
      try {
        const spec = await import(pathToFileURL(path.join(ROOT, 'e2e', file)).href);
        await spec.default({ baseUrl, browser, screenshot, state });
        console.log(`PASS ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
      } catch (error) {
        failures += 1;
        console.log(`FAIL ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
        console.log(String(error?.stack ?? error).replace(/^/gm, '     '));
        // Whatever page the spec had open is the best evidence of what went wrong.
        for (const context of browser.contexts()) {
          for (const [index, page] of context.pages().entries()) await screenshot(page, `FAILED-${name}-${index}`).catch(() => undefined);
        }
      } finally {
        // Each spec owns its browser contexts; anything it left open is closed here.
        for (const context of browser.contexts()) await context.close().catch(() => undefined);
      }
    }
  } catch (error) {
    failures += 1;
    console.log(`FAIL run: ${String(error?.stack ?? error)}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await stopServer();
  }

  if (failures > 0 && output.length > 0) console.log(`\nserver output:\n${output.join('').slice(-4000)}`);
  console.log(failures === 0 ? '\nall e2e specs passed' : `\n${failures} e2e spec(s) failed`);
  process.exit(failures === 0 ? 0 : 1);
}

await main();
