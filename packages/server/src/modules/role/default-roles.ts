import { fullMatrix, type Locale, type PermissionMatrix, type Scope } from '@rapport/shared';

const CRM_OBJECTS = ['company', 'contact', 'lead', 'deal', 'activity', 'task', 'process'] as const;

function crm(scope: Scope, extra: PermissionMatrix = {}): PermissionMatrix {
  const matrix: PermissionMatrix = {};
  for (const object of CRM_OBJECTS) {
    matrix[object] = { read: scope, create: scope === 'none' ? 'none' : 'own', update: scope, delete: scope, export: 'none', import: 'none', assign: scope };
  }
  return { ...matrix, ...extra };
}

const readOnly = (scope: Scope) => ({ read: scope });

interface DefaultRole {
  key: 'admin' | 'head' | 'manager' | 'rep';
  names: Record<Locale, string>;
  descriptions: Record<Locale, string>;
  permissions: PermissionMatrix;
}

/** Roles a new workspace starts with; administrators can change all but the first. */
export const DEFAULT_ROLES: DefaultRole[] = [
  {
    key: 'admin',
    names: { en: 'Administrator', ru: 'Администратор' },
    descriptions: { en: 'Everything, including settings, roles and the audit log', ru: 'Все права, включая настройки, роли и журнал аудита' },
    permissions: fullMatrix('all'),
  },
  {
    key: 'head',
    names: { en: 'Head of sales', ru: 'Руководитель продаж' },
    descriptions: { en: 'All client records and reports; sees every team', ru: 'Все клиенты и отчёты; видит все отделы' },
    permissions: crm('all', { report: readOnly('all'), user: readOnly('all'), team: readOnly('all'), audit: readOnly('all') }),
  },
  {
    key: 'manager',
    names: { en: 'Sales manager', ru: 'Менеджер отдела' },
    descriptions: { en: "Their team's and sub-teams' records", ru: 'Записи своего отдела и подотделов' },
    permissions: crm('team_sub', { report: readOnly('team_sub'), user: readOnly('team_sub'), team: readOnly('all') }),
  },
  {
    key: 'rep',
    names: { en: 'Sales rep', ru: 'Менеджер по продажам' },
    descriptions: { en: 'Their own records only', ru: 'Только свои записи' },
    permissions: crm('own', { report: readOnly('own'), user: readOnly('team'), team: readOnly('all') }),
  },
];
