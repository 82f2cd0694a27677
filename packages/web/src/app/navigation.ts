import type { ClientObject, PermissionAction, PermissionObject } from '@rapport/shared';
import type { IconName } from '../components/icons';

export interface SettingsSection {
  path: string;
  labelKey: string;
  descriptionKey: string;
  object: PermissionObject;
  action: PermissionAction;
  /** Other rights, any one of which also opens the section. */
  orAny?: { object: PermissionObject; action: PermissionAction }[];
}

/** Whether the user may open a settings section. */
export function canOpenSection(section: SettingsSection, can: (object: PermissionObject, action: PermissionAction) => boolean): boolean {
  return can(section.object, section.action) || (section.orAny ?? []).some((right) => can(right.object, right.action));
}

/** Settings pages and the right each one needs (the API enforces the same rights). */
export const SETTINGS_SECTIONS: SettingsSection[] = [
  { path: '/settings/users', labelKey: 'settings.nav.users', descriptionKey: 'settings.describe.users', object: 'user', action: 'read' },
  { path: '/settings/teams', labelKey: 'settings.nav.teams', descriptionKey: 'settings.describe.teams', object: 'team', action: 'read' },
  { path: '/settings/roles', labelKey: 'settings.nav.roles', descriptionKey: 'settings.describe.roles', object: 'role', action: 'read' },
  { path: '/settings/api-keys', labelKey: 'settings.nav.apiKeys', descriptionKey: 'settings.describe.apiKeys', object: 'api_key', action: 'read' },
  { path: '/settings/audit', labelKey: 'settings.nav.audit', descriptionKey: 'settings.describe.audit', object: 'audit', action: 'read' },
  { path: '/settings/mail-outbox', labelKey: 'settings.nav.mailOutbox', descriptionKey: 'settings.describe.mailOutbox', object: 'settings', action: 'read' },
  { path: '/settings/custom-fields', labelKey: 'settings.nav.customFields', descriptionKey: 'settings.describe.customFields', object: 'settings', action: 'update' },
  { path: '/settings/tasks', labelKey: 'settings.nav.tasks', descriptionKey: 'settings.describe.tasks', object: 'settings', action: 'read' },
  { path: '/settings/pipelines', labelKey: 'settings.nav.pipelines', descriptionKey: 'settings.describe.pipelines', object: 'settings', action: 'update' },
  { path: '/settings/products', labelKey: 'settings.nav.products', descriptionKey: 'settings.describe.products', object: 'settings', action: 'update' },
  { path: '/settings/price-lists', labelKey: 'settings.nav.priceLists', descriptionKey: 'settings.describe.priceLists', object: 'settings', action: 'update' },
  { path: '/settings/workspace', labelKey: 'settings.nav.workspace', descriptionKey: 'settings.describe.workspace', object: 'settings', action: 'update' },
  { path: '/settings/documents', labelKey: 'settings.nav.documents', descriptionKey: 'settings.describe.documents', object: 'settings', action: 'update' },
  { path: '/settings/web-forms', labelKey: 'settings.nav.webForms', descriptionKey: 'settings.describe.webForms', object: 'settings', action: 'update' },
  { path: '/settings/lead-distribution', labelKey: 'settings.nav.leadDistribution', descriptionKey: 'settings.describe.leadDistribution', object: 'settings', action: 'update' },
  { path: '/settings/import', labelKey: 'settings.nav.import', descriptionKey: 'settings.describe.import', object: 'contact', action: 'import', orAny: [{ object: 'company', action: 'import' }, { object: 'lead', action: 'import' }, { object: 'settings', action: 'update' }] },
  // Fixing data is editing it: whoever may change companies, contacts or leads (the API keeps to their scope).
  {
    path: '/settings/data-quality',
    labelKey: 'settings.nav.dataQuality',
    descriptionKey: 'settings.describe.dataQuality',
    object: 'contact',
    action: 'update',
    orAny: [
      { object: 'company', action: 'update' },
      { object: 'lead', action: 'update' },
    ],
  },
  // The API lists deleted records within the delete right (whoever may delete may see and restore).
  {
    path: '/settings/recycle-bin',
    labelKey: 'settings.nav.recycleBin',
    descriptionKey: 'settings.describe.recycleBin',
    object: 'company',
    action: 'delete',
    orAny: [
      { object: 'contact', action: 'delete' },
      { object: 'lead', action: 'delete' },
      { object: 'deal', action: 'delete' },
      { object: 'task', action: 'delete' },
    ],
  },
];

/** The client base: real pages, shown to whoever may read the object. */
export const CLIENT_AREAS: { key: string; object: ClientObject; path: string; icon: IconName }[] = [
  { key: 'companies', object: 'company', path: '/companies', icon: 'building' },
  { key: 'contacts', object: 'contact', path: '/contacts', icon: 'user' },
  { key: 'leads', object: 'lead', path: '/leads', icon: 'target' },
  { key: 'deals', object: 'deal', path: '/deals', icon: 'briefcase' },
];

/** Work areas beyond the client base: shown to whoever has any one of the rights listed. */
export const WORK_AREAS: { key: string; path: string; icon: IconName; anyOf: PermissionObject[] }[] = [
  { key: 'tasks', path: '/tasks', icon: 'check', anyOf: ['task'] },
  { key: 'calendar', path: '/calendar', icon: 'calendar', anyOf: ['task', 'activity'] },
  { key: 'rotation', path: '/rotation', icon: 'rotate', anyOf: ['company', 'contact', 'lead'] },
  { key: 'reports', path: '/reports', icon: 'chart', anyOf: ['report'] },
  { key: 'processes', path: '/processes', icon: 'flow', anyOf: ['process'] },
];

