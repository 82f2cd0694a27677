import type { PermissionAction, PermissionObject } from '@rapport/shared';
import type { IconName } from '../components/icons';

export interface SettingsSection {
  path: string;
  labelKey: string;
  descriptionKey: string;
  object: PermissionObject;
  action: PermissionAction;
}

/** Settings pages and the right each one needs (the API enforces the same rights). */
export const SETTINGS_SECTIONS: SettingsSection[] = [
  { path: '/settings/users', labelKey: 'settings.nav.users', descriptionKey: 'settings.describe.users', object: 'user', action: 'read' },
  { path: '/settings/teams', labelKey: 'settings.nav.teams', descriptionKey: 'settings.describe.teams', object: 'team', action: 'read' },
  { path: '/settings/roles', labelKey: 'settings.nav.roles', descriptionKey: 'settings.describe.roles', object: 'role', action: 'read' },
  { path: '/settings/api-keys', labelKey: 'settings.nav.apiKeys', descriptionKey: 'settings.describe.apiKeys', object: 'api_key', action: 'read' },
  { path: '/settings/audit', labelKey: 'settings.nav.audit', descriptionKey: 'settings.describe.audit', object: 'audit', action: 'read' },
  { path: '/settings/mail-outbox', labelKey: 'settings.nav.mailOutbox', descriptionKey: 'settings.describe.mailOutbox', object: 'settings', action: 'read' },
];

/** Areas of the product still to come: listed in the navigation, not yet pages. */
export const UPCOMING_AREAS: { key: string; icon: IconName }[] = [
  { key: 'companies', icon: 'building' },
  { key: 'contacts', icon: 'user' },
  { key: 'leads', icon: 'target' },
  { key: 'deals', icon: 'briefcase' },
  { key: 'tasks', icon: 'check' },
  { key: 'calendar', icon: 'calendar' },
  { key: 'processes', icon: 'flow' },
  { key: 'reports', icon: 'chart' },
];
