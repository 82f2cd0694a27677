#!/usr/bin/env node
// `npm start` (re)builds the web app and the server bundle only when their sources are newer than the last build,
// so restarts stay fast. `--force` builds both (npm run build).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildBundle, isBundleFresh, newestMtime } from '../packages/server/bin/server-bundle.mjs';

const force = process.argv.includes('--force');
const web = path.resolve(import.meta.dirname, '../packages/web');
const built = path.join(web, 'dist/index.html');
const sharedSrc = path.resolve(import.meta.dirname, '../packages/shared/src');

const webSources = [path.join(web, 'src'), path.join(web, 'index.html'), path.join(web, 'vite.config.ts'), path.join(web, 'package.json'), sharedSrc].filter((p) => fs.existsSync(p));
const webStale = !fs.existsSync(built) || Math.max(...webSources.map(newestMtime)) > fs.statSync(built).mtimeMs;
if (force || webStale) {
  console.log('Building the web app…');
  const result = spawnSync('npm', ['run', 'build', '--workspace', '@rapport/web'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
if (force || !isBundleFresh()) {
  console.log('Bundling the server…');
  await buildBundle();
}
