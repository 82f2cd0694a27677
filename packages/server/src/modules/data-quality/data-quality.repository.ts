import type { DqObject, DqProblem } from '@rapport/shared';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { AccessScope } from '../../core/access-scope.js';
import type { Executor } from '../../infra/db.js';
import type { EmailValue, PhoneValue } from '../../infra/db-schema.js';
import { keyMatches, scopePredicate, TABLE_OF } from '../client-record/client-record.repository.js';

/** SQL of an object's display title and subtitle (over alias `r`), from its ObjectDef. */
export interface TitleSql {
  title: RawBuilder<string>;
  subtitle: RawBuilder<string | null>;
}

export interface DqRecordRow {
  id: string;
  title: string;
  subtitle: string | null;
  owner_id: string;
  owner_name: string | null;
  owner_active: boolean;
  phones: PhoneValue[];
  emails: EmailValue[];
  created_at: Date;
  version: number;
  at_key: string;
}

/**
 * The condition of a problem over alias `r`. The phone and e-mail ones are the predicates of 0039's partial indexes,
 * written the same way so the planner uses them; owners are "missing" when deactivated (a record always has one).
 */
function problemPredicate(problem: DqProblem, workspaceId: string): RawBuilder<SqlBool> {
  switch (problem) {
    case 'invalid_phones':
      return sql<SqlBool>`dq_bad_phones(r.phones)`;
    case 'invalid_emails':
      return sql<SqlBool>`dq_bad_emails(r.emails)`;
    case 'missing_owner':
      // ANY(ARRAY(…)) reads the few deactivated users first, then the owner index per user (a semi-join was planned as a
      // scan of the records when app_user's statistics were stale: 1 s against 2 ms on a million contacts).
      return sql<SqlBool>`r.owner_id = ANY(ARRAY(SELECT u.id FROM app_user u WHERE u.workspace_id = ${workspaceId} AND u.status = 'disabled'))`;
  }
}

const live = (workspaceId: string, scope: AccessScope, alias = 'r') =>
  sql<SqlBool>`${sql.ref(`${alias}.workspace_id`)} = ${workspaceId} AND ${sql.ref(`${alias}.deleted_at`)} IS NULL AND ${scopePredicate(scope, alias)}`;

/** Records with the problem, counted up to `cap + 1` (never the whole table). */
export async function countProblem(ex: Executor, object: DqObject, workspaceId: string, scope: AccessScope, problem: DqProblem, cap: number): Promise<number> {
  const table = sql.table(TABLE_OF[object]);
  const result = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM ${table} r WHERE ${live(workspaceId, scope)} AND ${problemPredicate(problem, workspaceId)} LIMIT ${cap + 1}) s`.execute(ex);
  return result.rows[0]?.n ?? 0;
}

function recordColumns(titles: TitleSql) {
  return sql`r.id, ${titles.title} AS title, ${titles.subtitle} AS subtitle, r.owner_id, u.name AS owner_name, coalesce(u.status <> 'disabled', false) AS owner_active,
    r.phones, r.emails, r.created_at, r.version, to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS at_key`;
}

/** A keyset page (`limit + 1` rows, oldest first) of the records with the problem. */
export async function listProblem(ex: Executor, object: DqObject, p: { workspaceId: string; scope: AccessScope; problem: DqProblem; titles: TitleSql; after: [string, string] | undefined; limit: number }): Promise<DqRecordRow[]> {
  const table = sql.table(TABLE_OF[object]);
  const keyset = p.after ? sql`AND (r.created_at, r.id) > (${p.after[0]}::timestamp AT TIME ZONE 'UTC', ${p.after[1]}::uuid)` : sql``;
  const result = await sql<DqRecordRow>`
    SELECT ${recordColumns(p.titles)}
    FROM ${table} r LEFT JOIN app_user u ON u.workspace_id = r.workspace_id AND u.id = r.owner_id
    WHERE ${live(p.workspaceId, p.scope)} AND ${problemPredicate(p.problem, p.workspaceId)} ${keyset}
    ORDER BY r.created_at, r.id LIMIT ${p.limit + 1}`.execute(ex);
  return result.rows;
}

/** Live records by id (for the pairs of review items). */
export async function recordsByIds(ex: Executor, object: DqObject, workspaceId: string, ids: string[], titles: TitleSql): Promise<DqRecordRow[]> {
  if (ids.length === 0) return [];
  const table = sql.table(TABLE_OF[object]);
  const result = await sql<DqRecordRow>`
    SELECT ${recordColumns(titles)}
    FROM ${table} r LEFT JOIN app_user u ON u.workspace_id = r.workspace_id AND u.id = r.owner_id
    WHERE r.workspace_id = ${workspaceId} AND r.id = ANY(${ids}::uuid[]) AND r.deleted_at IS NULL`.execute(ex);
  return result.rows;
}

export interface ReviewItemRow {
  id: string;
  object: DqObject;
  record_a: string;
  record_b: string;
  reasons: string[];
  source: 'import' | 'scan';
  import_id: string | null;
  status: 'open' | 'merged' | 'dismissed';
  created_at: Date;
  version: number;
  at_key: string;
}

export interface NewReviewItem {
  id: string;
  object: DqObject;
  recordA: string;
  recordB: string;
  reasons: string[];
  source: 'import' | 'scan';
  importId: string | null;
}

/** Stores pairs not seen before (a pair already there, open or dismissed, stays as it is); the number stored. */
export async function insertReviewItems(ex: Executor, workspaceId: string, by: string | null, items: NewReviewItem[]): Promise<number> {
  if (items.length === 0) return 0;
  const result = await sql<{ id: string }>`
    INSERT INTO data_review_item (workspace_id, id, object, record_a, record_b, reasons, source, import_id, created_by, updated_by)
    SELECT ${workspaceId}::uuid, x.id, x.object, x.record_a, x.record_b, x.reasons, x.source, x.import_id, ${by}::uuid, ${by}::uuid
    FROM jsonb_to_recordset(${JSON.stringify(items.map((item) => ({ id: item.id, object: item.object, record_a: item.recordA, record_b: item.recordB, reasons: item.reasons, source: item.source, import_id: item.importId })))}::jsonb)
      AS x (id uuid, object text, record_a uuid, record_b uuid, reasons text[], source text, import_id uuid)
    ON CONFLICT (workspace_id, object, record_a, record_b) DO NOTHING RETURNING id`.execute(ex);
  return result.rows.length;
}

/** Open items whose two records are both live and inside `scope` (the reader must be able to act on both). */
function openItems(object: DqObject, workspaceId: string, scope: AccessScope, importId: string | undefined) {
  const table = sql.table(TABLE_OF[object]);
  return sql`
    FROM data_review_item i
    JOIN ${table} a ON a.workspace_id = i.workspace_id AND a.id = i.record_a
    JOIN ${table} b ON b.workspace_id = i.workspace_id AND b.id = i.record_b
    WHERE i.workspace_id = ${workspaceId} AND i.object = ${object} AND i.status = 'open'
      AND ${live(workspaceId, scope, 'a')} AND ${live(workspaceId, scope, 'b')}
      ${importId ? sql`AND i.import_id = ${importId}` : sql``}`;
}

export async function countOpenItems(ex: Executor, object: DqObject, workspaceId: string, scope: AccessScope, importId: string | undefined, cap: number): Promise<number> {
  const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT 1 ${openItems(object, workspaceId, scope, importId)} LIMIT ${cap + 1}) s`.execute(ex);
  return result.rows[0]?.n ?? 0;
}

/** A keyset page (`limit + 1`, newest first) of open items. */
export async function listOpenItems(ex: Executor, object: DqObject, p: { workspaceId: string; scope: AccessScope; importId: string | undefined; after: [string, string] | undefined; limit: number }): Promise<ReviewItemRow[]> {
  const keyset = p.after ? sql`AND (i.created_at, i.id) < (${p.after[0]}::timestamp AT TIME ZONE 'UTC', ${p.after[1]}::uuid)` : sql``;
  const result = await sql<ReviewItemRow>`
    SELECT i.*, to_char(i.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS at_key
    ${openItems(object, p.workspaceId, p.scope, p.importId)} ${keyset}
    ORDER BY i.created_at DESC, i.id DESC LIMIT ${p.limit + 1}`.execute(ex);
  return result.rows;
}

export async function findReviewItem(ex: Executor, workspaceId: string, id: string, forUpdate = false): Promise<ReviewItemRow | undefined> {
  const result = await sql<ReviewItemRow>`
    SELECT i.*, '' AS at_key FROM data_review_item i WHERE i.workspace_id = ${workspaceId} AND i.id = ${id} ${forUpdate ? sql`FOR UPDATE` : sql``}`.execute(ex);
  return result.rows[0];
}

/** Closes an item if it is still at `version`; undefined when it changed meanwhile. */
export async function closeReviewItem(ex: Executor, workspaceId: string, id: string, version: number, status: 'merged' | 'dismissed', by: string): Promise<ReviewItemRow | undefined> {
  const result = await sql<ReviewItemRow>`
    UPDATE data_review_item SET status = ${status}, resolved_at = now(), updated_at = now(), updated_by = ${by}, version = version + 1
    WHERE workspace_id = ${workspaceId} AND id = ${id} AND version = ${version}
    RETURNING *, '' AS at_key`.execute(ex);
  return result.rows[0];
}

export interface PairRow {
  record_a: string;
  record_b: string;
  reasons: string[];
}

/** The phone, e-mail and tax-number keys a pair can share, by the reason it gives. */
const KEYS = [
  ['search_phones', 'phone'],
  ['search_emails', 'email'],
  ['search_tax_ids', 'tax_id'],
] as const;
type KeyRow = { id: string; search_phones: string[]; search_emails: string[]; search_tax_ids: string[] };

/**
 * Likely duplicates of given records among those in `scope`: the same phone, e-mail or tax number (`strong`), and for
 * a contact a similar name within one of its companies. The records holding the batch's keys are looked up value by
 * value (`keyMatches`) and paired here: a self-join on `&&` let the planner, on a freshly imported table without
 * statistics, compare every pair of rows.
 */
export async function pairsOfRecords(ex: Executor, object: DqObject, p: { workspaceId: string; ids: string[]; scope: AccessScope; strong: boolean }): Promise<PairRow[]> {
  if (p.ids.length === 0) return [];
  const table = sql.table(TABLE_OF[object]);
  const reasons = new Map<string, Set<string>>();
  const add = (a: string, b: string, reason: string) => {
    if (a === b) return;
    const key = a < b ? `${a} ${b}` : `${b} ${a}`;
    reasons.set(key, (reasons.get(key) ?? new Set()).add(reason));
  };
  if (p.strong) {
    const taxIds = object === 'company' ? sql`r.search_tax_ids` : sql`'{}'::text[]`;
    const own = (await sql<KeyRow>`SELECT r.id, r.search_phones, r.search_emails, ${taxIds} AS search_tax_ids FROM ${table} r WHERE r.workspace_id = ${p.workspaceId} AND r.id = ANY(${p.ids}::uuid[])`.execute(ex)).rows;
    const values = (column: (typeof KEYS)[number][0]) => [...new Set(own.flatMap((row) => row[column]))];
    const others = await keyMatches(ex, object, { workspaceId: p.workspaceId, scope: p.scope, phones: values('search_phones'), emails: values('search_emails'), taxIds: values('search_tax_ids') });
    for (const [column, reason] of KEYS) {
      const holders = new Map<string, string[]>();
      for (const other of others) for (const value of other[column]) holders.set(value, [...(holders.get(value) ?? []), other.id]);
      for (const row of own) for (const value of row[column]) for (const other of holders.get(value) ?? []) add(row.id, other, reason);
    }
  }
  if (object === 'contact') {
    const named = await sql<{ src: string; id: string }>`
      SELECT n.id AS src, r.id FROM contact n
      JOIN contact_company nc ON nc.workspace_id = n.workspace_id AND nc.contact_id = n.id
      JOIN contact_company oc ON oc.workspace_id = nc.workspace_id AND oc.company_id = nc.company_id AND oc.contact_id <> n.id
      JOIN contact r ON r.workspace_id = oc.workspace_id AND r.id = oc.contact_id
      WHERE n.workspace_id = ${p.workspaceId} AND n.id = ANY(${p.ids}::uuid[]) AND ${live(p.workspaceId, p.scope)} AND similarity(r.search_name, n.search_name) >= 0.5`.execute(ex);
    for (const row of named.rows) add(row.src, row.id, 'name');
  }
  return [...reasons].slice(0, 20 * p.ids.length).map(([key, found]) => {
    const [recordA, recordB] = key.split(' ') as [string, string];
    return { record_a: recordA, record_b: recordB, reasons: [...found].sort() };
  });
}

/** Values shared by more records than this (a switchboard number, a shared mailbox) say little about duplicates. */
const MAX_GROUP = 20;

/**
 * Pairs of records in `scope` sharing a normalized phone, e-mail or tax number, or (contacts) with similar names
 * within one company, that are not already review items (open, merged or dismissed); at most `limit`.
 */
export async function scanPairs(ex: Executor, object: DqObject, p: { workspaceId: string; scope: AccessScope; limit: number }): Promise<PairRow[]> {
  const table = sql.table(TABLE_OF[object]);
  const keyArm = (column: string, reason: string) => sql`
    SELECT r.id, ${reason}::text AS reason, v AS key FROM ${table} r, unnest(${sql.ref(`r.${column}`)}) v
    WHERE ${live(p.workspaceId, p.scope)} AND cardinality(${sql.ref(`r.${column}`)}) > 0`;
  const keyArms = [keyArm('search_phones', 'phone'), keyArm('search_emails', 'email'), ...(object === 'company' ? [keyArm('search_tax_ids', 'tax_id')] : [])];
  const nameArm =
    object === 'contact'
      ? sql`UNION ALL
        SELECT a.id AS record_a, b.id AS record_b, 'name' AS reason
        FROM contact_company ca
        JOIN contact_company cb ON cb.workspace_id = ca.workspace_id AND cb.company_id = ca.company_id AND cb.contact_id > ca.contact_id
        JOIN contact a ON a.workspace_id = ca.workspace_id AND a.id = ca.contact_id
        JOIN contact b ON b.workspace_id = cb.workspace_id AND b.id = cb.contact_id
        WHERE ca.workspace_id = ${p.workspaceId} AND ${live(p.workspaceId, p.scope, 'a')} AND ${live(p.workspaceId, p.scope, 'b')}
          AND similarity(a.search_name, b.search_name) >= 0.5`
      : sql``;
  const result = await sql<PairRow>`
    WITH keys AS (${sql.join(keyArms, sql` UNION ALL `)}),
    groups AS (SELECT reason, array_agg(id ORDER BY id) AS ids FROM keys GROUP BY reason, key HAVING count(*) BETWEEN 2 AND ${MAX_GROUP}),
    pairs AS (
      SELECT x AS record_a, y AS record_b, g.reason FROM groups g, unnest(g.ids) x, unnest(g.ids) y WHERE x < y
      ${nameArm}
    )
    SELECT pairs.record_a, pairs.record_b, array_agg(DISTINCT pairs.reason ORDER BY pairs.reason) AS reasons FROM pairs
    WHERE NOT EXISTS (SELECT 1 FROM data_review_item i WHERE i.workspace_id = ${p.workspaceId} AND i.object = ${object} AND i.record_a = pairs.record_a AND i.record_b = pairs.record_b)
    GROUP BY pairs.record_a, pairs.record_b
    ORDER BY pairs.record_a, pairs.record_b LIMIT ${p.limit}`.execute(ex);
  return result.rows;
}
