import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import { COMPANY_KINDS, COMPANY_STATUSES } from '@rapport/shared';
import { LAST_ACTIVITY_FIELD, nameField, timestampSort, type ObjectDef } from '../client-record/client-record.repository.js';
import type { Executor } from '../../infra/db.js';
import type { CompanyTable } from '../../infra/db-schema.js';

export async function insertCompanies(ex: Executor, rows: Insertable<CompanyTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await ex.insertInto('company').values(rows).execute();
}

export async function findCompanyRow(ex: Executor, workspaceId: string, id: string) {
  return ex.selectFrom('company').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export async function updateCompanyRow(ex: Executor, workspaceId: string, id: string, version: number, patch: Updateable<CompanyTable>) {
  return ex
    .updateTable('company')
    .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export async function companyNames(ex: Executor, workspaceId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await ex.selectFrom('company').select(['id', 'name']).where('workspace_id', '=', workspaceId).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Ancestors of a company: a parent cannot be one of its own branches. */
export async function ancestorIds(ex: Executor, workspaceId: string, id: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    WITH RECURSIVE up AS (
      SELECT id, parent_id FROM company WHERE workspace_id = ${workspaceId} AND id = ${id}
      UNION
      SELECT c.id, c.parent_id FROM company c JOIN up ON c.id = up.parent_id WHERE c.workspace_id = ${workspaceId}
    ) SELECT id FROM up`.execute(ex);
  return result.rows.map((row) => row.id);
}

/** A merge moves everything that points at the merged companies: people, branches, converted leads. */
export async function repointCompany(ex: Executor, workspaceId: string, fromIds: string[], toId: string): Promise<void> {
  await sql`
    INSERT INTO contact_company (workspace_id, contact_id, company_id, role, is_primary, created_at)
    SELECT workspace_id, contact_id, ${toId}, role, is_primary, created_at FROM contact_company
    WHERE workspace_id = ${workspaceId} AND company_id = ANY(${fromIds}::uuid[])
    ON CONFLICT DO NOTHING`.execute(ex);
  await sql`DELETE FROM contact_company WHERE workspace_id = ${workspaceId} AND company_id = ANY(${fromIds}::uuid[])`.execute(ex);
  await sql`UPDATE company SET parent_id = ${toId} WHERE workspace_id = ${workspaceId} AND parent_id = ANY(${fromIds}::uuid[]) AND id <> ${toId}`.execute(ex);
  await sql`UPDATE lead SET converted_company_id = ${toId} WHERE workspace_id = ${workspaceId} AND converted_company_id = ANY(${fromIds}::uuid[])`.execute(ex);
}

const at = (column: string) => sql.ref(`r.${column}`);

export const COMPANY_DEF: ObjectDef = {
  object: 'company',
  title: sql<string>`r.name`,
  subtitle: sql<string | null>`coalesce(r.industry, r.inn, r.legal_name)`,
  fields: [
    nameField('r.name'),
    { key: 'legalName', kind: 'text', column: 'r.legal_name' },
    { key: 'kind', kind: 'select', column: 'r.kind', options: COMPANY_KINDS, sort: { expr: at('kind') }, bulkColumn: 'kind' },
    { key: 'status', kind: 'select', column: 'r.status', options: COMPANY_STATUSES, sort: { expr: at('status') }, bulkColumn: 'status' },
    { key: 'industry', kind: 'text', column: 'r.industry', bulkColumn: 'industry' },
    { key: 'inn', kind: 'text', column: 'r.inn' },
    { key: 'kpp', kind: 'text', column: 'r.kpp' },
    { key: 'ogrn', kind: 'text', column: 'r.ogrn' },
    { key: 'vat', kind: 'text', column: 'r.vat' },
    { key: 'website', kind: 'url', column: 'r.website' },
    { key: 'actualAddress', kind: 'text', column: 'r.actual_address' },
    { key: 'phone', kind: 'phone', column: { expr: sql`r.search_phones`, array: true } },
    { key: 'email', kind: 'email', column: { expr: sql`r.search_emails`, array: true } },
    { key: 'parentId', kind: 'relation', column: 'r.parent_id', target: 'company' },
    { key: 'ownerId', kind: 'user', column: 'r.owner_id' },
    { key: 'teamId', kind: 'relation', column: 'r.team_id', target: 'team' },
    { key: 'tags', kind: 'text', column: { expr: sql`r.tags`, array: true } },
    { key: 'createdAt', kind: 'datetime', column: 'r.created_at', sort: timestampSort('created_at') },
    { key: 'updatedAt', kind: 'datetime', column: 'r.updated_at', sort: timestampSort('updated_at') },
    LAST_ACTIVITY_FIELD,
  ],
};
