import type { Locale } from '@rapport/shared';
import { AppError } from '../../core/app-error.js';
import type { Executor } from '../../infra/db.js';
import { newId } from '../../infra/ids.js';
import { countWorkspaces, findFirstWorkspace, findWorkspace, insertWorkspace, lockSetupTransaction } from './workspace.repository.js';

export interface WorkspaceInfo {
  id: string;
  name: string;
  locale: Locale;
  currency: string;
  timezone: string;
}

export async function getWorkspace(ex: Executor, id: string): Promise<WorkspaceInfo> {
  const row = await findWorkspace(ex, id);
  if (!row) throw new AppError('not_found', { message: 'Workspace not found' });
  return { id: row.id, name: row.name, locale: row.locale === 'ru' ? 'ru' : 'en', currency: row.currency, timezone: row.timezone };
}

/** The country local phone numbers are read in. */
export async function getWorkspaceCountry(ex: Executor, id: string): Promise<string> {
  return (await findWorkspace(ex, id))?.country ?? 'US';
}

export async function isSetUp(ex: Executor): Promise<boolean> {
  return (await countWorkspaces(ex)) > 0;
}

/** Currency, time zone and phone country follow the language until a settings page lets administrators choose. */
export async function createWorkspace(ex: Executor, input: { name: string; locale: Locale; timezone?: string }): Promise<WorkspaceInfo> {
  const id = newId();
  const currency = input.locale === 'ru' ? 'RUB' : 'USD';
  const timezone = input.timezone ?? (input.locale === 'ru' ? 'Europe/Moscow' : 'UTC');
  await insertWorkspace(ex, { id, name: input.name.trim(), locale: input.locale, currency, timezone, country: input.locale === 'ru' ? 'RU' : 'US' });
  return { id, name: input.name.trim(), locale: input.locale, currency, timezone };
}

/** The installation's first workspace, if any (CLI commands act on it). */
export async function firstWorkspace(ex: Executor): Promise<{ id: string } | undefined> {
  return findFirstWorkspace(ex);
}

/** Holds the first-run lock until the caller's transaction ends, so two setups cannot both succeed. */
export function lockSetup(ex: Executor): Promise<void> {
  return lockSetupTransaction(ex);
}
