import type { ClientObject, Company, Contact, Deal, Lead } from '@rapport/shared';
import type { IconName } from '../../components/icons';

/** A company, contact or lead: what the generic form, card and merge work on. */
export type ClientRecord = Company | Contact | Lead;
/** Any record a list, picker or link may show. */
export type AnyRecord = ClientRecord | Deal;
export type RecordOf<O extends ClientObject> = O extends 'company' ? Company : O extends 'contact' ? Contact : O extends 'deal' ? Deal : Lead;
/** The objects the generic form, card and merge serve; deals have a card, form and board of their own (features/deals). */
export type FormObject = Exclude<ClientObject, 'deal'>;

export interface ObjectConfig {
  object: ClientObject;
  /** URL segment of the list and cards, and of the API: `/companies`, `/api/v1/companies`. */
  path: string;
  icon: IconName;
  /** Columns a list shows until the user picks others (field catalogue keys). */
  defaultColumns: string[];
  /** The field that names a record: its link in lists, its sort in pickers. */
  titleField: 'name' | 'title';
}

export const OBJECTS: Record<ClientObject, ObjectConfig> = {
  company: { object: 'company', path: 'companies', icon: 'building', defaultColumns: ['name', 'kind', 'industry', 'phone', 'email', 'ownerId', 'updatedAt'], titleField: 'name' },
  contact: { object: 'contact', path: 'contacts', icon: 'user', defaultColumns: ['name', 'position', 'companyId', 'phone', 'email', 'ownerId', 'updatedAt'], titleField: 'name' },
  lead: { object: 'lead', path: 'leads', icon: 'target', defaultColumns: ['name', 'companyName', 'status', 'source', 'phone', 'ownerId', 'createdAt'], titleField: 'name' },
  deal: { object: 'deal', path: 'deals', icon: 'briefcase', defaultColumns: ['title', 'stageId', 'amount', 'companyId', 'expectedCloseDate', 'ownerId', 'updatedAt'], titleField: 'title' },
};

export const CLIENT_OBJECT_LIST: ClientObject[] = ['company', 'contact', 'lead', 'deal'];

/** What a record is called: a deal's title, anyone else's name. */
export function recordTitle(record: AnyRecord): string {
  return 'title' in record ? record.title : record.name;
}

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
