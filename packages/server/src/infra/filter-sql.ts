import type { Filter, FilterCondition, FilterValue } from '@rapport/shared';
import { sql, type RawBuilder, type SqlBool } from 'kysely';

/**
 * Where a filter field reads from: a column name, or a SQL expression. `array` compares against the elements of an
 * array column (tags); `exists` wraps the condition in a sub-query over a related record ("company.industry = Retail").
 */
export type FilterColumn =
  | string
  | {
      expr: RawBuilder<unknown>;
      array?: boolean;
      /** jsonb array (multi-select custom fields): eq / in test membership. */
      jsonArray?: boolean;
      exists?: (condition: RawBuilder<SqlBool>) => RawBuilder<SqlBool>;
      /**
       * A lower-cased copy of `expr` kept in the row: `contains` is a LIKE on it with the fragment lower-cased, which
       * its indexes serve (the name-order index answers a common fragment without reading the table).
       */
      folded?: RawBuilder<unknown>;
    };

/** Maps a filter field name to what it reads. */
export type FilterColumns = Record<string, FilterColumn>;

/** Turns a parsed, validated filter (packages/shared/filter.ts) into a WHERE expression over known columns only. */
export function filterExpression(filter: Filter, columns: FilterColumns): RawBuilder<SqlBool> {
  if ('and' in filter) return sql<SqlBool>`(${sql.join(filter.and.map((part) => filterExpression(part, columns)), sql` AND `)})`;
  if ('or' in filter) return sql<SqlBool>`(${sql.join(filter.or.map((part) => filterExpression(part, columns)), sql` OR `)})`;
  return conditionExpression(filter, columns);
}

function conditionExpression(condition: FilterCondition, columns: FilterColumns): RawBuilder<SqlBool> {
  const column = columns[condition.field];
  if (column === undefined) throw new Error(`filter field ${condition.field} has no column`);
  if (typeof column === 'string') return scalarCondition(sql.ref(column), condition);
  const inner = column.array
    ? arrayCondition(column.expr, condition)
    : column.jsonArray
      ? jsonArrayCondition(column.expr, condition)
      : column.folded && condition.op === 'contains'
        ? sql<SqlBool>`${column.folded} LIKE lower(${likeFragment(condition.value)})`
        : scalarCondition(column.expr, condition);
  return column.exists ? column.exists(inner) : inner;
}

/** `%value%` with LIKE's wildcards in the value escaped. */
function likeFragment(value: unknown): string {
  return `%${String(value).replace(/[%_\\]/g, '\\$&')}%`;
}

function scalarCondition(ref: RawBuilder<unknown> | ReturnType<typeof sql.ref>, condition: FilterCondition): RawBuilder<SqlBool> {
  const value = condition.value as FilterValue;
  const list = (condition.value ?? []) as FilterValue[];
  switch (condition.op) {
    case 'eq':
      return sql<SqlBool>`${ref} = ${value}`;
    case 'neq':
      return sql<SqlBool>`${ref} IS DISTINCT FROM ${value}`;
    case 'contains':
      return sql<SqlBool>`${ref} ILIKE ${likeFragment(value)}`;
    case 'in':
      return sql<SqlBool>`${ref} IN (${sql.join(list)})`;
    case 'gt':
      return sql<SqlBool>`${ref} > ${value}`;
    case 'gte':
      return sql<SqlBool>`${ref} >= ${value}`;
    case 'lt':
      return sql<SqlBool>`${ref} < ${value}`;
    case 'lte':
      return sql<SqlBool>`${ref} <= ${value}`;
    case 'between':
      return sql<SqlBool>`${ref} BETWEEN ${list[0] ?? null} AND ${list[1] ?? null}`;
    case 'empty':
      return sql<SqlBool>`(${ref} IS NULL OR ${ref}::text = '')`;
    case 'not_empty':
      return sql<SqlBool>`(${ref} IS NOT NULL AND ${ref}::text <> '')`;
  }
}

/** Tags and other text arrays: `eq` means "has", `in` "has any of". */
function arrayCondition(ref: RawBuilder<unknown>, condition: FilterCondition): RawBuilder<SqlBool> {
  const list = (Array.isArray(condition.value) ? condition.value : [condition.value ?? null]).map(String);
  switch (condition.op) {
    case 'eq':
    case 'in':
      return sql<SqlBool>`${ref} && ${list}::text[]`;
    case 'neq':
      return sql<SqlBool>`NOT (${ref} && ${list}::text[])`;
    case 'contains':
      return sql<SqlBool>`EXISTS (SELECT 1 FROM unnest(${ref}) AS element WHERE element ILIKE ${likeFragment(condition.value)})`;
    case 'empty':
      return sql<SqlBool>`cardinality(${ref}) = 0`;
    case 'not_empty':
      return sql<SqlBool>`cardinality(${ref}) > 0`;
    default:
      throw new Error(`operator ${condition.op} does not apply to arrays`);
  }
}

function jsonArrayCondition(ref: RawBuilder<unknown>, condition: FilterCondition): RawBuilder<SqlBool> {
  const list = (Array.isArray(condition.value) ? condition.value : [condition.value ?? null]).map(String);
  switch (condition.op) {
    case 'eq':
    case 'in':
      return sql<SqlBool>`coalesce(${ref}, '[]'::jsonb) ?| ${list}::text[]`;
    case 'neq':
      return sql<SqlBool>`NOT (coalesce(${ref}, '[]'::jsonb) ?| ${list}::text[])`;
    case 'empty':
      return sql<SqlBool>`coalesce(jsonb_array_length(${ref}), 0) = 0`;
    case 'not_empty':
      return sql<SqlBool>`coalesce(jsonb_array_length(${ref}), 0) > 0`;
    default:
      throw new Error(`operator ${condition.op} does not apply to multi-select fields`);
  }
}
