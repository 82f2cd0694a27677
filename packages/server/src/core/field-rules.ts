import type { PermissionObject } from '@rapport/shared';
import { AppError } from './app-error.js';
import type { Actor } from './context.js';

/** Removes the fields the actor's role hides on this object. */
export function hideFields<T extends object>(actor: Actor, object: PermissionObject, record: T): T {
  const rules = actor.fieldRules[object];
  if (!rules) return record;
  const copy = { ...record } as Record<string, unknown>;
  for (const [field, access] of Object.entries(rules)) if (access === 'hidden') delete copy[field];
  return copy as T;
}

/** Rejects a change to any field the role makes read-only or hidden, naming each field. */
export function assertWritable(actor: Actor, object: PermissionObject, patch: object): void {
  const rules = actor.fieldRules[object];
  if (!rules) return;
  const blocked = Object.keys(patch).filter((field) => rules[field] !== undefined);
  if (blocked.length > 0) {
    throw new AppError('forbidden', {
      message: 'Your role cannot change these fields',
      errors: blocked.map((field) => ({ path: `/body/${field}`, message: 'read-only for your role' })),
    });
  }
}
