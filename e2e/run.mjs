// End-to-end run: one fresh Rapport server on an empty data directory, then every spec in order in Debian's Chromium.
// Specs share the server and build on each other (setup → login → invitation → …), so they run in the order below.
// Usage: `npm run e2e` (builds the web first) or `node e2e/run.mjs` after `npm run build`. Words after it
// (`npm run e2e -- setup sales-tasks-2`) run only the specs whose names contain one of them.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { freePort, startRapport } from './lib.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const SCREENSHOTS = path.join(ROOT, 'e2e', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Specs that depend on earlier ones come in this order; any other *.spec.mjs runs afterwards, by name. */
const ORDER = ['setup', 'login', 'invitation', 'role-restriction', 'language', 'audit', 'mobile'];

async function specFiles() {
  const names = (await readdir(path.join(ROOT, 'e2e'))).filter((name) => name.endsWith('.spec.mjs'));
  const rank = (name) => {
    const index = ORDER.indexOf(name.replace(/\.spec\.mjs$/, ''));
    return index === -1 ? ORDER.length : index;
  };
  const only = process.argv.slice(2);
  return names.filter((name) => only.length === 0 || only.some((word) => name.includes(word))).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
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

  const files = await specFiles();
  if (files.length === 0) {
    console.error(`No spec matches ${process.argv.slice(2).join(', ')}.`);
    process.exit(2);
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rapport-e2e-'));
  // Ctrl+C and a closed output pipe (`| head`) end the run; the server never outlives it (startRapport kills it on exit).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => process.exit(130));
  process.stdout.on('error', () => undefined);

  const launch = () => chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const screenshot = async (page, name) => {
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };
  /** Runs one spec in `browser`; it owns the browser's contexts while it runs. Returns whether it passed. */
  const run = async (name, spec, browser, args) => {
    const started = Date.now();
    try {
      await spec.default({ ...args, browser, screenshot });
      console.log(`PASS ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
      return true;
    } catch (error) {
      console.log(`FAIL ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
      console.log(String(error?.stack ?? error).replace(/^/gm, '     '));
      // Whatever page the spec had open is the best evidence of what went wrong.
      for (const context of browser.contexts()) {
        for (const [index, page] of context.pages().entries()) await screenshot(page, `FAILED-${name}-${index}`).catch(() => undefined);
      }
      return false;
    } finally {
      for (const context of browser.contexts()) await context.close().catch(() => undefined);
    }
  };

  let server;
  let browser;
  let failures = 0;
  try {
    const specs = [];
    for (const file of files) specs.push({ name: file.replace(/\.spec\.mjs$/, ''), spec: await import(pathToFileURL(path.join(ROOT, 'e2e', file)).href) });
    // Specs with their own server and data (`export const standalone = true`), which mostly wait on the clock, run beside
    // the others in a browser of their own instead of adding their waiting to the run.
    const aside = specs.filter(({ spec }) => spec.standalone === true);
    const asideRun = aside.length === 0 ? Promise.resolve(0) : (async () => {
      const own = await launch();
      try {
        let failed = 0;
        for (const { name, spec } of aside) if (!(await run(name, spec, own, {}))) failed += 1;
        return failed;
      } finally {
        await own.close().catch(() => undefined);
      }
    })().catch((error) => {
      console.log(`FAIL standalone specs: ${String(error?.stack ?? error)}`);
      return 1;
    });
    server = await startRapport({ port: await freePort(), dataDir });
    const { baseUrl } = server;
    browser = await launch();
    const state = {};
    for (const { name, spec } of specs) {
      if (spec.standalone === true) continue;
      if (!(await run(name, spec, browser, { baseUrl, state }))) failures += 1;
    }
    failures += await asideRun;
  } catch (error) {
    failures += 1;
    console.log(`FAIL run: ${String(error?.stack ?? error)}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }

  if (failures > 0 && server?.output.length > 0) console.log(`\nserver output:\n${server.output.join('').slice(-4000)}`);
  console.log(failures === 0 ? '\nall e2e specs passed' : `\n${failures} e2e spec(s) failed`);
  process.exit(failures === 0 ? 0 : 1);
}

await main();
