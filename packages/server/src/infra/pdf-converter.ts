import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Port: DOCX in, PDF out. `available` is false where the server has no converter; PDF is then not offered. */
export interface PdfConverter {
  readonly available: boolean;
  fromDocx(docx: Buffer): Promise<Buffer>;
}

/** The first of `candidates` that is an executable file on PATH (or a path itself). */
function findExecutable(candidates: string[]): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const candidate of candidates) {
    for (const full of path.isAbsolute(candidate) ? [candidate] : dirs.map((dir) => path.join(dir, candidate))) {
      try {
        accessSync(full, constants.X_OK);
        return full;
      } catch {
        // not here; try the next place
      }
    }
  }
  return undefined;
}

const CONVERT_TIMEOUT_MS = 120_000;

/**
 * LibreOffice in headless mode (`soffice`, or SOFFICE_PATH). One conversion at a time: each start is a whole office
 * process, and two at once on a small server only slow each other down. Every conversion has its own profile
 * directory, so a crashed one leaves nothing that breaks the next.
 */
export function libreOfficePdfConverter(binary = process.env.SOFFICE_PATH): PdfConverter {
  const soffice = findExecutable(binary ? [binary] : ['soffice', 'libreoffice']);
  let queue: Promise<unknown> = Promise.resolve();
  async function convert(docx: Buffer): Promise<Buffer> {
    if (!soffice) throw new Error('no PDF converter: LibreOffice (soffice) is not installed');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rapport-pdf-'));
    try {
      const input = path.join(dir, 'document.docx');
      await fs.writeFile(input, docx);
      const profile = `-env:UserInstallation=${pathToFileURL(path.join(dir, 'profile')).href}`;
      await run(soffice, [profile, '--headless', '--norestore', '--nolockcheck', '--convert-to', 'pdf', '--outdir', dir, input], { timeout: CONVERT_TIMEOUT_MS });
      return await fs.readFile(path.join(dir, 'document.pdf'));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
  return {
    available: soffice !== undefined,
    fromDocx(docx) {
      const result = queue.then(() => convert(docx));
      queue = result.catch(() => undefined);
      return result;
    },
  };
}
