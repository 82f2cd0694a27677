import type { Filter, FilterCondition, FilterValue } from '@rapport/shared';
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';

/** Maps a filter field name to the SQL column (or expression) it reads. */
export type FilterColumns = Record<string, string>;

/** Turns a parsed, validated filter (packages/shared/filter.ts) into a WHERE expression over known columns only. */
export function filterExpression<DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, filter: Filter, columns: FilterColumns): Expression<SqlBool> {
  if ('and' in filter) return eb.and(filter.and.map((part) => filterExpression(eb, part, columns)));
  if ('or' in filter) return eb.or(filter.or.map((part) => filterExpression(eb, part, columns)));
  return conditionExpression(filter, columns);
}

function conditionExpression(condition: FilterCondition, columns: FilterColumns): Expression<SqlBool> {
  const column = columns[condition.field];
  if (column === undefined) throw new Error(`filter field ${condition.field} has no column`);
  const ref = sql.ref(column);
  const value = condition.value as FilterValue;
  const list = (condition.value ?? []) as FilterValue[];
  switch (condition.op) {
    case 'eq':
      return sql<SqlBool>`${ref} = ${value}`;
    case 'neq':
      return sql<SqlBool>`${ref} IS DISTINCT FROM ${value}`;
    case 'contains':
      return sql<SqlBool>`${ref} ILIKE ${`%${String(value).replace(/[%_\\]/g, '\\$&')}%`}`;
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
