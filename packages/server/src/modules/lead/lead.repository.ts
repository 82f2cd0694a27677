import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import { LEAD_SOURCES, LEAD_STATUSES } from '@rapport/shared';
import { LAST_ACTIVITY_FIELD, nameField, timestampSort, type ObjectDef } from '../client-record/client-record.repository.js';
import type { Executor } from '../../infra/db.js';
import type { LeadTable } from '../../infra/db-schema.js';

export async function insertLead(ex: Executor, row: Insertable<LeadTable>): Promise<void> {
  await ex.insertInto('lead').values(row).execute();
}

export async function findLeadRow(ex: Executor, workspaceId: string, id: string) {
  return ex.selectFrom('lead').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export async function updateLeadRow(ex: Executor, workspaceId: string, id: string, version: number, patch: Updateable<LeadTable>) {
  return ex
    .updateTable('lead')
    .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}


export const LEAD_DEF: ObjectDef = {
  object: 'lead',
  title: sql<string>`r.name`,
  subtitle: sql<string | null>`r.company_name`,
  fields: [
    nameField('r.name'),
    { key: 'companyName', kind: 'text', column: 'r.company_name' },
    { key: 'position', kind: 'text', column: 'r.position' },
    { key: 'phone', kind: 'phone', column: { expr: sql`r.search_phones`, array: true } },
    { key: 'email', kind: 'email', column: { expr: sql`r.search_emails`, array: true } },
    { key: 'source', kind: 'select', column: 'r.source', options: LEAD_SOURCES, sort: { expr: sql`r.source` }, bulkColumn: 'source' },
    { key: 'status', kind: 'select', column: 'r.status', options: LEAD_STATUSES, sort: { expr: sql`r.status` }, bulkColumn: 'status' },
    { key: 'ownerId', kind: 'user', column: 'r.owner_id' },
    { key: 'teamId', kind: 'relation', column: 'r.team_id', target: 'team' },
    { key: 'tags', kind: 'text', column: { expr: sql`r.tags`, array: true } },
    { key: 'convertedAt', kind: 'datetime', column: 'r.converted_at' },
    { key: 'createdAt', kind: 'datetime', column: 'r.created_at', sort: timestampSort('created_at') },
    { key: 'updatedAt', kind: 'datetime', column: 'r.updated_at', sort: timestampSort('updated_at') },
    LAST_ACTIVITY_FIELD,
  ],
};
