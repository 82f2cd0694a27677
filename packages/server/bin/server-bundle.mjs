// The server runs as one esbuild bundle when it is newer than its sources: starting from plain JavaScript skips the tsx
// transpiler, which took over a second of every start. When sources changed since (a developer's edit), the CLI runs them
// directly through tsx instead, so a stale bundle never runs.
import fs from 'node:fs';
import path from 'node:path';

const server = path.resolve(import.meta.dirname, '..');
const shared = path.resolve(server, '../shared');

// Two directories below packages/server, like src/infra and src/cli, so paths resolved from import.meta.dirname
// (migrations, the web build) point to the same places from the bundle as from the sources.
export const BUNDLE = path.join(server, 'dist/bundle/rapport.mjs');
const SOURCES = [path.join(server, 'src'), path.join(server, 'package.json'), path.join(shared, 'src'), path.join(shared, 'package.json')];

/** The latest modification time in a file tree. */
export function newestMtime(entry) {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

export function isBundleFresh() {
  return fs.existsSync(BUNDLE) && Math.max(...SOURCES.map(newestMtime)) <= fs.statSync(BUNDLE).mtimeMs;
}

export async function buildBundle() {
  const { build } = await import('esbuild');
  const dependencies = (dir) => Object.keys(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies ?? {});
  await build({
    entryPoints: [path.join(server, 'src/cli/main.ts')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    // Packages stay in node_modules; only our own code (server and shared) goes into the bundle.
    external: [...dependencies(server), ...dependencies(shared)].filter((name) => name !== '@rapport/shared'),
    logLevel: 'warning',
  });
}
