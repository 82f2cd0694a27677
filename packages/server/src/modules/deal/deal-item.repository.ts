import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../infra/db.js';
import type { DealItemTable } from '../../infra/db-schema.js';

export type DealItemRow = Selectable<DealItemTable>;

export async function itemsOfDeal(ex: Executor, workspaceId: string, dealId: string): Promise<DealItemRow[]> {
  return ex.selectFrom('deal_item').selectAll().where('workspace_id', '=', workspaceId).where('deal_id', '=', dealId).orderBy('position').execute();
}

/** The deal's lines become exactly `rows`. */
export async function replaceItems(ex: Executor, workspaceId: string, dealId: string, rows: Insertable<DealItemTable>[]): Promise<void> {
  await ex.deleteFrom('deal_item').where('workspace_id', '=', workspaceId).where('deal_id', '=', dealId).execute();
  if (rows.length > 0) await ex.insertInto('deal_item').values(rows).execute();
}
