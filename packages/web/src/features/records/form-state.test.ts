import type { Company, Contact, CustomField } from '@rapport/shared';
import { describe, expect, it } from 'vitest';
import { buildBody, draftOf, duplicateQuery, errorKey, isContactPointError, missingRequired } from './form-state';

const ME = '0190a000-0000-7000-8000-0000000000aa';
const ACME = '0190a000-0000-7000-8000-0000000000c1';

const company = {
  id: '0190a000-0000-7000-8000-000000000001',
  name: 'Acme',
  legalName: null,
  kind: 'customer',
  industry: 'Retail',
  vat: null,
  inn: '7707083893',
  kpp: null,
  ogrn: null,
  legalAddress: null,
  actualAddress: null,
  phones: [{ type: 'work', number: '+7 916 123-45-67', e164: '+79161234567' }],
  emails: [{ type: 'work', email: 'info@acme.test' }],
  website: null,
  parentId: null,
  parentName: null,
  status: 'active',
  ownerId: ME,
  ownerName: 'Ada',
  teamId: null,
  tags: ['vip'],
  custom: { loyalty: 'gold' },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  createdBy: null,
  updatedBy: null,
  deletedAt: null,
  lastActivityAt: null,
  version: 3,
} as Company;

describe('record form state', () => {
  it('sends everything filled for a new record, and nothing empty', () => {
    const draft = draftOf('company', null, ME);
    draft.text.name = '  Globex ';
    draft.phones = [
      { type: 'work', number: '' },
      { type: 'mobile', number: ' 8 916 000-00-01 ' },
    ];
    draft.custom = { loyalty: 'silver', note: '' };
    const { body, rowOf, identityChanged } = buildBody('company', draft, draftOf('company', null, ME), null);
    expect(body).toEqual({ name: 'Globex', kind: 'prospect', status: 'active', phones: [{ type: 'mobile', number: '8 916 000-00-01' }], ownerId: ME, custom: { loyalty: 'silver' } });
    expect(rowOf.phones).toEqual([1]);
    expect(identityChanged).toBe(true);
  });

  it('sends only what changed in an edit, with the version', () => {
    const initial = draftOf('company', company, ME);
    const draft = structuredClone(initial);
    expect(buildBody('company', draft, initial, 3)).toMatchObject({ body: { version: 3 }, identityChanged: false });

    draft.text.industry = '';
    draft.choice.kind = 'partner';
    draft.custom.loyalty = null;
    draft.tags = ['vip', 'key'];
    const built = buildBody('company', draft, initial, 3);
    expect(built.body).toEqual({ industry: null, kind: 'partner', tags: ['vip', 'key'], custom: { loyalty: null }, version: 3 });
    expect(built.identityChanged).toBe(false);

    draft.emails.push({ type: 'personal', email: 'boss@acme.test' });
    const withEmail = buildBody('company', draft, initial, 3);
    expect(withEmail.body.emails).toEqual([
      { type: 'work', email: 'info@acme.test' },
      { type: 'personal', email: 'boss@acme.test' },
    ]);
    expect(withEmail.body.phones).toBeUndefined();
    expect(withEmail.identityChanged).toBe(true);
  });

  it("sends a contact's companies with roles, and checks duplicates within them", () => {
    const initial = draftOf('contact', null, ME);
    const draft = structuredClone(initial);
    draft.text.firstName = 'Ivan';
    draft.text.lastName = 'Petrov';
    draft.companies = [
      { companyId: ACME, role: ' Director ', isPrimary: true },
      { companyId: null, role: 'ignored', isPrimary: false },
    ];
    draft.messengers = [{ type: 'telegram', handle: '@ivan' }];
    const { body } = buildBody('contact', draft, initial, null);
    expect(body).toMatchObject({ firstName: 'Ivan', lastName: 'Petrov', companies: [{ companyId: ACME, role: 'Director', isPrimary: true }], messengers: [{ type: 'telegram', handle: '@ivan' }] });
    expect(duplicateQuery('contact', draft, null)).toEqual({ name: 'Ivan Petrov', companyIds: [ACME] });
  });

  it('asks the duplicate check with names, phones, e-mails and tax numbers', () => {
    const draft = draftOf('company', company, ME);
    expect(duplicateQuery('company', draft, company.id)).toEqual({
      name: 'Acme',
      phones: [{ type: 'work', number: '+7 916 123-45-67' }],
      emails: [{ type: 'work', email: 'info@acme.test' }],
      inn: '7707083893',
      excludeId: company.id,
    });
  });

  it('puts server field errors on the form rows they came from', () => {
    const rowOf = { phones: [1, 3], emails: [0], messengers: [], companies: [2] };
    expect(errorKey('/body/phones/1/number', rowOf)).toBe('phones.3.number');
    expect(errorKey('/body/emails/0/email', rowOf)).toBe('emails.0.email');
    expect(errorKey('/body/companies/0/companyId', rowOf)).toBe('companies.2.companyId');
    expect(errorKey('/body/custom/loyalty', rowOf)).toBe('custom.loyalty');
    expect(errorKey('/body/name', rowOf)).toBe('name');
    expect(isContactPointError('phones.3.number')).toBe(true);
    expect(isContactPointError('emails.0.email')).toBe(true);
    expect(isContactPointError('custom.loyalty')).toBe(false);
  });

  it('names required fields left empty', () => {
    const fields = [{ key: 'loyalty', required: true }, { key: 'note', required: false }] as CustomField[];
    const draft = draftOf('contact', null, ME);
    expect(missingRequired(draft, 'contact', fields)).toEqual(['firstName', 'custom.loyalty']);
    draft.text.firstName = 'Ann';
    draft.custom.loyalty = 'gold';
    expect(missingRequired(draft, 'contact', fields)).toEqual([]);
  });

  it('starts a contact from its record', () => {
    const contact = { firstName: 'Ann', middleName: null, lastName: 'Lee', phones: [], emails: [], messengers: [], companies: [{ companyId: ACME, companyName: 'Acme', role: null, isPrimary: false }], ownerId: ME, tags: [], custom: {}, emailOptIn: true, smsOptIn: false, source: null } as unknown as Contact;
    const draft = draftOf('contact', contact, 'someone-else');
    expect(draft.text).toMatchObject({ firstName: 'Ann', middleName: '', lastName: 'Lee' });
    expect(draft.flags).toEqual({ emailOptIn: true, smsOptIn: false });
    expect(draft.companies).toEqual([{ companyId: ACME, role: '', isPrimary: false }]);
    expect(draft.ownerId).toBe(ME);
  });
});
