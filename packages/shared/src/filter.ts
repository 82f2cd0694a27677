import type { FieldError } from './errors.js';

/**
 * The one filter grammar shared by lists, saved views, segments and reports.
 * A filter is a condition or an `and` / `or` group of filters; it travels as JSON in the `filter` query parameter.
 */
export const FILTER_OPS = ['eq', 'neq', 'contains', 'in', 'gt', 'gte', 'lt', 'lte', 'between', 'empty', 'not_empty'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export type FilterValue = string | number | boolean | null;

export interface FilterCondition {
  field: string;
  op: FilterOp;
  value?: FilterValue | FilterValue[];
}

export type Filter = FilterCondition | { and: Filter[] } | { or: Filter[] };

export type FilterFieldType = 'text' | 'number' | 'date' | 'boolean' | 'enum' | 'uuid';

export interface FilterField {
  type: FilterFieldType;
  /** Allowed values of an enum field. */
  values?: readonly string[];
}

const OPS_BY_TYPE: Record<FilterFieldType, readonly FilterOp[]> = {
  text: ['eq', 'neq', 'contains', 'in', 'empty', 'not_empty'],
  number: ['eq', 'neq', 'in', 'gt', 'gte', 'lt', 'lte', 'between', 'empty', 'not_empty'],
  date: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'empty', 'not_empty'],
  boolean: ['eq', 'neq', 'empty', 'not_empty'],
  enum: ['eq', 'neq', 'in', 'empty', 'not_empty'],
  uuid: ['eq', 'neq', 'in', 'empty', 'not_empty'],
};

const MAX_DEPTH = 4;
const MAX_CONDITIONS = 50;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Whether a text is a UUID as filters accept it. */
export const isUuid = (value: string) => UUID_RE.test(value);

export type FilterResult = { ok: true; filter: Filter | undefined } | { ok: false; errors: FieldError[] };

/** Parses and checks a filter against the fields an object exposes; every problem is reported with its JSON path. */
export function parseFilter(raw: string | undefined, fields: Record<string, FilterField>, basePath = '/query/filter'): FilterResult {
  if (raw === undefined || raw.trim() === '') return { ok: true, filter: undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { ok: false, errors: [{ path: basePath, message: 'filter is not valid JSON' }] };
  }
  const errors: FieldError[] = [];
  let count = 0;

  const check = (node: unknown, path: string, depth: number): void => {
    if (depth > MAX_DEPTH) {
      errors.push({ path, message: `filter groups nest at most ${MAX_DEPTH} deep` });
      return;
    }
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      errors.push({ path, message: 'expected a condition or an and/or group' });
      return;
    }
    const record = node as Record<string, unknown>;
    for (const group of ['and', 'or'] as const) {
      if (group in record) {
        const items = record[group];
        if (!Array.isArray(items) || items.length === 0) {
          errors.push({ path: `${path}/${group}`, message: 'expected a non-empty array' });
          return;
        }
        items.forEach((item, i) => check(item, `${path}/${group}/${i}`, depth + 1));
        return;
      }
    }
    count += 1;
    checkCondition(record, path, fields, errors);
  };

  check(parsed, basePath, 0);
  if (count > MAX_CONDITIONS) errors.push({ path: basePath, message: `at most ${MAX_CONDITIONS} conditions` });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, filter: parsed as Filter };
}

function checkCondition(node: Record<string, unknown>, path: string, fields: Record<string, FilterField>, errors: FieldError[]): void {
  const { field, op, value } = node;
  const extra = Object.keys(node).filter((key) => !['field', 'op', 'value'].includes(key));
  if (extra.length > 0) errors.push({ path: `${path}/${extra[0]}`, message: 'unknown key' });
  const spec = typeof field === 'string' ? fields[field] : undefined;
  if (spec === undefined) {
    errors.push({ path: `${path}/field`, message: `unknown field; one of: ${Object.keys(fields).join(', ')}` });
    return;
  }
  if (typeof op !== 'string' || !OPS_BY_TYPE[spec.type].includes(op as FilterOp)) {
    errors.push({ path: `${path}/op`, message: `operator must be one of: ${OPS_BY_TYPE[spec.type].join(', ')}` });
    return;
  }
  const valuePath = `${path}/value`;
  if (op === 'empty' || op === 'not_empty') return;
  if (op === 'in' || op === 'between') {
    if (!Array.isArray(value) || value.length === 0 || (op === 'between' && value.length !== 2)) {
      errors.push({ path: valuePath, message: op === 'between' ? 'expected [from, to]' : 'expected a non-empty array' });
      return;
    }
    value.forEach((item, i) => checkValue(item, spec, `${valuePath}/${i}`, errors));
    return;
  }
  checkValue(value, spec, valuePath, errors);
}

function checkValue(value: unknown, spec: FilterField, path: string, errors: FieldError[]): void {
  const fail = (message: string): void => {
    errors.push({ path, message });
  };
  switch (spec.type) {
    case 'text':
      if (typeof value !== 'string') fail('expected a string');
      break;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail('expected a number');
      break;
    case 'boolean':
      if (typeof value !== 'boolean') fail('expected true or false');
      break;
    case 'date':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) fail('expected an ISO date');
      break;
    case 'enum':
      if (typeof value !== 'string' || !(spec.values ?? []).includes(value)) fail(`expected one of: ${(spec.values ?? []).join(', ')}`);
      break;
    case 'uuid':
      if (typeof value !== 'string' || !isUuid(value)) fail('expected a UUID');
      break;
  }
}
