import type { ClientObject, CustomField, FieldKind, Filter, RelationTarget } from '@rapport/shared';
import { sql, type RawBuilder, type Selectable, type SqlBool } from 'kysely';
import type { AccessScope } from '../../core/access-scope.js';
import type { Executor } from '../../infra/db.js';
import type { ClientRecordColumns } from '../../infra/db-schema.js';
import { filterExpression, type FilterColumn, type FilterColumns } from '../../infra/filter-sql.js';

/** Columns every client table shares, plus whatever else the table has (read by the object's own service). */
export type ClientRow = Selectable<ClientRecordColumns> & Record<string, unknown>;

/** One system field of an object: how it is filtered, sorted and bulk-edited. */
export interface SystemField {
  key: string;
  kind: FieldKind;
  column: FilterColumn;
  options?: readonly string[];
  /** Sortable fields name a non-null SQL expression and the cursor part it yields. */
  sort?: FieldSort;
  /** Bulk "set field" writes this column. */
  bulkColumn?: string;
  /** What a relation field's id points to. */
  target?: RelationTarget;
}

/**
 * How a list orders by a field. Text orderings serve as their own cursor; others (timestamps, so an index can serve the
 * order) name the cursor's text of a row and how to read it back.
 */
export interface FieldSort {
  expr: RawBuilder<unknown>;
  cursorText?: RawBuilder<string>;
  fromCursor?: (value: string) => RawBuilder<unknown>;
}

/** What the generic record machinery needs to know about an object. */
export interface ObjectDef {
  object: ClientObject;
  fields: SystemField[];
  /** SQL (over alias `r`) for the title and subtitle shown in search, duplicates and the recycle bin. */
  title: RawBuilder<string>;
  subtitle: RawBuilder<string | null>;
}

/**
 * When someone last interacted with the record: its latest call, meeting, e-mail, SMS or note (kept by
 * 0003_activities.sql). Sorting ascending puts records nobody ever contacted first, then the longest neglected.
 */
export const LAST_ACTIVITY_FIELD: SystemField = {
  key: 'lastActivityAt',
  kind: 'datetime',
  column: 'r.last_activity_at',
  // Never-contacted records order by when they were created, so they age from then (the rotation list's order, and
  // what 0003's coalesce indexes serve).
  sort: timestampExprSort(sql`coalesce(r.last_activity_at, r.created_at)`),
};

/** Ordering by a timestamp itself (an index serves the page); the cursor keeps the time as text, microseconds kept. */
function timestampExprSort(expr: RawBuilder<unknown>): FieldSort {
  return {
    expr,
    cursorText: sql<string>`to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`,
    fromCursor: (value) => sql`(${value}::timestamp AT TIME ZONE 'UTC')`,
  };
}

export const timestampSort = (column: string): FieldSort => timestampExprSort(sql.ref(`r.${column}`));

/**
 * A record's name field over its name column: sorted, and matched by "contains", through the lower-cased `name_key`
 * the database keeps beside it (0047_name_keys.sql); equality and the rest compare the name as written.
 */
export const nameField = (column: string): SystemField => ({ key: 'name', kind: 'text', column: { expr: sql.ref(column), folded: NAME_KEY }, sort: { expr: NAME_KEY } });
const NAME_KEY = sql`r.name_key`;

/**
 * Whether a list is "name contains …" alone, in name order, over every record (scope `all`): the one list whose page
 * the name index can answer by itself (`pageByNameWalk`).
 */
export function nameWalkable(p: ListParams): boolean {
  if (p.scope.kind !== 'all' || (p.q !== undefined && p.q.trim() !== '') || p.filter === undefined || !('field' in p.filter)) return false;
  const column = p.columns[p.filter.field];
  return p.filter.op === 'contains' && typeof column === 'object' && column.folded === NAME_KEY && p.sort.expr === NAME_KEY;
}

/**
 * Where the name order's second alphabet starts: in code-point order (and the usual collations) every name that begins
 * in Cyrillic sorts after every Latin one. A fragment holding such a letter (`LATE_LETTER`) matches early names only
 * when they hold one too; 0048_name_late_letters.sql indexes those few names (`LATE_NAMES_EARLY`), so such a list walks
 * them and then the name index from `LATE_START` on, not the Latin names before it. Any collation gives the right
 * rows: the two parts are split by the same comparison the index is built on; only the speed rests on the order.
 */
const LATE_START = sql.lit('а');
const LATE_LETTER = /[\u0430-\u{10ffff}]/u;
const LATE_NAMES_EARLY = sql<SqlBool>`r.name_key < ${LATE_START} AND regexp_like(r.name_key, ${sql.lit(String.raw`[^\x01-\u042f]`)})`;

/**
 * The page of a `nameWalkable` list read from the name index alone: its next `span` entries in list order, kept when
 * their name holds the fragment. A fragment many names share fills the page within a few thousand entries without
 * reading the table; `undefined` when the span held less than a page (a rare fragment), and the caller reads the
 * matches themselves. A fragment with a late letter walks from where such names start, after the early names that
 * hold one (`LATE_START`).
 */
export async function pageByNameWalk(ex: Executor, p: ListParams, span: number): Promise<string[] | undefined> {
  const table = sql.table(TABLE_OF[p.object]);
  const { keyset, orderBy } = pageOrder(p);
  const matches = p.filter ? filterExpression(p.filter, p.columns) : sql<SqlBool>`true`;
  // The fragment is matched outside the bounded index read: inside, the planner would take the trigram index and the
  // table instead (OFFSET 0 keeps it outside where no LIMIT does).
  const walk = (from: RawBuilder<SqlBool>, bound: RawBuilder<unknown>) => sql`
    SELECT r.id, r.name_key FROM (
      SELECT r.id, r.name_key FROM ${table} r WHERE r.workspace_id = ${p.workspaceId} AND r.deleted_at IS NULL AND ${from} ${keyset} ${orderBy} ${bound}
    ) r
    WHERE ${matches} ${orderBy} LIMIT ${p.limit + 1}`;
  const walkSpan = sql`LIMIT ${span}`;
  const fragment = p.filter && 'field' in p.filter ? String(p.filter.value) : '';
  const query =
    !p.sort.desc && LATE_LETTER.test(fragment.toLowerCase())
      ? sql<{ id: string }>`
          SELECT r.id FROM ((${walk(LATE_NAMES_EARLY, sql`OFFSET 0`)}) UNION ALL (${walk(sql<SqlBool>`r.name_key >= ${LATE_START}`, walkSpan)})) r
          ${orderBy} LIMIT ${p.limit + 1}`
      : sql<{ id: string }>`${walk(sql<SqlBool>`true`, walkSpan)}`;
  const result = await query.execute(ex);
  return result.rows.length > p.limit ? result.rows.map((row) => row.id) : undefined;
}

/**
 * How a list sorts by a custom field: a non-null text that orders like the value (keyset cursors compare text),
 * empty values first. Numbers get a sign digit and zero padding; references and multi-selects do not sort.
 */
export function customSort(field: CustomField): RawBuilder<unknown> | undefined {
  const value = sql`r.custom->>${field.key}`;
  switch (field.kind) {
    case 'number':
    case 'money': {
      const n = sql`(${value})::numeric`;
      return sql`coalesce(CASE WHEN ${n} < 0 THEN '0' || to_char(1e15 + ${n}, 'FM0000000000000000.000000') ELSE '1' || to_char(${n}, 'FM0000000000000000.000000') END, '')`;
    }
    case 'date':
      return sql`coalesce((${value})::date::text, '')`;
    case 'datetime':
      return sql`coalesce(to_char((${value})::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), '')`;
    case 'user':
    case 'relation':
    case 'multiselect':
      return undefined;
    default:
      return sql`coalesce(lower(${value}), '')`;
  }
}

/** What a custom field's filter reads: its jsonb value cast to the field's type. */
export function customColumn(field: CustomField): FilterColumn {
  const value = sql`r.custom->>${field.key}`;
  switch (field.kind) {
    case 'number':
    case 'money':
      return { expr: sql`(${value})::numeric` };
    case 'date':
      return { expr: sql`(${value})::date` };
    case 'datetime':
      return { expr: sql`(${value})::timestamptz` };
    case 'boolean':
      return { expr: sql`(${value})::boolean` };
    case 'user':
    case 'relation':
      return { expr: sql`(${value})::uuid` };
    case 'multiselect':
      return { expr: sql`r.custom->${field.key}`, jsonArray: true };
    default:
      return { expr: value };
  }
}

export const TABLE_OF: Record<ClientObject, 'company' | 'contact' | 'lead' | 'deal'> = { company: 'company', contact: 'contact', lead: 'lead', deal: 'deal' };

/** The AccessScope as SQL over a table's owner_id / team_id: the one place record visibility is decided. */
export function scopePredicate(scope: AccessScope, alias = 'r'): RawBuilder<SqlBool> {
  const owner = sql.ref(`${alias}.owner_id`);
  const team = sql.ref(`${alias}.team_id`);
  if (scope.kind === 'all') return sql<SqlBool>`true`;
  if (scope.kind === 'own' || scope.teamIds.length === 0) return sql<SqlBool>`${owner} = ${scope.userId}`;
  return sql<SqlBool>`(${owner} = ${scope.userId} OR ${team} = ANY(${scope.teamIds}::uuid[]))`;
}

export interface SortSpec extends FieldSort {
  desc: boolean;
}

export interface ListParams {
  object: ClientObject;
  workspaceId: string;
  scope: AccessScope;
  filter: Filter | undefined;
  columns: FilterColumns;
  q: string | undefined;
  sort: SortSpec;
  after: [string, string] | undefined;
  limit: number;
}

/** The visible, live, matching records of a list (over alias `r`): scope, quick text and filter. */
export function whereOf(p: Omit<ListParams, 'sort' | 'after' | 'limit'>): RawBuilder<SqlBool> {
  const parts: RawBuilder<SqlBool>[] = [sql<SqlBool>`r.workspace_id = ${p.workspaceId}`, sql<SqlBool>`r.deleted_at IS NULL`, scopePredicate(p.scope)];
  if (p.q && p.q.trim() !== '') parts.push(sql<SqlBool>`r.search_name LIKE ${`%${p.q.trim().toLowerCase().replace(/[%_\\]/g, '\\$&')}%`}`);
  if (p.filter) parts.push(filterExpression(p.filter, p.columns));
  return sql.join(parts, sql` AND `) as RawBuilder<SqlBool>;
}

/** The ORDER BY of a keyset list, its cursor key, and the keyset condition after `p.after`. */
function pageOrder(p: ListParams) {
  const direction = p.sort.desc ? sql`DESC` : sql`ASC`;
  const comparator = p.sort.desc ? sql`<` : sql`>`;
  const order = p.sort.cursorText ? p.sort.expr : sql`${p.sort.expr}::text`;
  const key = p.sort.cursorText ?? order;
  const bound = p.after ? (p.sort.fromCursor?.(p.after[0]) ?? p.after[0]) : undefined;
  const keyset = p.after ? sql<SqlBool>`AND (${order}, r.id) ${comparator} (${bound}, ${p.after[1]}::uuid)` : sql``;
  return { key, keyset, orderBy: sql`ORDER BY ${order} ${direction}, r.id ${direction}` };
}

/** One keyset page: `limit + 1` rows ordered by the sort expression and id. */
export async function listRecords(ex: Executor, p: ListParams): Promise<(ClientRow & { sort_key: string })[]> {
  const table = sql.table(TABLE_OF[p.object]);
  const { key, keyset, orderBy } = pageOrder(p);
  const result = await sql<ClientRow & { sort_key: string }>`
    SELECT r.*, ${key} AS sort_key FROM ${table} r
    WHERE ${whereOf(p)} ${keyset}
    ${orderBy}
    LIMIT ${p.limit + 1}`.execute(ex);
  return result.rows;
}

/**
 * The ids of the first `limit + 1` matches in list order, read narrow: one scan answers both a small list's count (the
 * number of ids) and its page (the first ids), where a page query and a count query would each read every match.
 */
export async function listRankedIds(ex: Executor, p: ListParams): Promise<string[]> {
  const table = sql.table(TABLE_OF[p.object]);
  const { keyset, orderBy } = pageOrder(p);
  const result = await sql<{ id: string }>`SELECT r.id FROM ${table} r WHERE ${whereOf(p)} ${keyset} ${orderBy} LIMIT ${p.limit + 1}`.execute(ex);
  return result.rows.map((row) => row.id);
}

/** Rows by id with their sort key, in the order of `ids`. */
export async function recordsInOrder(ex: Executor, p: ListParams, ids: string[]): Promise<(ClientRow & { sort_key: string })[]> {
  if (ids.length === 0) return [];
  const table = sql.table(TABLE_OF[p.object]);
  const { key } = pageOrder(p);
  const result = await sql<ClientRow & { sort_key: string }>`
    SELECT r.*, ${key} AS sort_key FROM ${table} r WHERE r.workspace_id = ${p.workspaceId} AND r.id = ANY(${ids}::uuid[]) AND r.deleted_at IS NULL`.execute(ex);
  const byId = new Map(result.rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Ids of up to `cap + 1` matching rows, in id order. */
export async function listIds(ex: Executor, p: Omit<ListParams, 'sort' | 'after' | 'limit'>, cap: number): Promise<string[]> {
  const table = sql.table(TABLE_OF[p.object]);
  const result = await sql<{ id: string }>`SELECT r.id FROM ${table} r WHERE ${whereOf(p)} ORDER BY r.id LIMIT ${cap + 1}`.execute(ex);
  return result.rows.map((row) => row.id);
}

/** Counts at most `cap + 1` rows: exact for ordinary lists, "cap+" for very large ones, never a full scan of millions. */
export async function countRecords(ex: Executor, p: Omit<ListParams, 'sort' | 'after' | 'limit'>, cap: number): Promise<number> {
  const table = sql.table(TABLE_OF[p.object]);
  const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${table} r WHERE ${whereOf(p)} LIMIT ${cap + 1}) s`.execute(ex);
  return result.rows[0]?.n ?? 0;
}

/** The planner's estimate of a list's rows (nothing is read): whether counting them is worth it. */
export async function estimateRecords(ex: Executor, p: Omit<ListParams, 'sort' | 'after' | 'limit'>): Promise<number> {
  const table = sql.table(TABLE_OF[p.object]);
  const result = await sql<{ 'QUERY PLAN': unknown }>`EXPLAIN (FORMAT JSON) SELECT 1 FROM ${table} r WHERE ${whereOf(p)}`.execute(ex);
  const raw = result.rows[0]?.['QUERY PLAN'];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as [{ Plan: { 'Plan Rows': number } }] | undefined;
  return plan?.[0]?.Plan['Plan Rows'] ?? 0;
}

export async function findRecord(ex: Executor, object: ClientObject, workspaceId: string, id: string, options: { forUpdate?: boolean; withDeleted?: boolean } = {}): Promise<ClientRow | undefined> {
  const table = sql.table(TABLE_OF[object]);
  const deleted = options.withDeleted ? sql`` : sql`AND r.deleted_at IS NULL`;
  const lock = options.forUpdate ? sql`FOR UPDATE` : sql``;
  const result = await sql<ClientRow>`SELECT r.* FROM ${table} r WHERE r.workspace_id = ${workspaceId} AND r.id = ${id} ${deleted} ${lock}`.execute(ex);
  return result.rows[0];
}

/** Soft delete and restore: the row stays (recycle bin) and keeps its links. */
export async function setDeleted(ex: Executor, object: ClientObject, workspaceId: string, id: string, version: number, by: string | null, deleted: boolean, mergedInto: string | null = null): Promise<ClientRow | undefined> {
  const table = sql.table(TABLE_OF[object]);
  const result = await sql<ClientRow>`
    UPDATE ${table} SET deleted_at = ${deleted ? sql`now()` : null}, deleted_by = ${deleted ? by : null}, merged_into = ${mergedInto},
      updated_by = ${by}, updated_at = now(), version = version + 1
    WHERE workspace_id = ${workspaceId} AND id = ${id} AND version = ${version} AND (deleted_at IS NULL) = ${deleted}
    RETURNING *`.execute(ex);
  return result.rows[0];
}

/** Deleted records inside every given scope (the bin shows what the user may both read and delete). */
export async function listDeleted(ex: Executor, object: ClientObject, workspaceId: string, scopes: AccessScope[], after: [string, string] | undefined, limit: number) {
  const table = sql.table(TABLE_OF[object]);
  const keyset = after ? sql`AND (r.deleted_at, r.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``;
  const result = await sql<ClientRow & { deleted_by_name: string | null; at_key: string }>`
    SELECT r.*, u.name AS deleted_by_name, to_char(r.deleted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key
    FROM ${table} r LEFT JOIN app_user u ON u.workspace_id = r.workspace_id AND u.id = r.deleted_by
    WHERE r.workspace_id = ${workspaceId} AND r.deleted_at IS NOT NULL AND r.merged_into IS NULL AND ${sql.join(scopes.map((scope) => scopePredicate(scope)), sql` AND `)} ${keyset}
    ORDER BY r.deleted_at DESC, r.id DESC LIMIT ${limit + 1}`.execute(ex);
  return result.rows;
}

export async function setOwner(ex: Executor, object: ClientObject, workspaceId: string, id: string, ownerId: string, teamId: string | null, by: string): Promise<ClientRow | undefined> {
  const table = sql.table(TABLE_OF[object]);
  const result = await sql<ClientRow>`
    UPDATE ${table} SET owner_id = ${ownerId}, team_id = ${teamId}, updated_by = ${by}, updated_at = now(), version = version + 1
    WHERE workspace_id = ${workspaceId} AND id = ${id} AND deleted_at IS NULL RETURNING *`.execute(ex);
  return result.rows[0];
}

export async function setTags(ex: Executor, object: ClientObject, workspaceId: string, id: string, tags: string[], by: string): Promise<ClientRow | undefined> {
  const table = sql.table(TABLE_OF[object]);
  const result = await sql<ClientRow>`
    UPDATE ${table} SET tags = ${tags}::text[], updated_by = ${by}, updated_at = now(), version = version + 1
    WHERE workspace_id = ${workspaceId} AND id = ${id} AND deleted_at IS NULL RETURNING *`.execute(ex);
  return result.rows[0];
}

export async function userNames(ex: Executor, workspaceId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await ex.selectFrom('app_user').select(['id', 'name']).where('workspace_id', '=', workspaceId).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Search within one table: phones, e-mails and tax numbers exactly; names by word forms (tsvector) and by trigram word similarity (typos). */
/** Likely duplicates of a draft: shared phone, e-mail or tax number, or a very similar name (optionally within given companies). */
export async function duplicateRows(
  ex: Executor,
  object: ClientObject,
  p: { workspaceId: string; scope: AccessScope; name: string | null; phones: string[]; emails: string[]; taxIds: string[]; companyIds: string[] | null; excludeId: string | null; title: RawBuilder<string>; subtitle: RawBuilder<string | null> },
) {
  const table = sql.table(TABLE_OF[object]);
  const nameMatch =
    p.name === null
      ? sql<SqlBool>`false`
      : p.companyIds === null
        ? sql<SqlBool>`similarity(r.search_name, ${p.name}) >= 0.6`
        : p.companyIds.length === 0
          ? sql<SqlBool>`false`
          : sql<SqlBool>`(similarity(r.search_name, ${p.name}) >= 0.5 AND EXISTS (SELECT 1 FROM contact_company cc WHERE cc.workspace_id = r.workspace_id AND cc.contact_id = r.id AND cc.company_id = ANY(${p.companyIds}::uuid[])))`;
  // Only the draft's own values are matched: an arm over an empty list matches nothing, and one arm without an index
  // (a contact has no tax numbers) turns the whole OR into a scan of every record.
  const arms = [
    ...(p.phones.length > 0 ? [sql<SqlBool>`r.search_phones && ${p.phones}::text[]`] : []),
    ...(p.emails.length > 0 ? [sql<SqlBool>`r.search_emails && ${p.emails}::text[]`] : []),
    ...(p.taxIds.length > 0 ? [sql<SqlBool>`r.search_tax_ids && ${p.taxIds}::text[]`] : []),
    ...(p.name === null || (p.companyIds !== null && p.companyIds.length === 0) ? [] : [nameMatch]),
  ];
  if (arms.length === 0) return [];
  // The matches are found first, then ordered: with the LIMIT beside them the planner (which cannot estimate how few
  // records share a phone or e-mail) walked the whole table in update order looking for them — seconds on 300k contacts.
  const result = await sql<{ id: string; title: string; subtitle: string | null; by_phone: boolean; by_email: boolean; by_tax: boolean; by_name: boolean }>`
    WITH r AS MATERIALIZED (
      SELECT r.* FROM ${table} r
      WHERE r.workspace_id = ${p.workspaceId} AND r.deleted_at IS NULL AND ${scopePredicate(p.scope)}
        AND (${p.excludeId}::uuid IS NULL OR r.id <> ${p.excludeId}::uuid)
        AND (${sql.join(arms, sql` OR `)})
    )
    SELECT r.id, ${p.title} AS title, ${p.subtitle} AS subtitle,
      r.search_phones && ${p.phones}::text[] AS by_phone,
      r.search_emails && ${p.emails}::text[] AS by_email,
      r.search_tax_ids && ${p.taxIds}::text[] AS by_tax,
      ${nameMatch} AS by_name
    FROM r
    ORDER BY r.updated_at DESC LIMIT 20`.execute(ex);
  return result.rows;
}

/**
 * Undeleted records in scope holding any of the phones, e-mails or tax numbers, newest change first. Each value is
 * looked up on its own (LATERAL, one GIN probe each): with all of a 500-row import batch's values in one `&&`, the
 * planner, which knows nothing of how rare a phone is, expected most of the table and scanned it (7.5 s per batch on
 * a million contacts).
 */
export async function keyMatches(ex: Executor, object: ClientObject, p: { workspaceId: string; scope: AccessScope; phones: string[]; emails: string[]; taxIds: string[] }) {
  const table = sql.table(TABLE_OF[object]);
  const taxIds = object === 'company' ? sql`r.search_tax_ids` : sql`'{}'::text[]`;
  const keys = [
    ['search_phones', p.phones],
    ['search_emails', p.emails],
    ['search_tax_ids', object === 'company' ? p.taxIds : []],
  ] as const;
  const arms = keys.flatMap(([column, values]) =>
    values.length === 0
      ? []
      : [
          sql`SELECT r.* FROM unnest(${values}::text[]) AS k(v) CROSS JOIN LATERAL (
            SELECT r.id, r.updated_at, r.search_phones, r.search_emails, ${taxIds} AS search_tax_ids FROM ${table} r
            WHERE r.workspace_id = ${p.workspaceId} AND r.deleted_at IS NULL AND ${scopePredicate(p.scope)} AND ${sql.ref(`r.${column}`)} @> ARRAY[k.v]) r`,
        ],
  );
  if (arms.length === 0) return [];
  const result = await sql<{ id: string; search_phones: string[]; search_emails: string[]; search_tax_ids: string[] }>`
    SELECT DISTINCT ON (m.updated_at, m.id) m.id, m.search_phones, m.search_emails, m.search_tax_ids
    FROM (${sql.join(arms, sql` UNION ALL `)}) m
    ORDER BY m.updated_at DESC, m.id DESC`.execute(ex);
  return result.rows;
}

export async function insertAlias(ex: Executor, workspaceId: string, object: ClientObject, aliasId: string, recordId: string): Promise<void> {
  // Earlier merges into the alias now point at the new survivor too.
  await sql`UPDATE record_alias SET record_id = ${recordId} WHERE workspace_id = ${workspaceId} AND object_type = ${object} AND record_id = ${aliasId}`.execute(ex);
  await ex.insertInto('record_alias').values({ workspace_id: workspaceId, object_type: object, alias_id: aliasId, record_id: recordId }).onConflict((oc) => oc.doNothing()).execute();
}

export async function aliasesOf(ex: Executor, workspaceId: string, object: ClientObject, recordId: string): Promise<string[]> {
  const rows = await ex.selectFrom('record_alias').select('alias_id').where('workspace_id', '=', workspaceId).where('object_type', '=', object).where('record_id', '=', recordId).execute();
  return rows.map((row) => row.alias_id);
}

export async function resolveAlias(ex: Executor, workspaceId: string, object: ClientObject, id: string): Promise<string | undefined> {
  const row = await ex.selectFrom('record_alias').select('record_id').where('workspace_id', '=', workspaceId).where('object_type', '=', object).where('alias_id', '=', id).executeTakeFirst();
  return row?.record_id;
}

/** Moves timeline entries (notes, later calls and meetings) from merged records to the survivor. */
export async function moveActivityLinks(ex: Executor, workspaceId: string, object: ClientObject, fromIds: string[], toId: string): Promise<void> {
  await sql`
    INSERT INTO activity_link (workspace_id, activity_id, subject_type, subject_id, occurred_at)
    SELECT workspace_id, activity_id, subject_type, ${toId}, occurred_at FROM activity_link
    WHERE workspace_id = ${workspaceId} AND subject_type = ${object} AND subject_id = ANY(${fromIds}::uuid[])
    ON CONFLICT DO NOTHING`.execute(ex);
  await sql`DELETE FROM activity_link WHERE workspace_id = ${workspaceId} AND subject_type = ${object} AND subject_id = ANY(${fromIds}::uuid[])`.execute(ex);
}

/** Gives another record the same timeline entries (a converted lead's notes appear on its contact and company). */
export async function copyActivityLinks(ex: Executor, workspaceId: string, fromObject: ClientObject, fromId: string, toObject: ClientObject, toId: string): Promise<void> {
  await sql`
    INSERT INTO activity_link (workspace_id, activity_id, subject_type, subject_id, occurred_at)
    SELECT workspace_id, activity_id, ${toObject}, ${toId}, occurred_at FROM activity_link
    WHERE workspace_id = ${workspaceId} AND subject_type = ${fromObject} AND subject_id = ${fromId}
    ON CONFLICT DO NOTHING`.execute(ex);
}
