import { createReadStream, createWriteStream } from 'node:fs';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { IMPORT_MODES, type ExportFormat, type ImportJob, type ImportMode, type ImportObject } from '@rapport/shared';
import { AppError } from '../core/app-error.js';
import type { Ctx } from '../core/context.js';
import type { Db } from '../infra/db.js';
import { actorOfUser } from '../modules/auth/auth.service.js';
import { administratorIds } from '../modules/role/role.service.js';
import { findUserByLogin } from '../modules/user/user.service.js';
import { firstWorkspace } from '../modules/workspace/workspace.service.js';
import type { Services } from '../services.js';

/** Who a command acts as: `--as` (an active user, in `--workspace` when given), else the workspace's first administrator. */
export async function cliContext(db: Db, options: { as?: string; workspace?: string }): Promise<Ctx> {
  let workspaceId: string;
  let userId: string;
  if (options.as) {
    const user = await findUserByLogin(db, options.as);
    if (!user || user.status !== 'active' || (options.workspace && user.workspace_id !== options.workspace)) throw new AppError('not_found', { message: `No active user ${options.as}${options.workspace ? ` in workspace ${options.workspace}` : ''}` });
    [workspaceId, userId] = [user.workspace_id, user.id];
  } else {
    const workspace = options.workspace ?? (await firstWorkspace(db))?.id;
    const [admin] = workspace ? await administratorIds(db, workspace) : [];
    if (!workspace || !admin) throw new AppError('not_found', { message: 'No workspace with an active administrator: set one up, or name a user with --as' });
    [workspaceId, userId] = [workspace, admin];
  }
  const actor = await actorOfUser(db, workspaceId, userId);
  if (!actor) throw new AppError('not_found', { message: 'The user is gone' });
  return { actor, meta: { ip: null, requestId: 'cli' } };
}

/** Object names as typed on the command line: singular or plural. */
export function objectArgument<T extends string>(objects: readonly T[], value: string): T {
  const singular = value.toLowerCase().replace(/ies$/, 'y').replace(/s$/, '');
  const found = objects.find((object) => object === singular);
  if (!found) throw new AppError('validation', { message: `Unknown object "${value}": one of ${objects.join(', ')}`, errors: [{ path: '--object', message: `must be one of ${objects.join(', ')}` }] });
  return found;
}

/**
 * The mapping file: `{ "<header>": "<field>" }` (as the wizard saves mappings; columns not named are left out) or an
 * array with a field or null per column.
 */
export function mappingFromFile(headers: string[], mapping: unknown): (string | null)[] {
  if (Array.isArray(mapping)) return mapping.map((field) => (typeof field === 'string' ? field : null));
  if (mapping && typeof mapping === 'object') {
    const byHeader = mapping as Record<string, unknown>;
    return headers.map((header) => (typeof byHeader[header] === 'string' ? (byHeader[header] as string) : null));
  }
  throw new AppError('validation', { message: 'The mapping file must hold an object { "header": "field" } or an array', errors: [{ path: '--map', message: 'must be an object or an array' }] });
}

export interface CliImportOptions {
  object: ImportObject;
  mapping?: unknown;
  mode?: ImportMode;
  country?: string;
  fileLocale?: 'en' | 'ru';
}

const progressLine = (job: ImportJob) => `${job.rowsDone}/${job.totalRows} rows, ${job.rejected} rejected${job.rate !== null ? `, ${job.rate} rows/s` : ''}`;

/**
 * `rapport import`: the wizard's steps through the same service — upload, settings, start — then the job run in this
 * process, a progress line per second on `progress`. Returns the finished job.
 */
export async function importFile(services: Services, ctx: Ctx, file: string, options: CliImportOptions, progress: (line: string) => void, intervalMs = 1000): Promise<ImportJob> {
  if (options.mode && !IMPORT_MODES.includes(options.mode)) throw new AppError('validation', { message: `Unknown mode "${options.mode}": one of ${IMPORT_MODES.join(', ')}` });
  const imports = services.imports;
  const draft = await imports.upload(ctx, { object: options.object, name: basename(file) }, createReadStream(file));
  const settings = {
    ...(options.mapping !== undefined ? { mapping: mappingFromFile(draft.headers, options.mapping) } : {}),
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.country ? { defaultCountry: options.country } : {}),
    ...(options.fileLocale ? { fileLocale: options.fileLocale } : {}),
  };
  const ready = Object.keys(settings).length > 0 ? await imports.configure(ctx, draft.id, settings, draft.version) : draft;
  progress(`Read ${basename(file)} (${ready.format}): ${ready.totalRows} rows; columns ${ready.headers.map((header, i) => `${header} → ${ready.mapping[i] ?? '—'}`).join(', ')}`);
  await imports.start(ctx, ready.id, {}, ready.version);
  const timer = setInterval(() => {
    void imports.get(ctx, ready.id).then((job) => progress(progressLine(job)), () => undefined);
  }, intervalMs);
  try {
    await imports.run(ctx.actor.workspaceId, ready.id);
  } finally {
    clearInterval(timer);
  }
  const done = await imports.get(ctx, ready.id);
  progress(progressLine(done));
  return done;
}

/** `rapport export`: the list export (a saved view's filter and columns when given) streamed to a file. */
export async function exportToFile(services: Services, ctx: Ctx, out: string, options: { object: Parameters<Services['exports']['start']>[1]['object']; format: ExportFormat; viewId?: string }): Promise<{ rows: number }> {
  const prepared = await services.exports.start(ctx, { object: options.object, format: options.format, ...(options.viewId ? { viewId: options.viewId } : {}) });
  await pipeline(prepared.body, createWriteStream(out));
  return { rows: prepared.rows };
}
