import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';

export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `The data directory ${dataDir} is in use by another Rapport process. ` +
        'Stop it first: the embedded database cannot be shared between processes. ' +
        'If that process was killed, the lock expires within 15 seconds. ' +
        'To run several processes, use PostgreSQL (set DATABASE_URL).',
    );
  }
}

/**
 * PGlite does not lock its data directory and a second process would silently lose writes,
 * so the embedded mode holds an exclusive lock for the life of the process.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  fs.mkdirSync(dataDir, { recursive: true });
  const target = path.join(dataDir, 'rapport.lock');
  fs.closeSync(fs.openSync(target, 'a'));
  try {
    return await lockfile.lock(target, {
      stale: 15_000,
      update: 5_000,
      realpath: false,
      onCompromised: (error) => {
        throw error;
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataDirLockedError(dataDir);
    throw error;
  }
}
