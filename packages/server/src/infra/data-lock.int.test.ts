import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './data-lock.js';

const run = promisify(execFile);
const SERVER_DIR = path.join(import.meta.dirname, '../..');

/** Tries to take the lock from a separate Node process, as a second `rapport start` would. */
async function lockFromAnotherProcess(dataDir: string): Promise<{ ok: boolean; message: string }> {
  const code = `
    import { register } from 'tsx/esm/api';
    register();
    const { lockDataDir } = await import(${JSON.stringify(path.join(import.meta.dirname, 'data-lock.ts'))});
    try {
      const release = await lockDataDir(${JSON.stringify(dataDir)});
      await release();
      console.log(JSON.stringify({ ok: true, message: 'locked' }));
    } catch (error) {
      console.log(JSON.stringify({ ok: false, message: error.message }));
    }`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], { cwd: SERVER_DIR, timeout: 20_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { ok: boolean; message: string };
}

describe('embedded data directory lock', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-lock-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a second lock with a DataDirLockedError that says what to do', async () => {
    const release = await lockDataDir(dataDir);
    try {
      const error = await lockDataDir(dataDir).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(DataDirLockedError);
      const message = (error as Error).message;
      expect(message).toContain(dataDir);
      expect(message).toContain('in use by another Rapport process');
      expect(message).toContain('DATABASE_URL');
      expect((error as DataDirLockedError).dataDir).toBe(dataDir);
    } finally {
      await release();
    }
  });

  it('can be taken again once released', async () => {
    const first = await lockDataDir(dataDir);
    await first();
    const second = await lockDataDir(dataDir);
    await expect(lockDataDir(dataDir)).rejects.toBeInstanceOf(DataDirLockedError);
    await second();
    await (await lockDataDir(dataDir))();
  });

  it('creates the directory when it does not exist yet', async () => {
    const nested = path.join(dataDir, 'not', 'yet');
    const release = await lockDataDir(nested);
    expect(fs.existsSync(nested)).toBe(true);
    await release();
  });

  it('keeps another process out while held, and lets it in after release', async () => {
    const release = await lockDataDir(dataDir);
    let released = false;
    try {
      const refused = await lockFromAnotherProcess(dataDir);
      expect(refused.ok).toBe(false);
      expect(refused.message).toContain('in use by another Rapport process');
      await release();
      released = true;
      expect(await lockFromAnotherProcess(dataDir)).toEqual({ ok: true, message: 'locked' });
    } finally {
      if (!released) await release();
    }
  });
});
