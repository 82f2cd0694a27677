#!/usr/bin/env node
// The `rapport` CLI: the prebuilt bundle when it is up to date, else the TypeScript sources through tsx, so
// `npm ci && npm start` needs no separate build step and an edited source is never shadowed by an old bundle.
import { pathToFileURL } from 'node:url';
import { BUNDLE, isBundleFresh } from './server-bundle.mjs';

if (isBundleFresh()) {
  await import(pathToFileURL(BUNDLE).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
