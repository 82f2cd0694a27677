import type { ClientObject, Company, Contact, Lead } from '@rapport/shared';
import type { IconName } from '../../components/icons';

export type ClientRecord = Company | Contact | Lead;
export type RecordOf<O extends ClientObject> = O extends 'company' ? Company : O extends 'contact' ? Contact : Lead;

export interface ObjectConfig {
  object: ClientObject;
  /** URL segment of the list and cards, and of the API: `/companies`, `/api/v1/companies`. */
  path: string;
  icon: IconName;
  /** Columns a list shows until the user picks others (field catalogue keys). */
  defaultColumns: string[];
}

export const OBJECTS: Record<ClientObject, ObjectConfig> = {
  company: { object: 'company', path: 'companies', icon: 'building', defaultColumns: ['name', 'kind', 'industry', 'phone', 'email', 'ownerId', 'updatedAt'] },
  contact: { object: 'contact', path: 'contacts', icon: 'user', defaultColumns: ['name', 'position', 'companyId', 'phone', 'email', 'ownerId', 'updatedAt'] },
  lead: { object: 'lead', path: 'leads', icon: 'target', defaultColumns: ['name', 'companyName', 'status', 'source', 'phone', 'ownerId', 'createdAt'] },
};

export const CLIENT_OBJECT_LIST: ClientObject[] = ['company', 'contact', 'lead'];

export function recordUrl(object: ClientObject, id: string): string {
  return `/${OBJECTS[object].path}/${id}`;
}

export function listUrl(object: ClientObject): string {
  return `/${OBJECTS[object].path}`;
}

export function isContact(record: ClientRecord): record is Contact {
  return 'firstName' in record;
}

export function isCompany(record: ClientRecord): record is Company {
  return 'kind' in record && 'legalName' in record;
}

export function isLead(record: ClientRecord): record is Lead {
  return 'convertedAt' in record;
}
