/// <reference types="node" />
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES, PERMISSION_ACTIONS, PERMISSION_OBJECTS, SCOPES } from '@rapport/shared';
import { describe, expect, it } from 'vitest';
import { DICTIONARIES, mergeTrees, type Tree } from './dictionaries';

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const result = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') result.set(path, value);
    else for (const [inner, text] of flatten(value, path)) result.set(inner, text);
  }
  return result;
}

const english = flatten(DICTIONARIES.en);
const russian = flatten(DICTIONARIES.ru);
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]).sort();

const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.password_reset_request',
  'auth.password_reset',
  'user.create',
  'user.invite',
  'user.invite_accept',
  'user.invite_resend',
  'user.update',
  'user.access_change',
  'user.profile_update',
  'role.create',
  'role.update',
  'role.permissions_change',
  'role.delete',
  'team.create',
  'team.update',
  'team.delete',
  'api_key.create',
  'api_key.revoke',
  'workspace.create',
  'workspace.seed_demo',
];

/** Keys written literally in the code, e.g. t('users.title'); dynamic keys are covered by the lists above. */
function literalKeys(dir: string): Set<string> {
  const keys = new Set<string>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      for (const key of literalKeys(path)) keys.add(key);
    } else if (/\.tsx?$/.test(name) && !name.endsWith('.test.ts')) {
      const source = readFileSync(path, 'utf8');
      for (const match of source.matchAll(/(?:\bt\(|i18nKey=|labelKey: |descriptionKey: |key: )'([a-zA-Z]+(?:\.[a-zA-Z0-9_]+)+)'/g)) keys.add(match[1]!);
    }
  }
  return keys;
}

describe('dictionaries', () => {
  it('refuse a key that two files define', () => {
    expect(() => mergeTrees({ tasks: { title: 'Tasks' } }, { tasks: { title: 'Other' } })).toThrow('tasks.title');
    expect(mergeTrees({ tasks: { title: 'Tasks' } }, { tasks: { due: 'Due' } })).toEqual({ tasks: { title: 'Tasks', due: 'Due' } });
  });

  it('have the same keys in English and Russian', () => {
    expect([...russian.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('have no empty values', () => {
    for (const [key, text] of [...english, ...russian]) expect(text.trim(), key).not.toBe('');
  });

  it('use the same placeholders in both languages', () => {
    for (const [key, text] of english) expect(placeholders(russian.get(key) ?? ''), key).toEqual(placeholders(text));
  });

  it('translate every API error code', () => {
    for (const code of Object.keys(ERROR_CODES)) expect(english.has(`errors.${code}`), code).toBe(true);
  });

  it('name every object, action and scope of the permission matrix', () => {
    for (const object of PERMISSION_OBJECTS) expect(english.has(`permissions.objects.${object}`), object).toBe(true);
    for (const action of PERMISSION_ACTIONS) expect(english.has(`permissions.actions.${action}`), action).toBe(true);
    for (const scope of SCOPES) expect(english.has(`permissions.scopes.${scope}`), scope).toBe(true);
  });

  it('render notifications with their parameters', () => {
    expect(placeholders(english.get('notifications.inviteAccepted') ?? '')).toEqual(['name']);
    expect(placeholders(english.get('notifications.accessChanged') ?? '')).toEqual(['by']);
  });

  it('name the audit actions', () => {
    for (const action of AUDIT_ACTIONS) expect(english.has(`audit.actions.${action}`), action).toBe(true);
  });

  it('contain every key the code uses literally', () => {
    const source = join(fileURLToPath(new URL('.', import.meta.url)), '..');
    const missing = [...literalKeys(source)].filter((key) => !english.has(key));
    expect(missing).toEqual([]);
  });
});
