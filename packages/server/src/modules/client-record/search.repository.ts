import type { ClientObject } from '@rapport/shared';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { AccessScope } from '../../core/access-scope.js';
import type { Executor } from '../../infra/db.js';
import { scopePredicate, TABLE_OF } from './client-record.repository.js';

/** How close a vocabulary word must be to a typed word to stand in for it ("ivnaov"/"ivanov" 0.27, "hlaey"/"haley" 0.2). */
const WORD_SIMILARITY = 0.2;
const CORRECTIONS_PER_WORD = 8;
/** Records ranked per object; a query matching more (a common first name) ranks an arbitrary subset of them. */
const RANKED = 400;

/**
 * Words of the workspace's names that look like each typed word (typos, other word forms): from the search vocabulary
 * (migration 0006), which is small enough to compare against trigram by trigram.
 */
export async function similarWords(ex: Executor, workspaceId: string, words: string[]): Promise<Map<string, string[]>> {
  const typed = words.filter((word) => word.length >= 3);
  const result = new Map<string, string[]>(words.map((word) => [word, []]));
  if (typed.length === 0) return result;
  await sql`SELECT set_config('pg_trgm.similarity_threshold', ${String(WORD_SIMILARITY)}, true)`.execute(ex);
  const rows = await sql<{ typed: string; word: string }>`
    SELECT q.w AS typed, s.word FROM unnest(${typed}::text[]) AS q(w)
    CROSS JOIN LATERAL (
      SELECT word FROM search_word WHERE workspace_id = ${workspaceId} AND word % q.w ORDER BY similarity(word, q.w) DESC, word LIMIT ${CORRECTIONS_PER_WORD}
    ) s`.execute(ex);
  for (const row of rows.rows) result.get(row.typed)?.push(row.word);
  return result;
}

export interface SearchWhat {
  workspaceId: string;
  scope: AccessScope;
  /** The typed text, lower-cased, for ranking by name similarity. */
  text: string;
  /** A `simple` tsquery over the name (typed words as prefixes or their corrections), or null for contact-point queries. */
  nameQuery: string | null;
  phones: string[];
  email: string | null;
  taxId: string | null;
  limit: number;
  title: RawBuilder<string>;
  subtitle: RawBuilder<string | null>;
}

/** One object's best matches: each condition only where it applies, so every one is an index lookup. */
export async function searchRecords(ex: Executor, object: ClientObject, p: SearchWhat) {
  const table = sql.table(TABLE_OF[object]);
  const arms: RawBuilder<SqlBool>[] = [];
  if (p.phones.length > 0) arms.push(sql<SqlBool>`r.search_phones && ${p.phones}::text[]`);
  if (p.email) arms.push(sql<SqlBool>`r.search_emails @> ARRAY[${p.email}::text]`);
  if (p.taxId) arms.push(sql<SqlBool>`r.search_tax_ids @> ARRAY[${p.taxId}::text]`);
  if (p.nameQuery) arms.push(sql<SqlBool>`r.search_tsv @@ to_tsquery('simple', ${p.nameQuery})`);
  if (arms.length === 0) return [];
  const byContactPoint = sql<SqlBool>`(r.search_phones && ${p.phones}::text[] OR (${p.email}::text IS NOT NULL AND ${p.email} = ANY(r.search_emails)) OR (${p.taxId}::text IS NOT NULL AND ${p.taxId} = ANY(r.search_tax_ids)))`;
  const result = await sql<{ id: string; title: string; subtitle: string | null; matched: 'name' | 'phone' | 'email' | 'tax_id'; score: number }>`
    SELECT r.id, ${p.title} AS title, ${p.subtitle} AS subtitle,
      CASE WHEN r.search_phones && ${p.phones}::text[] THEN 'phone'
           WHEN ${p.email}::text IS NOT NULL AND ${p.email} = ANY(r.search_emails) THEN 'email'
           WHEN ${p.taxId}::text IS NOT NULL AND ${p.taxId} = ANY(r.search_tax_ids) THEN 'tax_id'
           ELSE 'name' END AS matched,
      (CASE WHEN ${byContactPoint} THEN 2 ELSE 0 END + word_similarity(${p.text}, r.search_name))::float8 AS score
    FROM (
      SELECT * FROM ${table} r
      WHERE r.workspace_id = ${p.workspaceId} AND r.deleted_at IS NULL AND ${scopePredicate(p.scope)} AND (${sql.join(arms, sql` OR `)})
      LIMIT ${RANKED}
    ) r
    ORDER BY score DESC, r.id LIMIT ${p.limit}`.execute(ex);
  return result.rows;
}
