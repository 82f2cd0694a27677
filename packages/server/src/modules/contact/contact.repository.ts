import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import { CONTACT_SOURCES } from '@rapport/shared';
import { LAST_ACTIVITY_FIELD, nameField, timestampSort, type ObjectDef } from '../client-record/client-record.repository.js';
import type { Executor } from '../../infra/db.js';
import type { ContactTable } from '../../infra/db-schema.js';

/** New contacts, in one statement. */
export async function insertContacts(ex: Executor, rows: Insertable<ContactTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await ex.insertInto('contact').values(rows).execute();
}

export async function findContactRow(ex: Executor, workspaceId: string, id: string) {
  return ex.selectFrom('contact').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export async function updateContactRow(ex: Executor, workspaceId: string, id: string, version: number, patch: Updateable<ContactTable>) {
  return ex
    .updateTable('contact')
    .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export interface LinkRow {
  contact_id: string;
  company_id: string;
  company_name: string;
  role: string | null;
  is_primary: boolean;
}

/** The companies of these contacts (deleted companies left out), primary first. */
export async function linksOf(ex: Executor, workspaceId: string, contactIds: string[]): Promise<LinkRow[]> {
  if (contactIds.length === 0) return [];
  return ex
    .selectFrom('contact_company as cc')
    .innerJoin('company as c', (join) => join.onRef('c.workspace_id', '=', 'cc.workspace_id').onRef('c.id', '=', 'cc.company_id'))
    .select(['cc.contact_id', 'cc.company_id', 'c.name as company_name', 'cc.role', 'cc.is_primary'])
    .where('cc.workspace_id', '=', workspaceId)
    .where('cc.contact_id', 'in', contactIds)
    .where('c.deleted_at', 'is', null)
    .orderBy('cc.is_primary', 'desc')
    .orderBy('c.name')
    .execute();
}

export async function replaceLinks(ex: Executor, workspaceId: string, contactId: string, links: { companyId: string; role: string | null; isPrimary: boolean }[]): Promise<void> {
  await ex.deleteFrom('contact_company').where('workspace_id', '=', workspaceId).where('contact_id', '=', contactId).execute();
  await insertLinks(ex, workspaceId, links.map((link) => ({ ...link, contactId })));
}

/** Company links of contacts, in one statement. */
export async function insertLinks(ex: Executor, workspaceId: string, links: { contactId: string; companyId: string; role: string | null; isPrimary: boolean }[]): Promise<void> {
  if (links.length === 0) return;
  await ex
    .insertInto('contact_company')
    .values(links.map((link) => ({ workspace_id: workspaceId, contact_id: link.contactId, company_id: link.companyId, role: link.role, is_primary: link.isPrimary })))
    .execute();
}

export async function addLink(ex: Executor, workspaceId: string, contactId: string, companyId: string, role: string | null): Promise<void> {
  await ex.insertInto('contact_company').values({ workspace_id: workspaceId, contact_id: contactId, company_id: companyId, role, is_primary: false }).onConflict((oc) => oc.doNothing()).execute();
}

export async function repointContact(ex: Executor, workspaceId: string, fromIds: string[], toId: string): Promise<void> {
  await sql`
    INSERT INTO contact_company (workspace_id, contact_id, company_id, role, is_primary, created_at)
    SELECT workspace_id, ${toId}, company_id, role, false, created_at FROM contact_company
    WHERE workspace_id = ${workspaceId} AND contact_id = ANY(${fromIds}::uuid[])
    ON CONFLICT DO NOTHING`.execute(ex);
  await sql`DELETE FROM contact_company WHERE workspace_id = ${workspaceId} AND contact_id = ANY(${fromIds}::uuid[])`.execute(ex);
  await sql`UPDATE lead SET converted_contact_id = ${toId} WHERE workspace_id = ${workspaceId} AND converted_contact_id = ANY(${fromIds}::uuid[])`.execute(ex);
}

/** A condition on the contact's companies: "company.industry = Retail" holds if any linked company matches. */
const viaCompany = (condition: unknown) =>
  sql<boolean>`EXISTS (SELECT 1 FROM contact_company cc JOIN company c ON c.workspace_id = cc.workspace_id AND c.id = cc.company_id AND c.deleted_at IS NULL
    WHERE cc.workspace_id = r.workspace_id AND cc.contact_id = r.id AND ${condition})`;

export const CONTACT_DEF: ObjectDef = {
  object: 'contact',
  title: sql<string>`r.full_name`,
  subtitle: sql<string | null>`coalesce(r.position, (SELECT c.name FROM contact_company cc JOIN company c ON c.workspace_id = cc.workspace_id AND c.id = cc.company_id WHERE cc.workspace_id = r.workspace_id AND cc.contact_id = r.id AND c.deleted_at IS NULL ORDER BY cc.is_primary DESC, c.name LIMIT 1))`,
  fields: [
    nameField('r.full_name'),
    { key: 'firstName', kind: 'text', column: 'r.first_name' },
    { key: 'lastName', kind: 'text', column: 'r.last_name' },
    { key: 'position', kind: 'text', column: 'r.position', bulkColumn: 'position' },
    { key: 'phone', kind: 'phone', column: { expr: sql`r.search_phones`, array: true } },
    { key: 'email', kind: 'email', column: { expr: sql`r.search_emails`, array: true } },
    { key: 'source', kind: 'select', column: 'r.source', options: CONTACT_SOURCES, bulkColumn: 'source' },
    { key: 'birthday', kind: 'date', column: 'r.birthday' },
    { key: 'emailOptIn', kind: 'boolean', column: 'r.email_opt_in', bulkColumn: 'email_opt_in' },
    { key: 'smsOptIn', kind: 'boolean', column: 'r.sms_opt_in', bulkColumn: 'sms_opt_in' },
    { key: 'companyId', kind: 'relation', column: { expr: sql`c.id`, exists: viaCompany }, target: 'company' },
    { key: 'company.name', kind: 'text', column: { expr: sql`c.name`, exists: viaCompany } },
    // Kept on the contact by triggers (migration 0009): an index serves it, where EXISTS per row cannot.
    { key: 'company.industry', kind: 'text', column: { expr: sql`r.company_industries`, array: true } },
    { key: 'company.kind', kind: 'select', options: ['prospect', 'customer', 'partner', 'competitor', 'supplier'], column: { expr: sql`c.kind`, exists: viaCompany } },
    { key: 'ownerId', kind: 'user', column: 'r.owner_id' },
    { key: 'teamId', kind: 'relation', column: 'r.team_id', target: 'team' },
    { key: 'tags', kind: 'text', column: { expr: sql`r.tags`, array: true } },
    { key: 'createdAt', kind: 'datetime', column: 'r.created_at', sort: timestampSort('created_at') },
    { key: 'updatedAt', kind: 'datetime', column: 'r.updated_at', sort: timestampSort('updated_at') },
    LAST_ACTIVITY_FIELD,
  ],
};
