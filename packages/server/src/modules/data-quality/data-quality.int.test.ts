import type { AuditEntry, BulkResult, Company, Contact, DqRecordPage, DqScanResult, DqSummary, ImportJob, PermissionMatrix, ReviewItemPage, TimelineEntry } from '@rapport/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

describe('data quality: problem counts, fixes and the review list of likely duplicates', () => {
  let t: TestApp;
  let admin: Session;
  let rep: Session;
  let reader: Session;

  const contact = async (session: Session, body: Record<string, unknown>) => {
    const response = await as(t, session)('POST', '/api/v1/contacts', body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Contact>();
  };
  const summary = async (session: Session) => {
    const response = await as(t, session)('GET', '/api/v1/data-quality/summary');
    expect(response.statusCode, response.body).toBe(200);
    return response.json<DqSummary>();
  };
  const contactCounts = async (session: Session) => (await summary(session)).objects.find((row) => row.object === 'contact')!;
  const reviewItems = async (session: Session, query = 'object=contact') => {
    const response = await as(t, session)('GET', `/api/v1/data-quality/review-items?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ReviewItemPage>();
  };
  const audit = async (action: string) => (await as(t, admin)('GET', `/api/v1/audit?action=${action}`)).json<{ items: AuditEntry[] }>().items;
  /** Values the application itself refuses, as older data or a direct load can hold them. */
  const spoil = (id: string, column: 'phones' | 'emails', value: unknown) => sql`UPDATE contact SET ${sql.ref(column)} = ${JSON.stringify(value)}::jsonb WHERE id = ${id}`.execute(t.database.db);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t);
    rep = await addUser(t, admin, { role: 'Sales rep' });
    const permissions: PermissionMatrix = { contact: { read: 'all' }, company: { read: 'all' }, lead: { read: 'all' } };
    expect((await as(t, admin)('POST', '/api/v1/roles', { name: 'Reader', permissions })).statusCode).toBe(201);
    reader = await addUser(t, admin, { role: 'Reader' });
  });
  afterAll(() => t.close());

  it('counts unreadable phones and e-mails and deactivated owners, lists them, and fixes them in bulk', async () => {
    const badPhone = await contact(admin, { firstName: 'Bad', lastName: 'Phone', phones: [{ number: '+1 212 555 0100' }] });
    const badEmail = await contact(admin, { firstName: 'Bad', lastName: 'Email', emails: [{ email: 'ok@example.com' }] });
    await spoil(badPhone.id, 'phones', [{ type: 'work', number: '+1 212 555 0100', e164: '+12125550100' }, { type: 'mobile', number: '12-34', e164: null }]);
    await spoil(badEmail.id, 'emails', [{ type: 'work', email: 'ok@example.com' }, { type: 'personal', email: 'not an address' }]);
    const leaving = await addUser(t, admin, { role: 'Sales rep', name: 'Leaving Rep' });
    const orphan = await contact(leaving, { firstName: 'Orphan', lastName: 'Record' });
    const users = await as(t, admin)('GET', `/api/v1/users/${leaving.userId}`);
    expect((await as(t, admin)('PATCH', `/api/v1/users/${leaving.userId}`, { status: 'disabled', version: users.json<{ version: number }>().version })).statusCode).toBe(200);

    expect(await contactCounts(admin)).toMatchObject({ invalidPhones: { value: 1, exact: true }, invalidEmails: { value: 1, exact: true }, missingOwner: { value: 1, exact: true } });
    const phones = (await as(t, admin)('GET', '/api/v1/data-quality/records?object=contact&problem=invalid_phones')).json<DqRecordPage>();
    expect(phones.items).toHaveLength(1);
    expect(phones.items[0]).toMatchObject({ id: badPhone.id, title: 'Bad Phone', phones: [{ number: '+1 212 555 0100', valid: true }, { number: '12-34', valid: false }] });
    const owners = (await as(t, admin)('GET', '/api/v1/data-quality/records?object=contact&problem=missing_owner')).json<DqRecordPage>();
    expect(owners.items.map((item) => [item.id, item.ownerName, item.ownerActive])).toEqual([[orphan.id, 'Leaving Rep', false]]);

    // The rep ("own") sees none of the admin's problems.
    expect(await contactCounts(rep)).toMatchObject({ invalidPhones: { value: 0 }, invalidEmails: { value: 0 }, missingOwner: { value: 0 } });

    // Fixes: assign through the list's bulk action, clear the unreadable values (kept in a note).
    const assigned = (await as(t, admin)('POST', '/api/v1/contacts/bulk', { action: 'assign', ids: [orphan.id], ownerId: admin.userId })).json<BulkResult>();
    expect(assigned).toEqual({ done: 1, failed: [] });
    const fixed = await as(t, admin)('POST', '/api/v1/data-quality/fix-contact-points', { object: 'contact', ids: [badPhone.id, badEmail.id] });
    expect(fixed.json<BulkResult>(), fixed.body).toEqual({ done: 2, failed: [] });
    const card = (await as(t, admin)('GET', `/api/v1/contacts/${badPhone.id}`)).json<Contact>();
    expect(card.phones.map((phone) => phone.e164)).toEqual(['+12125550100']);
    expect((await as(t, admin)('GET', `/api/v1/contacts/${badEmail.id}`)).json<Contact>().emails.map((entry) => entry.email)).toEqual(['ok@example.com']);
    const timeline = (await as(t, admin)('GET', `/api/v1/timeline/contact/${badPhone.id}`)).json<{ items: TimelineEntry[] }>();
    expect(timeline.items.filter((entry) => entry.kind === 'note').map((entry) => entry.activity?.body ?? entry.body)).toEqual([expect.stringContaining('12-34')]);
    expect(await contactCounts(admin)).toMatchObject({ invalidPhones: { value: 0 }, invalidEmails: { value: 0 }, missingOwner: { value: 0 } });
    expect((await audit('contact.update')).some((entry) => entry.objectId === badPhone.id)).toBe(true);
  });

  it('refuses a role that cannot change client records (403), and "fix" on records outside the scope', async () => {
    expect((await as(t, reader)('GET', '/api/v1/data-quality/summary')).statusCode).toBe(403);
    expect((await as(t, reader)('GET', '/api/v1/data-quality/review-items?object=contact')).statusCode).toBe(403);
    expect((await as(t, reader)('POST', '/api/v1/data-quality/scan', { object: 'contact' })).statusCode).toBe(403);
    const mine = await contact(admin, { firstName: 'Admin', lastName: 'Only' });
    await spoil(mine.id, 'emails', [{ type: 'work', email: 'broken@' }]);
    const result = (await as(t, rep)('POST', '/api/v1/data-quality/fix-contact-points', { object: 'contact', ids: [mine.id] })).json<BulkResult>();
    expect(result.failed.map((failure) => failure.code)).toEqual(['not_found']);
    expect((await as(t, rep)('GET', '/api/v1/data-quality/records?object=contact&problem=unknown')).statusCode).toBe(400);
  });

  it('a scan proposes records sharing a phone and similar names within a company; merge and "not duplicates" close them; scope keeps them apart', async () => {
    const company = (await as(t, admin)('POST', '/api/v1/companies', { name: 'Acme Scan' })).json<Company>();
    const first = await contact(admin, { firstName: 'Jonathan', lastName: 'Smithson', companies: [{ companyId: company.id }] });
    const second = await contact(admin, { firstName: 'Jonathon', lastName: 'Smithson', companies: [{ companyId: company.id }] });
    const samePhoneA = await contact(admin, { firstName: 'Maria', lastName: 'Lopez', phones: [{ number: '+1 415 555 0111' }] });
    const samePhoneB = await contact(admin, { firstName: 'M.', lastName: 'Lopez-Garcia', phones: [{ number: '(415) 555-0111' }] });
    const repA = await contact(rep, { firstName: 'Rep', lastName: 'Client', emails: [{ email: 'repclient@example.com' }] });
    const repB = await contact(rep, { firstName: 'Rep', lastName: 'Customer', emails: [{ email: 'RepClient@example.com' }] });
    const mixed = await contact(rep, { firstName: 'Mixed', lastName: 'Owner', emails: [{ email: 'shared@example.com' }] });
    await contact(admin, { firstName: 'Mixed', lastName: 'Owner 2', emails: [{ email: 'shared@example.com' }] });

    const scan = await as(t, admin)('POST', '/api/v1/data-quality/scan', { object: 'contact' });
    expect(scan.json<DqScanResult>(), scan.body).toEqual({ found: 4, limited: false });
    expect((await as(t, admin)('POST', '/api/v1/data-quality/scan', { object: 'contact' })).json<DqScanResult>().found).toBe(0);
    const all = await reviewItems(admin);
    expect(all.total).toEqual({ value: 4, exact: true });
    const pairOf = (a: string, b: string) => all.items.find((item) => item.records.map((record) => record.id).sort().join() === [a, b].sort().join());
    expect(pairOf(first.id, second.id)).toMatchObject({ reasons: ['name'], source: 'scan' });
    expect(pairOf(samePhoneA.id, samePhoneB.id)).toMatchObject({ reasons: ['phone'] });
    expect(pairOf(first.id, second.id)!.records.map((record) => record.id)).toEqual([first.id, second.id]);

    // The rep sees only the pair of their own records (not the pair with the admin's record).
    const repItems = await reviewItems(rep);
    expect(repItems.items.map((item) => item.records.map((record) => record.id).sort())).toEqual([[repA.id, repB.id].sort()]);
    expect((await contactCounts(rep)).duplicates.value).toBe(1);
    const adminOnly = pairOf(samePhoneA.id, samePhoneB.id)!;
    expect((await as(t, rep)('POST', `/api/v1/data-quality/review-items/${adminOnly.id}/dismiss`, {})).statusCode).toBe(404);
    expect((await as(t, rep)('POST', `/api/v1/data-quality/review-items/${pairOf(mixed.id, all.items.find((item) => item.records.some((r) => r.id === mixed.id))!.records.find((r) => r.id !== mixed.id)!.id)!.id}/merge`, { survivorId: mixed.id })).statusCode).toBe(404);

    // Merge from the list: the survivor keeps its id, the other's name is chosen to survive.
    const nameItem = pairOf(first.id, second.id)!;
    const merged = await as(t, admin)('POST', `/api/v1/data-quality/review-items/${nameItem.id}/merge`, { survivorId: first.id, fields: { firstName: second.id }, version: nameItem.version });
    expect(merged.statusCode, merged.body).toBe(200);
    expect((await as(t, admin)('GET', `/api/v1/contacts/${first.id}`)).json<Contact>().firstName).toBe('Jonathon');
    expect((await as(t, admin)('GET', `/api/v1/contacts/${second.id}`)).statusCode).toBe(404);
    expect((await as(t, admin)('POST', `/api/v1/data-quality/review-items/${nameItem.id}/dismiss`, {})).statusCode).toBe(404);

    // "Not duplicates": gone from the list, and a new scan does not bring it back.
    const dismissed = await as(t, admin)('POST', `/api/v1/data-quality/review-items/${adminOnly.id}/dismiss`, { version: adminOnly.version });
    expect(dismissed.statusCode, dismissed.body).toBe(204);
    expect((await as(t, admin)('POST', `/api/v1/data-quality/review-items/${adminOnly.id}/dismiss`, {})).statusCode).toBe(409);
    expect((await as(t, admin)('POST', '/api/v1/data-quality/scan', { object: 'contact' })).json<DqScanResult>().found).toBe(0);
    expect((await reviewItems(admin)).total.value).toBe(2);

    expect((await audit('data_quality.merge')).map((entry) => entry.objectId)).toEqual([nameItem.id]);
    expect((await audit('data_quality.dismiss')).map((entry) => entry.objectId)).toEqual([adminOnly.id]);
    expect((await audit('data_quality.scan')).length).toBe(3);
    expect((await audit('contact.merge')).some((entry) => entry.objectId === second.id)).toBe(true);
  });

  it('an import sends rows created beside a similar name in the same company, and strong matches in "create" mode, to the review list', async () => {
    const company = (await as(t, admin)('POST', '/api/v1/companies', { name: 'Globex Import' })).json<Company>();
    const existing = await contact(admin, { firstName: 'Katherine', lastName: 'Wellington', companies: [{ companyId: company.id }] });
    const phoneTwin = await contact(admin, { firstName: 'Peter', lastName: 'Quill', phones: [{ number: '+1 646 555 0199' }] });
    const run = async (csv: string, mode: string) => {
      const job = (await as(t, admin)('POST', '/api/v1/imports?object=contact&name=people.csv', Buffer.from(csv), { 'content-type': 'application/octet-stream' })).json<ImportJob>();
      const ready = (await as(t, admin)('PATCH', `/api/v1/imports/${job.id}`, { mode, defaultCountry: 'US', version: job.version })).json<ImportJob>();
      expect((await as(t, admin)('POST', `/api/v1/imports/${job.id}/start`, { version: ready.version })).statusCode).toBe(200);
      await t.services.imports.run(admin.workspaceId, job.id);
      return (await as(t, admin)('GET', `/api/v1/imports/${job.id}`)).json<ImportJob>();
    };
    const skipping = await run('First name,Last name,Company,Phone\nKatharine,Wellington,Globex Import,\nPeter,Quill,,+1 646 555 0199\nUnrelated,Person,Globex Import,\n', 'skip');
    expect(skipping).toMatchObject({ created: 2, skipped: 1 });
    const fromImport = await reviewItems(admin, `object=contact&importId=${skipping.id}`);
    expect(fromImport.total.value).toBe(1);
    expect(fromImport.items[0]).toMatchObject({ source: 'import', importId: skipping.id, reasons: ['name'] });
    expect(fromImport.items[0]!.records.map((record) => record.id)).toContain(existing.id);

    const creating = await run('First name,Last name,Phone\nPeter,Q.,+1 646 555 0199\n', 'create');
    expect(creating).toMatchObject({ created: 1 });
    const strong = await reviewItems(admin, `object=contact&importId=${creating.id}`);
    expect(strong.items.map((item) => [item.reasons, item.records.some((record) => record.id === phoneTwin.id)])).toEqual([[['phone'], true]]);
  });
});
