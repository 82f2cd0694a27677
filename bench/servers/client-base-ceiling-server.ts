/**
 * Child process: the ceiling of the client-base benchmarks (card-open, list-filter, search, create-contact).
 * A bare Fastify app (no plugins, hooks or schemas) over a bare pg pool (PGlite's pg pool on the embedded
 * backend) running, per request, the statements Rapport runs for it, and answering the same JSON:
 *
 *   GET  /api/v1/contacts/:id    card: session, the row, owner name, company links
 *   GET  /api/v1/contacts        list: session, custom fields, the planner's estimate, then the page (a large list)
 *                                or the narrow ranked ids that count a small one and its page's rows, owner names, links
 *   GET  /api/v1/search          search: session, workspace country, one transaction: for a name, the trigram
 *                                threshold and the vocabulary's similar words (search.repository.ts similarWords),
 *                                then a query per object (company, contact, lead) with only the arms that apply
 *   POST /api/v1/contacts        create: session, one transaction with country, custom fields, company checks,
 *                                insert, links, audit entry, outbox event, re-read of the row, owner name, links
 *
 * The SQL is copied from Rapport's repositories as Kysely compiles it (client-record.repository.ts,
 * search.repository.ts, contact.*, custom-field, workspace, audit, outbox). Only what the benchmarks send is
 * implemented: the head of sales (scope `all`, no hidden fields), the filter fields and sorts of list-filter, no custom
 * fields, no Idempotency-Key.
 * The benchmarks compare these statements with the ones Rapport's services run (bench/lib/capture.ts) and the
 * answers with Rapport's; when they drift apart, update the SQL here.
 *
 * GET /__statements answers the statements of the last request.
 * Config: BENCH_CLIENT_BASE_CEILING_ENV = { "port": number, "target": DatabaseTarget }.
 */
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { formatPhone, normalizeEmail, toE164 } from '@rapport/shared';
import Fastify from 'fastify';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { prepareMarked, SESSION_OPTIONS, type DatabaseTarget } from '../../packages/server/src/infra/db.js';
import { sessionPrincipal, type Recorder, type Row } from './ceiling-session.js';
// The name words and tsquery are pure text work, the same on both sides: taken from the service rather than copied.
import { nameTsQuery, nameWords } from '../../packages/server/src/modules/client-record/client-record.service.js';
import { serveChild } from './child-server.js';

const { port, target } = JSON.parse(process.env.BENCH_CLIENT_BASE_CEILING_ENV ?? '{}') as { port: number; target: DatabaseTarget };
/** client-record.service.ts LIST_COUNT_CAP: lists count exactly up to here. */
const LIST_COUNT_CAP = 1_000;

// Keep bigint counts as numbers, as Rapport does.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

let pglite: PGlite | undefined;
let pool: pg.Pool;
if (target.kind === 'postgres') {
  // Rapport's session settings: the same plans on both sides.
  pool = new pg.Pool({ connectionString: target.url, max: 10, options: SESSION_OPTIONS });
  pool.on('connect', prepareMarked);
} else {
  pglite = await PGlite.create(target.dataDir ?? 'memory://', { extensions: { pg_trgm } });
  pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
}
pool.on('error', () => undefined);

let lastStatements: string[] = [];

/** Runs and records statements on the pool, or on one checked-out connection inside `transaction`. */
class Session implements Recorder {
  statements: string[] = [];
  constructor(private client?: pg.PoolClient) {}
  async query(text: string, values: unknown[] = []): Promise<Row[]> {
    this.statements.push(text);
    return (await (this.client ?? pool).query(text, values)).rows as Row[];
  }
  async transaction<T>(work: (tx: Session) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    const tx = new Session(client);
    try {
      await tx.query('begin');
      const result = await work(tx);
      await tx.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      this.statements.push(...tx.statements);
      client.release();
    }
  }
}

const placeholders = (from: number, count: number) => Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ');

const SQL = {
  contact: 'SELECT r.* FROM "contact" r WHERE r.workspace_id = $1 AND r.id = $2 AND r.deleted_at IS NULL',
  company: 'SELECT r.* FROM "company" r WHERE r.workspace_id = $1 AND r.id = $2 AND r.deleted_at IS NULL',
  userNames: (count: number) => `select "id", "name" from "app_user" where "workspace_id" = $1 and "id" in (${placeholders(2, count)})`,
  links: (count: number) =>
    'select "cc"."contact_id", "cc"."company_id", "c"."name" as "company_name", "cc"."role", "cc"."is_primary" from "contact_company" as "cc" ' +
    'inner join "company" as "c" on "c"."workspace_id" = "cc"."workspace_id" and "c"."id" = "cc"."company_id" ' +
    `where "cc"."workspace_id" = $1 and "cc"."contact_id" in (${placeholders(2, count)}) and "c"."deleted_at" is null order by "cc"."is_primary" desc, "c"."name"`,
  customFields: 'select * from "custom_field" where "workspace_id" = $1 and "deleted_at" is null and "object" = $2 order by "object", "position", "label"',
  workspace: 'select * from "workspace" where "id" = $1',
  threshold: "SELECT set_config('pg_trgm.similarity_threshold', $1, true)",
  similarWords:
    'SELECT q.w AS typed, s.word FROM unnest($1::text[]) AS q(w) CROSS JOIN LATERAL ( ' +
    'SELECT word FROM search_word WHERE workspace_id = $2 AND word % q.w ORDER BY similarity(word, q.w) DESC, word LIMIT $3 ) s',
  insertContact:
    'insert into "contact" ("workspace_id", "id", "first_name", "middle_name", "last_name", "full_name", "position", "phones", "emails", "messengers", "birthday", "address", "photo_url", "source", "email_opt_in", "sms_opt_in", "owner_id", "team_id", "tags", "custom", "search_name", "search_phones", "search_emails", "created_by", "updated_by") ' +
    `values (${placeholders(1, 25)})`,
  insertLinks: (count: number) =>
    `insert into "contact_company" ("workspace_id", "contact_id", "company_id", "role", "is_primary") values ${Array.from({ length: count }, (_, i) => `(${placeholders(1 + i * 5, 5)})`).join(', ')}`,
  audit: `insert into "audit_log" ("workspace_id", "id", "actor_id", "actor_type", "action", "object_type", "object_id", "changes", "meta", "ip", "request_id") values (${placeholders(1, 11)})`,
  outbox: `insert into "outbox" ("workspace_id", "id", "topic", "payload") values (${placeholders(1, 4)})`,
  contactRow: 'select * from "contact" where "workspace_id" = $1 and "id" = $2',
};

interface LinkRow {
  contact_id: string;
  company_id: string;
  company_name: string;
  role: string | null;
  is_primary: boolean;
}

const isoDate = (value: unknown) => (value === null ? null : value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10));

/** The contact DTO, field for field as contact.service toContacts builds it. */
function contactDto(row: Row, owners: Map<string, string>, links: LinkRow[]): Row {
  const phones = row.phones as { type: string; number: string; e164: string | null }[];
  return {
    id: row.id,
    name: row.full_name,
    firstName: row.first_name,
    middleName: row.middle_name,
    lastName: row.last_name,
    position: row.position,
    phones: phones.map((phone) => ({ type: phone.type, number: formatPhone(phone.e164, phone.number), e164: phone.e164 })),
    emails: row.emails,
    messengers: row.messengers,
    birthday: isoDate(row.birthday),
    address: row.address,
    photoUrl: row.photo_url,
    source: row.source,
    emailOptIn: row.email_opt_in,
    smsOptIn: row.sms_opt_in,
    companies: links.filter((link) => link.contact_id === row.id).map((link) => ({ companyId: link.company_id, companyName: link.company_name, role: link.role, isPrimary: link.is_primary })),
    ownerId: row.owner_id,
    ownerName: owners.get(row.owner_id as string) ?? null,
    teamId: row.team_id,
    tags: row.tags,
    custom: row.custom,
    createdAt: (row.created_at as Date).toISOString(),
    updatedAt: (row.updated_at as Date).toISOString(),
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    lastActivityAt: (row.last_activity_at as Date | null)?.toISOString() ?? null,
    deletedAt: (row.deleted_at as Date | null)?.toISOString() ?? null,
    version: row.version,
  };
}

async function contactDtos(db: Session, workspaceId: string, rows: Row[]): Promise<Row[]> {
  const ownerIds = [...new Set(rows.map((row) => row.owner_id as string))];
  const owners = ownerIds.length === 0 ? [] : await db.query(SQL.userNames(ownerIds.length), [workspaceId, ...ownerIds]);
  const contactIds = rows.map((row) => row.id as string);
  const links = contactIds.length === 0 ? [] : ((await db.query(SQL.links(contactIds.length), [workspaceId, ...contactIds])) as unknown as LinkRow[]);
  const names = new Map(owners.map((owner) => [owner.id as string, owner.name as string]));
  return rows.map((row) => contactDto(row, names, links));
}

/** The scope `all` is the only one implemented (the benchmarks sign in as the head of sales). */
function assertScopeAll(principal: Row, action: string): void {
  const scope = (principal.permissions as Record<string, Record<string, string>>).contact?.[action];
  if (scope !== 'all' && !(action === 'create' && scope === 'own')) throw new Error(`the ceiling implements scope "all" only, the session has ${String(scope)} for contact.${action}`);
}

// ---- list: the filter conditions and sorts list-filter sends, as filter-sql.ts and the object definitions write them

interface Condition {
  field: string;
  op: string;
  value?: unknown;
}
type Filter = Condition | { and: Filter[] } | { or: Filter[] };

const VIA_COMPANY = (condition: string) =>
  `EXISTS (SELECT 1 FROM contact_company cc JOIN company c ON c.workspace_id = cc.workspace_id AND c.id = cc.company_id AND c.deleted_at IS NULL WHERE cc.workspace_id = r.workspace_id AND cc.contact_id = r.id AND ${condition})`;
const COLUMNS: Record<string, string> = { source: '"r"."source"', ownerId: '"r"."owner_id"', teamId: '"r"."team_id"', createdAt: '"r"."created_at"', updatedAt: '"r"."updated_at"', name: '"r"."full_name"', position: '"r"."position"' };
const RELATED: Record<string, string> = { companyId: 'c.id', 'company.name': 'c.name', 'company.kind': 'c.kind' };
/** client-record.service.ts: name-index entries a "name contains" list walks for its page. */
const NAME_WALK_SPAN = 40_000;
/** client-record.repository.ts LATE_NAMES_EARLY (0048_name_late_letters.sql). */
const LATE_NAMES_EARLY = String.raw`r.name_key < 'а' AND regexp_like(r.name_key, '[^\x01-\u042f]')`;
/** Lower-cased copies "contains" matches with LIKE (filter-sql.ts `folded`). */
const FOLDED: Record<string, string> = { name: 'r.name_key' };
const ARRAYS: Record<string, string> = { tags: 'r.tags', phone: 'r.search_phones', email: 'r.search_emails', 'company.industry': 'r.company_industries' };
/** As client-record.repository.ts FieldSort: text orderings are their own cursor; timestamps order by the column and name the cursor's text. */
interface Sort {
  order: string;
  key: string;
}
const textSort = (expr: string): Sort => ({ order: `${expr}::text`, key: `${expr}::text` });
const timestampSort = (column: string): Sort => ({ order: `"r"."${column}"`, key: `to_char("r"."${column}" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')` });
const SORTS: Record<string, Sort> = { name: textSort('r.name_key'), createdAt: timestampSort('created_at'), updatedAt: timestampSort('updated_at') };
const likePattern = (value: unknown) => `%${String(value).replace(/[%_\\]/g, '\\$&')}%`;

function conditionSql(filter: Filter, values: unknown[]): string {
  if ('and' in filter) return `(${filter.and.map((part) => conditionSql(part, values)).join(' AND ')})`;
  if ('or' in filter) return `(${filter.or.map((part) => conditionSql(part, values)).join(' OR ')})`;
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const array = ARRAYS[filter.field];
  if (array) {
    if (filter.op !== 'eq' && filter.op !== 'in') throw new Error(`ceiling: ${filter.field} ${filter.op} is not implemented`);
    return `${array} && ${param((Array.isArray(filter.value) ? filter.value : [filter.value]).map(String))}::text[]`;
  }
  const column = COLUMNS[filter.field] ?? RELATED[filter.field];
  if (!column) throw new Error(`ceiling: filter field ${filter.field} is not implemented`);
  let condition: string;
  switch (filter.op) {
    case 'eq':
      condition = `${column} = ${param(filter.value)}`;
      break;
    case 'contains':
      condition = FOLDED[filter.field] ? `${FOLDED[filter.field]} LIKE lower(${param(likePattern(filter.value))})` : `${column} ILIKE ${param(likePattern(filter.value))}`;
      break;
    case 'gte':
      condition = `${column} >= ${param(filter.value)}`;
      break;
    case 'lte':
      condition = `${column} <= ${param(filter.value)}`;
      break;
    default:
      throw new Error(`ceiling: operator ${filter.op} is not implemented`);
  }
  return RELATED[filter.field] ? VIA_COMPANY(condition) : condition;
}

async function list(db: Session, principal: Row, query: Record<string, string | undefined>): Promise<Row> {
  assertScopeAll(principal, 'read');
  const workspaceId = principal.workspace_id as string;
  await db.query(SQL.customFields, [workspaceId, 'contact']);
  const limit = query.limit ? Number(query.limit) : 50;
  const desc = query.sort?.startsWith('-') ?? false;
  const sortKey = query.sort?.replace(/^-/, '') ?? 'updatedAt';
  const sort = SORTS[sortKey];
  if (!sort) throw new Error(`ceiling: sort ${sortKey} is not implemented`);
  const direction = (sortKey === 'updatedAt' && query.sort === undefined) || desc ? 'DESC' : 'ASC';
  if (query.cursor) throw new Error('ceiling: cursors are not implemented');
  const whereOf = (values: unknown[]) => {
    values.push(workspaceId);
    const parts = ['r.workspace_id = $1', 'r.deleted_at IS NULL', 'true'];
    if (query.q && query.q.trim() !== '') {
      values.push(likePattern(query.q.trim().toLowerCase()));
      parts.push(`r.search_name LIKE $${values.length}`);
    }
    if (query.filter) parts.push(conditionSql(JSON.parse(query.filter) as Filter, values));
    return parts.join(' AND ');
  };
  const values: unknown[] = [];
  const where = whereOf(values);
  const order = `ORDER BY ${sort.order} ${direction}, r.id ${direction}`;
  // As Rapport's pageAndCount(): a list the planner expects to be large is not counted; a small one's first page comes
  // out of the narrow scan that counts it.
  // As pageAndCount()'s first step: "name contains" alone in name order walks the name index for a page first.
  const filter = query.filter ? (JSON.parse(query.filter) as Filter) : undefined;
  if (filter && 'field' in filter && filter.field === 'name' && filter.op === 'contains' && sortKey === 'name' && !query.q?.trim()) {
    const walkValues: unknown[] = [];
    const param = (value: unknown) => {
      walkValues.push(value);
      return `$${walkValues.length}`;
    };
    const walk = (from: string, bound: () => string) =>
      `SELECT r.id, r.name_key FROM ( SELECT r.id, r.name_key FROM "contact" r WHERE r.workspace_id = ${param(workspaceId)} AND r.deleted_at IS NULL AND ${from} ${order} ${bound()} ) r WHERE ${conditionSql(filter, walkValues)} ${order} LIMIT ${param(limit + 1)}`;
    const span = () => `LIMIT ${param(NAME_WALK_SPAN)}`;
    // As pageByNameWalk: a fragment with a Cyrillic (later) letter reads the early names holding one, then walks from 'а'.
    const late = /[\u0430-\u{10ffff}]/u.test(String(filter.value).toLowerCase());
    const text = late ? `SELECT r.id FROM (( ${walk(LATE_NAMES_EARLY, () => 'OFFSET 0')}) UNION ALL ( ${walk(`r.name_key >= 'а'`, span)})) r ${order} LIMIT ${param(limit + 1)}` : walk('true', span);
    const walked = await db.query(text, walkValues);
    if (walked.length > limit) {
      const [found, counted] = await Promise.all([
        recordsInOrder(db, workspaceId, sort.key, walked.map((row) => row.id as string)),
        db.query(`SELECT count(*)::int AS n FROM (SELECT 1 FROM "contact" r WHERE ${where} LIMIT $${values.length + 1}) s`, [...values, LIST_COUNT_CAP + 1]),
      ]);
      return listPage(db, workspaceId, found, limit, Number(counted[0]?.n ?? 0));
    }
  }
  const plan = await db.query(`EXPLAIN (FORMAT JSON) SELECT 1 FROM "contact" r WHERE ${where}`, values);
  const raw = plan[0]?.['QUERY PLAN'];
  const estimate = ((typeof raw === 'string' ? JSON.parse(raw) : raw) as [{ Plan: { 'Plan Rows': number } }])[0].Plan['Plan Rows'];
  let rows: Row[];
  let counted: number;
  if (estimate > 2 * LIST_COUNT_CAP) {
    rows = await db.query(`SELECT r.*, ${sort.key} AS sort_key FROM "contact" r WHERE ${where} ${order} LIMIT $${values.length + 1}`, [...values, limit + 1]);
    counted = LIST_COUNT_CAP + 1;
  } else {
    const ranked = await db.query(`SELECT r.id FROM "contact" r WHERE ${where} ${order} LIMIT $${values.length + 1}`, [...values, LIST_COUNT_CAP + 1]);
    counted = ranked.length;
    rows = await recordsInOrder(db, workspaceId, sort.key, ranked.slice(0, limit + 1).map((row) => row.id as string));
  }
  return listPage(db, workspaceId, rows, limit, counted);
}

/** client-record.repository.ts recordsInOrder: the rows of `ids` with their sort key, in the order of `ids`. */
async function recordsInOrder(db: Session, workspaceId: string, sortKey: string, ids: string[]): Promise<Row[]> {
  if (ids.length === 0) return [];
  const found = await db.query(`SELECT r.*, ${sortKey} AS sort_key FROM "contact" r WHERE r.workspace_id = $1 AND r.id = ANY($2::uuid[]) AND r.deleted_at IS NULL`, [workspaceId, ids]);
  const byId = new Map(found.map((row) => [row.id as string, row]));
  return ids.flatMap((id): Row[] => { const row = byId.get(id); return row ? [row] : []; });
}

/** The list's answer from its `limit + 1` rows and their capped count. */
async function listPage(db: Session, workspaceId: string, rows: Row[], limit: number, counted: number): Promise<Row> {
  const count = rows.length <= limit ? rows.length : counted;
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: await contactDtos(db, workspaceId, items),
    nextCursor: rows.length > limit && last ? Buffer.from(JSON.stringify([last.sort_key, last.id])).toString('base64url') : null,
    total: { value: Math.min(count, LIST_COUNT_CAP), exact: count <= LIST_COUNT_CAP },
  };
}

// ---- search

const SEARCH_OBJECTS = [
  { object: 'company', table: 'company', title: 'r.name', subtitle: 'coalesce(r.industry, r.inn, r.legal_name)' },
  {
    object: 'contact',
    table: 'contact',
    title: 'r.full_name',
    subtitle:
      'coalesce(r.position, (SELECT c.name FROM contact_company cc JOIN company c ON c.workspace_id = cc.workspace_id AND c.id = cc.company_id WHERE cc.workspace_id = r.workspace_id AND cc.contact_id = r.id AND c.deleted_at IS NULL ORDER BY cc.is_primary DESC, c.name LIMIT 1))',
  },
  { object: 'lead', table: 'lead', title: 'r.name', subtitle: 'r.company_name' },
  { object: 'deal', table: 'deal', title: 'r.title', subtitle: '(SELECT s.name FROM pipeline_stage s WHERE s.workspace_id = r.workspace_id AND s.id = r.stage_id)' },
] as const;

/** search.repository.ts: vocabulary words this close to a typed word stand in for it; this many per word; records ranked per object. */
const WORD_SIMILARITY = 0.2;
const CORRECTIONS_PER_WORD = 8;
const RANKED = 400;

/** Positional parameters in the order Kysely numbers them. */
class Params {
  values: unknown[] = [];
  p(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** search.repository.ts similarWords. */
async function similarWords(tx: Session, workspaceId: string, words: string[]): Promise<Map<string, string[]>> {
  const typed = words.filter((word) => word.length >= 3);
  const result = new Map<string, string[]>(words.map((word) => [word, []]));
  if (typed.length === 0) return result;
  await tx.query(SQL.threshold, [String(WORD_SIMILARITY)]);
  for (const row of await tx.query(SQL.similarWords, [typed, workspaceId, CORRECTIONS_PER_WORD])) result.get(row.typed as string)?.push(row.word as string);
  return result;
}

interface SearchWhat {
  workspaceId: string;
  text: string;
  nameQuery: string | null;
  phones: string[];
  email: string | null;
  taxId: string | null;
  limit: number;
}

/** search.repository.ts searchRecords (scope `all`): the statement and its parameters, or null when no arm applies. */
function searchSql(o: (typeof SEARCH_OBJECTS)[number], w: SearchWhat): { text: string; values: unknown[] } | null {
  const applies = { phones: w.phones.length > 0, email: w.email !== null, taxId: w.taxId !== null, name: w.nameQuery !== null };
  if (!applies.phones && !applies.email && !applies.taxId && !applies.name) return null;
  const s = new Params();
  const arms: string[] = [];
  const byContactPoint = () => `(r.search_phones && ${s.p(w.phones)}::text[] OR (${s.p(w.email)}::text IS NOT NULL AND ${s.p(w.email)} = ANY(r.search_emails)) OR (${s.p(w.taxId)}::text IS NOT NULL AND ${s.p(w.taxId)} = ANY(r.search_tax_ids)))`;
  const head =
    `SELECT r.id, ${o.title} AS title, ${o.subtitle} AS subtitle, ` +
    `CASE WHEN r.search_phones && ${s.p(w.phones)}::text[] THEN 'phone' ` +
    `WHEN ${s.p(w.email)}::text IS NOT NULL AND ${s.p(w.email)} = ANY(r.search_emails) THEN 'email' ` +
    `WHEN ${s.p(w.taxId)}::text IS NOT NULL AND ${s.p(w.taxId)} = ANY(r.search_tax_ids) THEN 'tax_id' ` +
    "ELSE 'name' END AS matched, " +
    `(CASE WHEN ${byContactPoint()} THEN 2 ELSE 0 END + word_similarity(${s.p(w.text)}, r.search_name))::float8 AS score ` +
    `FROM ( SELECT * FROM "${o.table}" r WHERE r.workspace_id = ${s.p(w.workspaceId)} AND r.deleted_at IS NULL AND true AND (`;
  // Each condition only where it applies, so every one is an index lookup.
  if (applies.phones) arms.push(`r.search_phones && ${s.p(w.phones)}::text[]`);
  if (applies.email) arms.push(`r.search_emails @> ARRAY[${s.p(w.email)}::text]`);
  if (applies.taxId) arms.push(`r.search_tax_ids @> ARRAY[${s.p(w.taxId)}::text]`);
  if (applies.name) arms.push(`r.search_tsv @@ to_tsquery('simple', ${s.p(w.nameQuery)})`);
  const text = `${head}${arms.join(' OR ')}) LIMIT ${s.p(RANKED)} ) r ORDER BY score DESC, r.id LIMIT ${s.p(w.limit)}`;
  return { text, values: s.values };
}

async function search(db: Session, principal: Row, text: string, limit: number): Promise<Row> {
  const query = text.trim();
  if (query === '') return { groups: [] };
  const workspaceId = principal.workspace_id as string;
  const country = ((await db.query(SQL.workspace, [workspaceId]))[0]?.country as string | undefined) ?? 'US';
  const phone = /\d{5,}/.test(query.replace(/\D/g, '')) ? toE164(query, country) : null;
  const email = query.includes('@') ? query.toLowerCase() : null;
  const taxId = /^\d{9,15}$/.test(query) ? query : null;
  const permissions = principal.permissions as Record<string, Record<string, string> | undefined>;
  const objects = SEARCH_OBJECTS.filter((o) => (permissions[o.object]?.read ?? 'none') !== 'none');
  for (const o of objects) if (permissions[o.object]?.read !== 'all') throw new Error(`ceiling: search implements scope "all" only (${o.object})`);
  return db.transaction(async (tx) => {
    const nameQuery = phone || email || taxId ? null : nameTsQuery(await similarWords(tx, workspaceId, nameWords(query)));
    const what: SearchWhat = { workspaceId, text: query.toLowerCase(), nameQuery, phones: phone ? [phone] : [], email, taxId, limit };
    const groups: { object: string; items: Row[] }[] = [];
    for (const o of objects) {
      const statement = searchSql(o, what);
      const rows = statement ? await tx.query(statement.text, statement.values) : [];
      if (rows.length > 0) groups.push({ object: o.object, items: rows.map((row) => ({ object: o.object, id: row.id, title: row.title, subtitle: row.subtitle, matched: row.matched, score: Number(row.score) })) });
    }
    return { groups: groups.sort((a, b) => Number(b.items[0]?.score ?? 0) - Number(a.items[0]?.score ?? 0)) };
  });
}

// ---- create

interface ContactBody {
  firstName: string;
  middleName?: string | null;
  lastName?: string | null;
  position?: string | null;
  phones?: { type?: string; number: string }[];
  emails?: { type?: string; email: string }[];
  source?: string | null;
  tags?: string[];
  companies?: { companyId: string; role?: string | null; isPrimary?: boolean }[];
}

const fullName = (first: string, middle: string | null, last: string | null) => [first, middle, last].filter((part) => part && part.trim() !== '').join(' ');

async function create(db: Session, principal: Row, body: ContactBody, meta: { ip: string; requestId: string }): Promise<Row> {
  assertScopeAll(principal, 'create');
  const workspaceId = principal.workspace_id as string;
  const userId = principal.user_id as string;
  return db.transaction(async (tx) => {
    const id = uuidv7();
    const country = ((await tx.query(SQL.workspace, [workspaceId]))[0]?.country as string | undefined) ?? 'US';
    const phones = (body.phones ?? []).map((phone) => ({ type: phone.type ?? 'work', number: phone.number.trim(), e164: toE164(phone.number, country) }));
    const emails = (body.emails ?? []).map((entry) => ({ type: entry.type ?? 'work', email: normalizeEmail(entry.email) }));
    if (phones.some((phone) => !phone.e164) || emails.some((entry) => !entry.email)) throw new Error('ceiling: invalid phone or e-mail in the benchmark body');
    await tx.query(SQL.customFields, [workspaceId, 'contact']);
    const links: { companyId: string; role: string | null; isPrimary: boolean }[] = [];
    for (const link of body.companies ?? []) {
      if (links.some((known) => known.companyId === link.companyId)) continue;
      if ((await tx.query(SQL.company, [workspaceId, link.companyId])).length === 0) throw new Error('ceiling: no such company');
      links.push({ companyId: link.companyId, role: link.role?.trim() || null, isPrimary: link.isPrimary ?? false });
    }
    if (links.length > 0 && !links.some((link) => link.isPrimary)) links[0]!.isPrimary = true;
    const first = body.firstName.trim();
    const middle = body.middleName?.trim() || null;
    const last = body.lastName?.trim() || null;
    const name = fullName(first, middle, last);
    await tx.query(SQL.insertContact, [
      workspaceId, id, first, middle, last, name, body.position?.trim() || null, JSON.stringify(phones), JSON.stringify(emails), '[]', null, null, null, body.source ?? null, false, false,
      userId, principal.team_id, [...new Set(body.tags ?? [])], '{}', [first, middle, last].filter((part) => part && part.trim() !== '').join(' ').toLowerCase(),
      [...new Set(phones.map((phone) => phone.e164))], [...new Set(emails.map((entry) => entry.email))], userId, userId,
    ]);
    if (links.length > 0) await tx.query(SQL.insertLinks(links.length), links.flatMap((link) => [workspaceId, id, link.companyId, link.role, link.isPrimary]));
    await tx.query(SQL.audit, [workspaceId, uuidv7(), userId, 'user', 'contact.create', 'contact', id, null, JSON.stringify({ name, companies: links.map((link) => link.companyId) }), meta.ip, meta.requestId]);
    await tx.query(SQL.outbox, [workspaceId, uuidv7(), 'record.changed', JSON.stringify({ objectType: 'contact', id, action: 'create', ownerId: userId, teamId: principal.team_id ?? null })]);
    const row = (await tx.query(SQL.contactRow, [workspaceId, id]))[0]!;
    return (await contactDtos(tx, workspaceId, [row]))[0]!;
  });
}

// ---- HTTP

const app = Fastify({ logger: false });
const unauthenticated = { title: 'unauthenticated' };

app.get<{ Params: { id: string } }>('/api/v1/contacts/:id', async (request, reply) => {
  const db = new Session();
  try {
    const principal = await sessionPrincipal(db, request.headers.cookie);
    if (!principal) return reply.status(401).send(unauthenticated);
    assertScopeAll(principal, 'read');
    const row = (await db.query(SQL.contact, [principal.workspace_id, request.params.id]))[0];
    if (!row) return reply.status(404).send({ title: 'not found' });
    const [dto] = await contactDtos(db, principal.workspace_id as string, [row]);
    return reply.header('etag', `"${String(row.version)}"`).send(dto);
  } finally {
    lastStatements = db.statements;
  }
});

app.get<{ Querystring: Record<string, string | undefined> }>('/api/v1/contacts', async (request, reply) => {
  const db = new Session();
  try {
    const principal = await sessionPrincipal(db, request.headers.cookie);
    if (!principal) return reply.status(401).send(unauthenticated);
    return await list(db, principal, request.query);
  } finally {
    lastStatements = db.statements;
  }
});

app.get<{ Querystring: { q?: string; limit?: string } }>('/api/v1/search', async (request, reply) => {
  const db = new Session();
  try {
    const principal = await sessionPrincipal(db, request.headers.cookie);
    if (!principal) return reply.status(401).send(unauthenticated);
    return await search(db, principal, request.query.q ?? '', request.query.limit ? Number(request.query.limit) : 8);
  } finally {
    lastStatements = db.statements;
  }
});

app.post<{ Body: ContactBody }>('/api/v1/contacts', async (request, reply) => {
  const db = new Session();
  try {
    const principal = await sessionPrincipal(db, request.headers.cookie);
    if (!principal) return reply.status(401).send(unauthenticated);
    if (request.headers['x-csrf-token'] !== principal.csrf_token) return reply.status(403).send({ title: 'csrf' });
    return reply.status(201).send(await create(db, principal, request.body, { ip: request.ip, requestId: String(request.id) }));
  } finally {
    lastStatements = db.statements;
  }
});

app.get('/__statements', () => lastStatements);
await serveChild(app, port, async () => {
  await pool.end();
  await pglite?.close();
});
