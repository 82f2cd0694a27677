import type { FieldKind, ObjectField } from '@rapport/shared';
import type { FormObject } from './objects';
import type { FormSection } from './record-form';

/** The field sections of a card, in order; custom fields follow in a section of their own. */
export const CARD_SECTIONS: Record<FormObject, { id: FormSection; titleKey: string; fields: [string, FieldKind?][] }[]> = {
  company: [
    { id: 'main', titleKey: 'records.sections.main', fields: [['legalName'], ['kind', 'select'], ['status', 'select'], ['industry'], ['parentId', 'relation'], ['website', 'url']] },
    { id: 'contacts', titleKey: 'records.sections.contacts', fields: [['phone', 'phone'], ['email', 'email']] },
    { id: 'requisites', titleKey: 'records.sections.requisites', fields: [['inn'], ['kpp'], ['ogrn'], ['vat'], ['legalAddress'], ['actualAddress']] },
    { id: 'more', titleKey: 'records.sections.more', fields: [['ownerId', 'user'], ['teamId', 'relation'], ['tags'], ['createdAt', 'datetime'], ['updatedAt', 'datetime']] },
  ],
  contact: [
    { id: 'main', titleKey: 'records.sections.main', fields: [['firstName'], ['middleName'], ['lastName'], ['position'], ['birthday', 'date'], ['source', 'select']] },
    { id: 'contacts', titleKey: 'records.sections.contacts', fields: [['phone', 'phone'], ['email', 'email'], ['messenger']] },
    { id: 'more', titleKey: 'records.sections.more', fields: [['address'], ['emailOptIn', 'boolean'], ['smsOptIn', 'boolean'], ['ownerId', 'user'], ['teamId', 'relation'], ['tags'], ['createdAt', 'datetime'], ['updatedAt', 'datetime']] },
  ],
  lead: [
    { id: 'main', titleKey: 'records.sections.main', fields: [['companyName'], ['position'], ['source', 'select'], ['status', 'select'], ['disqualifyReason'], ['description']] },
    { id: 'contacts', titleKey: 'records.sections.contacts', fields: [['phone', 'phone'], ['email', 'email']] },
    { id: 'more', titleKey: 'records.sections.more', fields: [['ownerId', 'user'], ['teamId', 'relation'], ['tags'], ['createdAt', 'datetime'], ['updatedAt', 'datetime']] },
  ],
};

/** Fields whose surviving value is chosen when merging (phones, e-mails, messengers and tags are united instead). */
export const MERGE_FIELDS: Record<FormObject, [string, FieldKind?][]> = {
  company: [['name'], ['legalName'], ['kind', 'select'], ['status', 'select'], ['industry'], ['inn'], ['kpp'], ['ogrn'], ['vat'], ['legalAddress'], ['actualAddress'], ['website', 'url'], ['parentId', 'relation']],
  contact: [['firstName'], ['middleName'], ['lastName'], ['position'], ['birthday', 'date'], ['address'], ['photoUrl', 'url'], ['source', 'select'], ['emailOptIn', 'boolean'], ['smsOptIn', 'boolean']],
  lead: [['name'], ['companyName'], ['position'], ['source', 'select'], ['description']],
};

/** The catalogue's entry for a key, or a plain one for properties the catalogue does not list (addresses, notes). */
export function fieldFor(fields: ObjectField[] | undefined, key: string, kind: FieldKind = 'text'): ObjectField {
  return fields?.find((field) => field.key === key) ?? { key, labelKey: null, label: null, kind, options: [], filterOps: [], sortable: false, custom: false, bulkEditable: false, target: null };
}
