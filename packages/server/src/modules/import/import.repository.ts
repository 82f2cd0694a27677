import type { ImportObject } from '@rapport/shared';
import { sql, type Insertable, type Updateable } from 'kysely';
import { executeRaw, type Executor } from '../../infra/db.js';
import type { ImportJobTable, ImportMappingTable } from '../../infra/db-schema.js';

export async function insertImport(ex: Executor, row: Insertable<ImportJobTable>): Promise<void> {
  await ex.insertInto('import_job').values(row).execute();
}

export function findImport(ex: Executor, workspaceId: string, id: string, options: { forUpdate?: boolean } = {}) {
  const query = ex.selectFrom('import_job').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id);
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}
export type ImportRow = NonNullable<Awaited<ReturnType<typeof findImport>>>;

/** A change the user made (settings, start): checked against and bumping `version`. */
export function updateImportVersioned(ex: Executor, workspaceId: string, id: string, version: number, patch: Updateable<ImportJobTable>) {
  return ex
    .updateTable('import_job')
    .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

/** The job's own progress: not an edit, so it leaves `version` alone. */
export async function setImportProgress(ex: Executor, workspaceId: string, id: string, patch: Updateable<ImportJobTable>): Promise<void> {
  await ex.updateTable('import_job').set({ ...patch, updated_at: sql`now()` }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export function listImports(ex: Executor, workspaceId: string, objects: ImportObject[], limit: number) {
  if (objects.length === 0) return Promise.resolve([]);
  return ex.selectFrom('import_job').selectAll().where('workspace_id', '=', workspaceId).where('object', 'in', objects).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Jobs a worker should (still) be running: after a restart they continue from their last committed batch. */
export function activeImports(ex: Executor) {
  return ex.selectFrom('import_job').select(['workspace_id', 'id']).where('status', 'in', ['queued', 'running']).execute();
}

/**
 * Marks records as the import's (a batch's new ones in one statement). A record written twice (an in-file duplicate)
 * keeps its first action and first `before`, and the newest version.
 */
export async function tagRecords(ex: Executor, rows: { workspaceId: string; importId: string; object: ImportObject; recordId: string; action: 'created' | 'updated'; rowNumber: number; before: Record<string, unknown> | null; versionAfter: number }[]): Promise<void> {
  if (rows.length === 0) return;
  await ex
    .insertInto('import_record')
    .values(rows.map((row) => ({ workspace_id: row.workspaceId, import_id: row.importId, object: row.object, record_id: row.recordId, action: row.action, row_number: row.rowNumber, before: row.before ? JSON.stringify(row.before) : null, version_after: row.versionAfter })))
    .onConflict((oc) => oc.columns(['workspace_id', 'import_id', 'object', 'record_id']).doUpdateSet({ version_after: (eb) => eb.ref('excluded.version_after') }))
    .execute();
}

export function importedRecords(ex: Executor, workspaceId: string, importId: string) {
  return ex.selectFrom('import_record').selectAll().where('workspace_id', '=', workspaceId).where('import_id', '=', importId).orderBy('row_number', 'desc').execute();
}

export async function insertRejected(ex: Executor, workspaceId: string, importId: string, rowNumber: number, cells: string[], reason: string): Promise<void> {
  await ex.insertInto('import_rejected_row').values({ workspace_id: workspaceId, import_id: importId, row_number: rowNumber, cells: JSON.stringify(cells), reason }).execute();
}

export function rejectedRows(ex: Executor, workspaceId: string, importId: string) {
  return ex.selectFrom('import_rejected_row').select(['row_number', 'cells', 'reason']).where('workspace_id', '=', workspaceId).where('import_id', '=', importId).orderBy('row_number').execute();
}

/** Rows of one file are all-or-nothing inside the batch's transaction. */
export async function savepoint(ex: Executor): Promise<void> {
  await executeRaw(ex, 'SAVEPOINT import_row', []);
}
export async function releaseSavepoint(ex: Executor): Promise<void> {
  await executeRaw(ex, 'RELEASE SAVEPOINT import_row', []);
}
export async function rollbackToSavepoint(ex: Executor): Promise<void> {
  await executeRaw(ex, 'ROLLBACK TO SAVEPOINT import_row', []);
}

/** Undeleted companies the rows of a batch may name, by any of the INNs or (lower-cased) names, oldest first. */
export async function companiesByInnsOrNames(ex: Executor, workspaceId: string, inns: string[], names: string[]) {
  if (inns.length === 0 && names.length === 0) return [];
  return ex
    .selectFrom('company')
    .select(['id', 'owner_id', 'team_id', 'inn', 'search_tax_ids', sql<string>`lower(name)`.as('lower_name')])
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([...(inns.length > 0 ? [eb('search_tax_ids', '&&', sql<string[]>`${inns}::text[]`)] : []), ...(names.length > 0 ? [eb(sql`lower(name)`, '=', sql<string>`ANY(${names}::text[])`)] : [])]))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Current version and deletion of records, including deleted ones (undo checks nothing changed since the import). */
export function recordStates(ex: Executor, object: ImportObject, workspaceId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return ex.selectFrom(object).select(['id', 'version', 'deleted_at']).where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
}

/**
 * Records among `ids` that something outside the import now points at (a deal, a converted lead, a timeline entry, a
 * task, a file, a sub-company, a person not made by this import): removing them would break that. A lead is pointed
 * at only by timeline entries, tasks and files (its conversion changes the lead itself); a deal also by its product lines.
 */
export async function referencedRecords(ex: Executor, object: ImportObject, workspaceId: string, ids: string[], importedContactIds: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const bySubject = (table: 'activity_link' | 'task' | 'attachment') =>
    ex.selectFrom(table).select('subject_id as id').where('workspace_id', '=', workspaceId).where('subject_type', '=', object).where('subject_id', 'in', ids);
  const contactIds = importedContactIds.length > 0 ? importedContactIds : ['00000000-0000-0000-0000-000000000000'];
  const rows =
    object === 'lead'
      ? await bySubject('activity_link').union(bySubject('task')).union(bySubject('attachment')).execute()
      : object === 'deal'
      ? await bySubject('activity_link')
          .union(bySubject('task'))
          .union(bySubject('attachment'))
          .union(ex.selectFrom('deal_item').select('deal_id as id').where('workspace_id', '=', workspaceId).where('deal_id', 'in', ids))
          .execute()
      : object === 'contact'
      ? await bySubject('activity_link')
          .union(bySubject('task'))
          .union(bySubject('attachment'))
          .union(ex.selectFrom('deal_contact').select('contact_id as id').where('workspace_id', '=', workspaceId).where('contact_id', 'in', ids))
          .union(ex.selectFrom('lead').select('converted_contact_id as id').where('workspace_id', '=', workspaceId).where('converted_contact_id', 'in', ids))
          .execute()
      : await bySubject('activity_link')
          .union(bySubject('task'))
          .union(bySubject('attachment'))
          .union(ex.selectFrom('deal').select('company_id as id').where('workspace_id', '=', workspaceId).where('company_id', 'in', ids))
          .union(ex.selectFrom('lead').select('converted_company_id as id').where('workspace_id', '=', workspaceId).where('converted_company_id', 'in', ids))
          .union(ex.selectFrom('company').select('parent_id as id').where('workspace_id', '=', workspaceId).where('parent_id', 'in', ids))
          .union(ex.selectFrom('contact_company').select('company_id as id').where('workspace_id', '=', workspaceId).where('company_id', 'in', ids).where('contact_id', 'not in', contactIds))
          .execute();
  return rows.map((row) => row.id).filter((id): id is string => id !== null);
}

/** Removes records an import created, with their company links (a deal's own rows): the base is as it was before the import. */
export async function purgeRecords(ex: Executor, object: ImportObject, workspaceId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  if (object === 'deal') {
    // A deal's own rows: its people, its stays in stages, the stage robots' record of what they did on entering.
    for (const table of ['robot_run', 'deal_stage_history', 'deal_contact'] as const) await ex.deleteFrom(table).where('workspace_id', '=', workspaceId).where('deal_id', 'in', ids).execute();
  } else if (object !== 'lead') await ex.deleteFrom('contact_company').where('workspace_id', '=', workspaceId).where(object === 'contact' ? 'contact_id' : 'company_id', 'in', ids).execute();
  await ex.deleteFrom(object).where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
}

export async function saveMapping(ex: Executor, row: Insertable<ImportMappingTable>): Promise<void> {
  await ex
    .insertInto('import_mapping')
    .values(row)
    .onConflict((oc) => oc.expression(sql`workspace_id, object, lower(name)`).doUpdateSet({ columns: (eb) => eb.ref('excluded.columns'), updated_at: sql`now()`, updated_by: (eb) => eb.ref('excluded.updated_by'), version: sql`import_mapping.version + 1` }))
    .execute();
}

export function listMappings(ex: Executor, workspaceId: string, object: ImportObject) {
  return ex.selectFrom('import_mapping').select(['id', 'object', 'name', 'columns']).where('workspace_id', '=', workspaceId).where('object', '=', object).orderBy('name').execute();
}
