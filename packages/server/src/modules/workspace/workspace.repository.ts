import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../../infra/db.js';
import type { PaymentDetails } from '@rapport/shared';
import type { WorkspaceTable } from '../../infra/db-schema.js';

export async function insertWorkspace(ex: Executor, row: Insertable<WorkspaceTable>): Promise<void> {
  await ex.insertInto('workspace').values(row).execute();
}

export async function findWorkspace(ex: Executor, id: string) {
  return ex.selectFrom('workspace').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countWorkspaces(ex: Executor): Promise<number> {
  const row = await ex.selectFrom('workspace').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function findFirstWorkspace(ex: Executor) {
  return ex.selectFrom('workspace').select('id').orderBy('created_at').limit(1).executeTakeFirst();
}

// Any constant shared by all Rapport processes: serialises concurrent first-run setups.
const SETUP_LOCK = 724_311_002;

export async function lockSetupTransaction(ex: Executor): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${SETUP_LOCK})`.execute(ex);
}

/** Optimistic: false (nothing written) unless the version still matches. */
export async function updateWorkspacePaymentDetails(ex: Executor, id: string, version: number, details: PaymentDetails): Promise<boolean> {
  const result = await ex
    .updateTable('workspace')
    .set({ payment_details: JSON.stringify(details), updated_at: new Date(), version: (eb) => eb('version', '+', 1) })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
