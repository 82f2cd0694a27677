import { paymentDetailsOf, PAYMENT_DETAIL_FIELDS, type Locale, type PaymentDetails, type WorkspaceSettings } from '@rapport/shared';
import { AppError, requireVersion } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import { diffFields } from '../../core/diff.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import { newId } from '../../infra/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { countWorkspaces, findFirstWorkspace, findWorkspace, insertWorkspace, lockSetupTransaction, updateWorkspacePaymentDetails } from './workspace.repository.js';

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

/** The workspace's requisites (legal name, address, tax ids, bank account) for documents; blank fields when none are kept. */
export async function getPaymentDetails(ex: Executor, id: string): Promise<PaymentDetails> {
  return paymentDetailsOf((await findWorkspace(ex, id))?.payment_details);
}

/** Settings › Workspace: the requisites documents print; administrators edit them with the workspace's version. */
export function createWorkspaceService(deps: ServiceDeps) {
  async function settings(ex: Executor, workspaceId: string): Promise<WorkspaceSettings> {
    const row = await findWorkspace(ex, workspaceId);
    if (!row) throw new AppError('not_found', { message: 'Workspace not found' });
    return { name: row.name, currency: row.currency, locale: row.locale, paymentDetails: paymentDetailsOf(row.payment_details), version: row.version };
  }

  async function updatePaymentDetails(ctx: Ctx, details: PaymentDetails, version: number | undefined): Promise<WorkspaceSettings> {
    const expected = requireVersion(version);
    const trimmed = Object.fromEntries(PAYMENT_DETAIL_FIELDS.map((field) => [field, details[field].trim()])) as PaymentDetails;
    return deps.db.transaction().execute(async (trx) => {
      const { workspaceId } = ctx.actor;
      const before = await settings(trx, workspaceId);
      if (before.version !== expected || !(await updateWorkspacePaymentDetails(trx, workspaceId, expected, trimmed))) {
        throw new AppError('version_conflict', { message: 'The workspace settings were changed meanwhile', currentVersion: before.version });
      }
      await recordAudit(trx, ctx, { action: 'workspace.update', objectType: 'workspace', objectId: workspaceId, changes: diffFields(before.paymentDetails, trimmed, PAYMENT_DETAIL_FIELDS) });
      return { ...before, paymentDetails: trimmed, version: expected + 1 };
    });
  }

  return { get: (ctx: Ctx) => settings(deps.db, ctx.actor.workspaceId), updatePaymentDetails };
}

export type WorkspaceService = ReturnType<typeof createWorkspaceService>;
