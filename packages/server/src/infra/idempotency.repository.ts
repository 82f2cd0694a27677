import type { Executor } from './db.js';

export async function claimKey(ex: Executor, row: { workspace_id: string; principal_id: string; key: string; request_hash: string }): Promise<boolean> {
  const result = await ex.insertInto('idempotency_key').values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findKey(ex: Executor, workspaceId: string, principalId: string, key: string) {
  return ex.selectFrom('idempotency_key').selectAll().where('workspace_id', '=', workspaceId).where('principal_id', '=', principalId).where('key', '=', key).executeTakeFirst();
}

export async function storeResponse(ex: Executor, workspaceId: string, principalId: string, key: string, statusCode: number, response: string): Promise<void> {
  await ex.updateTable('idempotency_key').set({ status_code: statusCode, response }).where('workspace_id', '=', workspaceId).where('principal_id', '=', principalId).where('key', '=', key).execute();
}

export async function releaseKey(ex: Executor, workspaceId: string, principalId: string, key: string): Promise<void> {
  await ex.deleteFrom('idempotency_key').where('workspace_id', '=', workspaceId).where('principal_id', '=', principalId).where('key', '=', key).execute();
}

export async function deleteKeysBefore(ex: Executor, before: Date): Promise<void> {
  await ex.deleteFrom('idempotency_key').where('created_at', '<', before).execute();
}
