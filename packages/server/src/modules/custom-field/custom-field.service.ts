import type { ClientObject, CustomField, CustomFieldBody, CustomFieldUpdateBody, CustomValues, FieldError } from '@rapport/shared';
import { normalizeEmail } from '@rapport/shared';
import type { Selectable } from 'kysely';
import { accessScope, can } from '../../core/access-scope.js';
import { AppError, requireVersion } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import { diffFields } from '../../core/diff.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import type { CustomFieldTable } from '../../infra/db-schema.js';
import { newId } from '../../infra/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { findCustomField, insertCustomField, listCustomFields, updateCustomField } from './custom-field.repository.js';

export type CustomFieldRow = Selectable<CustomFieldTable>;

function toCustomField(row: CustomFieldRow): CustomField {
  return {
    id: row.id,
    object: row.object,
    key: row.key,
    label: row.label,
    kind: row.kind as CustomField['kind'],
    options: row.options,
    relationObject: row.relation_object,
    currency: row.currency,
    required: row.required,
    filterable: row.filterable,
    showInList: row.show_in_list,
    position: row.position,
    createdAt: row.created_at.toISOString(),
    version: row.version,
  };
}

/** The field registry of one object, for validation, filters and lists. */
export async function customFieldsOf(ex: Executor, workspaceId: string, object: ClientObject): Promise<CustomField[]> {
  return (await listCustomFields(ex, workspaceId, object)).map(toCustomField);
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(value: string): boolean {
  if (!DATE_RE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** Checks one value against its field's type; returns the value to store, or an error message. */
function checkValue(field: CustomField, value: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  const fail = (message: string) => ({ ok: false as const, message });
  const options = field.options.map((option) => option.value);
  switch (field.kind) {
    case 'text':
    case 'phone':
      return typeof value === 'string' && value.length <= 2000 ? { ok: true, value: value.trim() } : fail('expected text of at most 2000 characters');
    case 'url':
      if (typeof value !== 'string') return fail('expected a URL');
      try {
        const url = new URL(value.trim());
        return url.protocol === 'http:' || url.protocol === 'https:' ? { ok: true, value: url.toString() } : fail('expected an http(s) URL');
      } catch {
        return fail('expected a URL');
      }
    case 'email': {
      const email = typeof value === 'string' ? normalizeEmail(value) : null;
      return email ? { ok: true, value: email } : fail('expected an e-mail address');
    }
    case 'number':
    case 'money':
      return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) < 1e15 ? { ok: true, value } : fail('expected a number');
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : fail('expected true or false');
    case 'date':
      return typeof value === 'string' && isRealDate(value) ? { ok: true, value } : fail('expected a date (YYYY-MM-DD)');
    case 'datetime':
      // The calendar date must exist as written: Date.parse rolls 30 February over into March.
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && isRealDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value)) ? { ok: true, value: new Date(value).toISOString() } : fail('expected a date and time (ISO 8601)');
    case 'select':
      return typeof value === 'string' && options.includes(value) ? { ok: true, value } : fail(`expected one of: ${options.join(', ')}`);
    case 'multiselect':
      return Array.isArray(value) && value.every((item) => typeof item === 'string' && options.includes(item))
        ? { ok: true, value: [...new Set(value as string[])] }
        : fail(`expected a list of: ${options.join(', ')}`);
    case 'user':
    case 'relation':
      return typeof value === 'string' && UUID_RE.test(value) ? { ok: true, value: value.toLowerCase() } : fail('expected an id');
  }
}

/**
 * Validates custom values against the registry and merges them over the current ones. `null` clears a value.
 * Unknown keys and wrong types are field errors naming `/body/custom/<key>`; required fields must stay filled.
 */
export function applyCustomValues(fields: CustomField[], current: CustomValues, input: CustomValues | undefined, basePath = '/body/custom'): CustomValues {
  const byKey = new Map(fields.map((field) => [field.key, field]));
  const result: CustomValues = { ...current };
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(input ?? {})) {
    const field = byKey.get(key);
    if (!field) {
      errors.push({ path: `${basePath}/${key}`, message: 'unknown custom field' });
      continue;
    }
    if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) {
      delete result[key];
      continue;
    }
    const checked = checkValue(field, value);
    if (checked.ok) result[key] = checked.value;
    else errors.push({ path: `${basePath}/${key}`, message: checked.message });
  }
  for (const field of fields) {
    if (field.required && result[field.key] === undefined && !errors.some((error) => error.path === `${basePath}/${field.key}`)) {
      errors.push({ path: `${basePath}/${field.key}`, message: 'required' });
    }
  }
  if (errors.length > 0) throw new AppError('validation', { message: 'Some custom fields are not valid', errors });
  return result;
}

const CHOICE_KINDS = new Set(['select', 'multiselect']);

function checkDefinition(input: { kind?: string; options?: { value: string }[] | undefined; relationObject?: ClientObject | null | undefined }): void {
  const errors: FieldError[] = [];
  if (input.kind && CHOICE_KINDS.has(input.kind) && (input.options ?? []).length === 0) errors.push({ path: '/body/options', message: 'a choice field needs at least one option' });
  const values = (input.options ?? []).map((option) => option.value);
  if (new Set(values).size !== values.length) errors.push({ path: '/body/options', message: 'option values must be unique' });
  if (input.kind === 'relation' && !input.relationObject) errors.push({ path: '/body/relationObject', message: 'a relation field names the object it points to' });
  if (errors.length > 0) throw new AppError('validation', { message: 'The field definition is not valid', errors });
}

export function createCustomFieldService(deps: ServiceDeps) {
  /** Anyone who can read an object sees its field definitions (forms and lists need them). */
  async function list(ctx: Ctx, object: ClientObject | undefined): Promise<CustomField[]> {
    const rows = await listCustomFields(deps.db, ctx.actor.workspaceId, object);
    return rows.filter((row) => can(ctx.actor, row.object, 'read')).map(toCustomField);
  }

  async function create(ctx: Ctx, input: CustomFieldBody): Promise<CustomField> {
    accessScope(ctx.actor, 'settings', 'update');
    checkDefinition(input);
    const { workspaceId, userId } = ctx.actor;
    const id = newId();
    return deps.db.transaction().execute(async (trx) => {
      try {
        await insertCustomField(trx, {
          workspace_id: workspaceId,
          id,
          object: input.object,
          key: input.key,
          label: input.label.trim(),
          kind: input.kind,
          options: JSON.stringify(CHOICE_KINDS.has(input.kind) ? (input.options ?? []) : []),
          relation_object: input.kind === 'relation' ? (input.relationObject ?? null) : null,
          currency: input.kind === 'money' ? (input.currency ?? null) : null,
          required: input.required ?? false,
          filterable: input.filterable ?? true,
          show_in_list: input.showInList ?? false,
          position: input.position ?? 0,
          created_by: userId,
          updated_by: userId,
        });
      } catch (error) {
        if ((error as { code?: string }).code === '23505') throw new AppError('conflict', { message: 'A field with this key exists', errors: [{ path: '/body/key', message: 'already in use' }] });
        throw error;
      }
      await recordAudit(trx, ctx, { action: 'custom_field.create', objectType: 'custom_field', objectId: id, meta: { object: input.object, key: input.key, kind: input.kind, label: input.label } });
      return toCustomField((await findCustomField(trx, workspaceId, id))!);
    });
  }

  async function update(ctx: Ctx, id: string, patch: Omit<CustomFieldUpdateBody, 'version'>, version: number | undefined): Promise<CustomField> {
    accessScope(ctx.actor, 'settings', 'update');
    const expected = requireVersion(version);
    const { workspaceId, userId } = ctx.actor;
    return deps.db.transaction().execute(async (trx) => {
      const before = await findCustomField(trx, workspaceId, id);
      if (!before) throw new AppError('not_found', { message: 'Custom field not found' });
      if (patch.options) checkDefinition({ kind: before.kind, options: patch.options });
      const after = await updateCustomField(trx, workspaceId, id, expected, {
        label: patch.label?.trim(),
        options: patch.options && CHOICE_KINDS.has(before.kind) ? JSON.stringify(patch.options) : undefined,
        required: patch.required,
        filterable: patch.filterable,
        show_in_list: patch.showInList,
        position: patch.position,
        updated_by: userId,
      });
      if (!after) throw new AppError('version_conflict', { message: 'The field was changed by someone else; reload it', currentVersion: before.version });
      await recordAudit(trx, ctx, { action: 'custom_field.update', objectType: 'custom_field', objectId: id, changes: diffFields(before, after, ['label', 'options', 'required', 'filterable', 'show_in_list', 'position']) });
      return toCustomField(after);
    });
  }

  /** Values already stored stay in the records' `custom` column (and in backups); they are no longer shown or validated. */
  async function remove(ctx: Ctx, id: string): Promise<void> {
    accessScope(ctx.actor, 'settings', 'update');
    const { workspaceId, userId } = ctx.actor;
    await deps.db.transaction().execute(async (trx) => {
      const field = await findCustomField(trx, workspaceId, id);
      if (!field) throw new AppError('not_found', { message: 'Custom field not found' });
      await updateCustomField(trx, workspaceId, id, field.version, { deleted_at: new Date(), updated_by: userId });
      await recordAudit(trx, ctx, { action: 'custom_field.delete', objectType: 'custom_field', objectId: id, meta: { object: field.object, key: field.key, label: field.label } });
    });
  }

  return { list, create, update, remove };
}

export type CustomFieldService = ReturnType<typeof createCustomFieldService>;
