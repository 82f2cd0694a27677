import type { AuditEntry, Deal, DealBoard, Lead, PageOf, Problem, WebForm } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, anonymous, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

describe('a deal’s campaign: typed, carried from a web form’s utm_campaign, filtered on', () => {
  let t: TestApp;
  let admin: Session;
  let rep: Session;

  const filtered = (filter: unknown) => `filter=${encodeURIComponent(JSON.stringify(filter))}`;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t);
    rep = await addUser(t, admin, { role: 'Sales rep' });
  });
  afterAll(() => t.close());

  it('keeps the campaign typed on a deal, edits it with the version, audits it and refuses one too long', async () => {
    const deal = (await as(t, rep)('POST', '/api/v1/deals', { title: 'Spring offer', campaign: '  spring-2026  ' })).json<Deal>();
    expect(deal.campaign).toBe('spring-2026');
    const edited = await as(t, rep)('PATCH', `/api/v1/deals/${deal.id}`, { campaign: 'summer', version: deal.version });
    expect(edited.json<Deal>()).toMatchObject({ campaign: 'summer', version: deal.version + 1 });
    const cleared = await as(t, rep)('PATCH', `/api/v1/deals/${deal.id}`, { campaign: '', version: deal.version + 1 });
    expect(cleared.json<Deal>().campaign).toBeNull();
    expect((await as(t, rep)('PATCH', `/api/v1/deals/${deal.id}`, { campaign: 'x'.repeat(201), version: deal.version + 2 })).json<Problem>().errors?.map((error) => error.path)).toEqual(['/body/campaign']);
    const audit = (await as(t, admin)('GET', `/api/v1/audit?objectType=deal&objectId=${deal.id}`)).json<{ items: AuditEntry[] }>().items;
    expect(audit[1]?.changes).toMatchObject({ campaign: { from: 'spring-2026', to: 'summer' } });
  });

  it('filters the list and the board by campaign', async () => {
    await as(t, rep)('POST', '/api/v1/deals', { title: 'From the newsletter', campaign: 'Newsletter-May' });
    await as(t, rep)('POST', '/api/v1/deals', { title: 'Walk-in' });
    const listed = (await as(t, rep)('GET', `/api/v1/deals?${filtered({ field: 'campaign', op: 'contains', value: 'newsletter' })}`)).json<PageOf<Deal>>().items;
    expect(listed.map((deal) => deal.title)).toEqual(['From the newsletter']);
    const none = (await as(t, rep)('GET', `/api/v1/deals?${filtered({ field: 'campaign', op: 'empty' })}`)).json<PageOf<Deal>>().items;
    expect(none.map((deal) => deal.title)).toContain('Walk-in');
    expect(none.map((deal) => deal.title)).not.toContain('From the newsletter');
    const board = (await as(t, rep)('GET', `/api/v1/deals/board?${filtered({ field: 'campaign', op: 'eq', value: 'Newsletter-May' })}`)).json<DealBoard>();
    expect(board.columns.flatMap((column) => column.items.map((deal) => deal.title))).toEqual(['From the newsletter']);
  });

  it('gives a deal made by converting a web-form lead the form’s utm_campaign', async () => {
    const form = (
      await as(t, admin)('POST', '/api/v1/web-forms', { name: 'Request', fields: [{ key: 'name', label: 'Name', required: true }, { key: 'phone', label: 'Phone', required: true }], assignment: { mode: 'user', userId: rep.userId }, successMessage: 'Thanks' })
    ).json<WebForm>();
    const submitted = await anonymous(t, 'POST', `/api/v1/public/forms/${form.id}/submissions`, { name: 'Ann Buyer', phone: '+1 212 555 0100', utm_source: 'google', utm_campaign: 'autumn-windows' });
    expect(submitted.statusCode, submitted.body).toBeLessThan(300);
    const lead = (await as(t, rep)('GET', `/api/v1/leads?${filtered({ field: 'phone', op: 'eq', value: '+12125550100' })}`)).json<PageOf<Lead>>().items[0]!;
    expect(lead.utm.utm_campaign).toBe('autumn-windows');
    const converted = await as(t, rep)('POST', `/api/v1/leads/${lead.id}/convert`, { contact: { mode: 'new' }, company: { mode: 'none' }, deal: {}, version: lead.version });
    expect(converted.statusCode, converted.body).toBe(200);
    const dealId = converted.json<{ dealId: string }>().dealId;
    expect((await as(t, rep)('GET', `/api/v1/deals/${dealId}`)).json<Deal>()).toMatchObject({ source: 'website', campaign: 'autumn-windows' });
  });
});
