import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../infra/db.js';
import type { WebFormSubmissionTable, WebFormTable } from '../../infra/db-schema.js';

export type WebFormRow = Selectable<WebFormTable>;

/** Live forms in name order, each with how many submissions it has taken. */
export async function listWebForms(ex: Executor, workspaceId: string) {
  return ex
    .selectFrom('web_form as f')
    .selectAll('f')
    .select((eb) =>
      eb
        .selectFrom('web_form_submission as s')
        .select(eb.fn.countAll<string>().as('c'))
        .whereRef('s.workspace_id', '=', 'f.workspace_id')
        .whereRef('s.form_id', '=', 'f.id')
        .as('submission_count'),
    )
    .where('f.workspace_id', '=', workspaceId)
    .where('f.deleted_at', 'is', null)
    .orderBy('f.name')
    .orderBy('f.id')
    .execute();
}

export async function findWebForm(ex: Executor, workspaceId: string, id: string, forUpdate = false): Promise<WebFormRow | undefined> {
  let query = ex.selectFrom('web_form').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', 'is', null);
  if (forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** A form by its id alone, as the public endpoint knows it; locked when a submission is about to use its rotation. */
export async function findWebFormById(ex: Executor, id: string, forUpdate = false): Promise<WebFormRow | undefined> {
  let query = ex.selectFrom('web_form').selectAll().where('id', '=', id).where('deleted_at', 'is', null);
  if (forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function countSubmissions(ex: Executor, workspaceId: string, formId: string): Promise<number> {
  const row = await ex.selectFrom('web_form_submission').select((eb) => eb.fn.countAll<string>().as('c')).where('workspace_id', '=', workspaceId).where('form_id', '=', formId).executeTakeFirstOrThrow();
  return Number(row.c);
}

export async function insertWebForm(ex: Executor, row: Insertable<WebFormTable>): Promise<WebFormRow> {
  return ex.insertInto('web_form').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Optimistic update: nothing changes (and undefined comes back) unless the version still matches. */
export async function updateWebForm(ex: Executor, workspaceId: string, id: string, version: number, patch: Updateable<WebFormTable>, by: string): Promise<WebFormRow | undefined> {
  return ex
    .updateTable('web_form')
    .set({ ...patch, updated_by: by, updated_at: new Date(), version: (eb) => eb('version', '+', 1) })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export async function setLastAssignee(ex: Executor, workspaceId: string, id: string, userId: string): Promise<void> {
  await ex.updateTable('web_form').set({ last_assignee_id: userId }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Active members of a team, in a stable order (the round-robin's circle), with their open leads (least-loaded's measure). */
export async function teamMembersWithLoad(ex: Executor, workspaceId: string, teamId: string) {
  const rows = await ex
    .selectFrom('app_user as u')
    .select(['u.id', 'u.team_id', 'u.locale'])
    .select((eb) =>
      eb
        .selectFrom('lead as l')
        .select(eb.fn.countAll<string>().as('c'))
        .whereRef('l.workspace_id', '=', 'u.workspace_id')
        .whereRef('l.owner_id', '=', 'u.id')
        .where('l.deleted_at', 'is', null)
        .where('l.status', 'in', ['new', 'in_work'])
        .as('open_leads'),
    )
    .where('u.workspace_id', '=', workspaceId)
    .where('u.team_id', '=', teamId)
    .where('u.status', '=', 'active')
    .where('u.deleted_at', 'is', null)
    .orderBy('u.id')
    .execute();
  return rows.map((row) => ({ id: row.id, teamId: row.team_id, locale: row.locale, openLeads: Number(row.open_leads ?? 0) }));
}

export async function activeUser(ex: Executor, workspaceId: string, id: string) {
  return ex
    .selectFrom('app_user')
    .select(['id', 'team_id', 'locale', 'name'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', '=', 'active')
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function insertSubmission(ex: Executor, row: Insertable<WebFormSubmissionTable>): Promise<void> {
  await ex.insertInto('web_form_submission').values(row).execute();
}

/** One page of a form's submissions, newest first, with the names of the lead, contact and owner they led to. */
export async function listSubmissions(ex: Executor, workspaceId: string, formId: string, after: [string, string] | undefined, limit: number) {
  let query = ex
    .selectFrom('web_form_submission as s')
    .leftJoin('lead as l', (join) => join.onRef('l.workspace_id', '=', 's.workspace_id').onRef('l.id', '=', 's.lead_id'))
    .leftJoin('contact as c', (join) => join.onRef('c.workspace_id', '=', 's.workspace_id').onRef('c.id', '=', 's.matched_contact_id'))
    .leftJoin('deal as d', (join) => join.onRef('d.workspace_id', '=', 's.workspace_id').onRef('d.id', '=', 's.deal_id'))
    .leftJoin('app_user as u', (join) => join.onRef('u.workspace_id', '=', 's.workspace_id').onRef('u.id', '=', 's.owner_id'))
    .select(['s.id', 's.created_at', 's.lead_id', 's.matched_contact_id', 's.owner_id', 's.utm', 's.referrer', 's.page_url', 's.deal_id', 'd.title as deal_title', 'l.name as lead_name', 'c.full_name as contact_name', 'u.name as owner_name'])
    .select(sql<string>`to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('at_key'))
    .where('s.workspace_id', '=', workspaceId)
    .where('s.form_id', '=', formId);
  if (after) {
    const key = sql<Date>`${after[0]}::timestamptz`;
    query = query.where((eb) => eb.or([eb('s.created_at', '<', key), eb.and([eb('s.created_at', '=', key), eb('s.id', '<', after[1])])]));
  }
  return query.orderBy('s.created_at', 'desc').orderBy('s.id', 'desc').limit(limit + 1).execute();
}
