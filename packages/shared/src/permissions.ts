/** Objects a role can grant rights on. CRM objects are listed ahead of their modules so roles can be set up once. */
export const PERMISSION_OBJECTS = [
  'company',
  'contact',
  'lead',
  'deal',
  'activity',
  'task',
  'process',
  'report',
  'user',
  'team',
  'role',
  'api_key',
  'audit',
  'settings',
] as const;
export type PermissionObject = (typeof PERMISSION_OBJECTS)[number];

export const PERMISSION_ACTIONS = ['read', 'create', 'update', 'delete', 'export', 'import', 'assign'] as const;
export type PermissionAction = (typeof PERMISSION_ACTIONS)[number];

/** Ordered from narrowest to widest. */
export const SCOPES = ['none', 'own', 'team', 'team_sub', 'all'] as const;
export type Scope = (typeof SCOPES)[number];

export type PermissionMatrix = Partial<Record<PermissionObject, Partial<Record<PermissionAction, Scope>>>>;

export const FIELD_ACCESS = ['hidden', 'readonly'] as const;
export type FieldAccess = (typeof FIELD_ACCESS)[number];
/** object → field → restriction; fields not listed are visible and editable. */
export type FieldRules = Partial<Record<PermissionObject, Record<string, FieldAccess>>>;

export function scopeOf(matrix: PermissionMatrix, object: PermissionObject, action: PermissionAction): Scope {
  return matrix[object]?.[action] ?? 'none';
}

export function widerScope(a: Scope, b: Scope): Scope {
  return SCOPES.indexOf(a) >= SCOPES.indexOf(b) ? a : b;
}

/** Every object × action at one scope; the administrator role and tests use it. */
export function fullMatrix(scope: Scope): PermissionMatrix {
  const matrix: PermissionMatrix = {};
  for (const object of PERMISSION_OBJECTS) {
    matrix[object] = Object.fromEntries(PERMISSION_ACTIONS.map((action) => [action, scope]));
  }
  return matrix;
}

/** The narrower of two matrices, cell by cell: an API key never exceeds its user's role. */
export function intersectMatrices(a: PermissionMatrix, b: PermissionMatrix): PermissionMatrix {
  const result: PermissionMatrix = {};
  for (const object of PERMISSION_OBJECTS) {
    const row: Partial<Record<PermissionAction, Scope>> = {};
    for (const action of PERMISSION_ACTIONS) {
      const left = scopeOf(a, object, action);
      const right = scopeOf(b, object, action);
      row[action] = SCOPES.indexOf(left) <= SCOPES.indexOf(right) ? left : right;
    }
    result[object] = row;
  }
  return result;
}
