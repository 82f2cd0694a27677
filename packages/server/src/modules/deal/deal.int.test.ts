import type { AuditEntry, Deal, DealBoard, DealStageStay, PermissionMatrix, Pipeline, Problem, Role, TimelineEntry } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

describe('deals: a client record that moves through a pipeline', () => {
  let t: TestApp;
  let admin: Session;
  let rep: Session;
  let sales: Pipeline;
  const stage = (name: string) => sales.stages.find((s) => s.name === name)!;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t);
    rep = await addUser(t, admin, { role: 'Sales rep', name: 'Rita Rep' });
    sales = (await as(t, admin)('GET', '/api/v1/pipelines')).json<{ items: Pipeline[] }>().items[0]!;
  });
  afterAll(() => t.close());

  const create = async (session: Session, body: Record<string, unknown>): Promise<Deal> => {
    const response = await as(t, session)('POST', '/api/v1/deals', body);
    if (response.statusCode !== 201) throw new Error(`${response.statusCode} ${response.body}`);
    return response.json<Deal>();
  };
  const paths = (response: { json: <T>() => T }) => response.json<Problem>().errors?.map((e) => e.path);

  it('creates a deal in the default pipeline’s first stage, in the workspace currency, with its company and contacts', async () => {
    const company = (await as(t, rep)('POST', '/api/v1/companies', { name: 'Window Works' })).json<{ id: string }>();
    const contact = (await as(t, rep)('POST', '/api/v1/contacts', { firstName: 'Olga', lastName: 'Buyer' })).json<{ id: string }>();
    const deal = await create(rep, { title: '  Windows for the office ', amount: '1250.5', companyId: company.id, contacts: [{ contactId: contact.id, role: 'Decision maker' }], expectedCloseDate: '2026-12-20' });
    expect(deal).toMatchObject({
      title: 'Windows for the office',
      pipelineId: sales.id,
      pipelineName: 'Sales',
      stageId: sales.stages[0]!.id,
      stageName: 'New request',
      stageKind: 'open',
      amount: '1250.50',
      currency: 'USD',
      companyName: 'Window Works',
      contacts: [{ contactId: contact.id, contactName: 'Olga Buyer', role: 'Decision maker' }],
      expectedCloseDate: '2026-12-20',
      ownerId: rep.userId,
      rotting: false,
      version: 1,
    });
    const history = (await as(t, rep)('GET', `/api/v1/deals/${deal.id}/stages`)).json<{ items: DealStageStay[] }>().items;
    expect(history).toMatchObject([{ fromStageId: null, stageId: sales.stages[0]!.id, stageName: 'New request', leftAt: null, byUserId: rep.userId }]);
    // The company's and the contact's cards list the deal through the ordinary list filter.
    const ofCompany = (await as(t, rep)('GET', `/api/v1/deals?filter=${encodeURIComponent(JSON.stringify({ field: 'companyId', op: 'eq', value: company.id }))}`)).json<{ items: Deal[] }>();
    const ofContact = (await as(t, rep)('GET', `/api/v1/deals?filter=${encodeURIComponent(JSON.stringify({ field: 'contactId', op: 'eq', value: contact.id }))}`)).json<{ items: Deal[] }>();
    expect(ofCompany.items.map((d) => d.id)).toEqual([deal.id]);
    expect(ofContact.items.map((d) => d.id)).toEqual([deal.id]);
  });

  it('refuses bad input with field paths and creates nothing', async () => {
    const other = (await as(t, admin)('POST', '/api/v1/pipelines', { name: 'Service', stages: [{ name: 'Open', color: '#339af0', probability: 10, kind: 'open' }, { name: 'Done', color: '#40c057', probability: 100, kind: 'won' }, { name: 'Gone', color: '#868e96', probability: 0, kind: 'lost' }] })).json<Pipeline>();
    const hidden = (await as(t, admin)('POST', '/api/v1/companies', { name: 'Not yours' })).json<{ id: string }>();
    const cases: [Record<string, unknown>, string[], number][] = [
      [{ title: 'A', amount: '-5' }, ['/body/amount'], 400],
      [{ title: 'A', amount: '1.234' }, ['/body/amount'], 400],
      [{ title: 'A', currency: 'XYZ' }, ['/body/currency'], 400],
      [{ title: 'A', currency: 'usd' }, ['/body/currency'], 400],
      [{ title: 'A', amount: 12 }, ['/body/amount'], 400],
      [{ title: 'A', pipelineId: sales.id, stageId: other.stages[0]!.id }, ['/body/stageId'], 400],
      [{ title: 'A', stageId: stage('Lost').id }, ['/body/lostReason'], 400],
      [{ title: 'A', companyId: hidden.id }, ['/body/companyId'], 400],
      [{ title: 'A', contacts: [{ contactId: hidden.id }] }, ['/body/contacts/0/contactId'], 400],
      [{ title: ' ' }, ['/body/title'], 400],
    ];
    for (const [body, expected, status] of cases) {
      const refused = await as(t, rep)('POST', '/api/v1/deals', body);
      expect(refused.statusCode, JSON.stringify(body)).toBe(status);
      expect(paths(refused), JSON.stringify(body)).toEqual(expected);
    }
    const count = await t.database.db.selectFrom('deal').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', admin.workspaceId).where('title', '=', 'A').executeTakeFirst();
    expect(Number(count?.n)).toBe(0);
  });

  it('moves a deal between stages: history with time in each stage, audit, timeline "stage: old → new"; lost needs a reason', async () => {
    const deal = await create(rep, { title: 'Balcony glazing', amount: '900' });
    const moved = await as(t, rep)('POST', `/api/v1/deals/${deal.id}/move`, { stageId: stage('Proposal').id, version: deal.version });
    expect(moved.statusCode).toBe(200);
    expect(moved.json<Deal>()).toMatchObject({ stageName: 'Proposal', version: 2 });
    expect(Date.parse(moved.json<Deal>().stageEnteredAt)).toBeGreaterThanOrEqual(Date.parse(deal.stageEnteredAt));

    const noReason = await as(t, rep)('POST', `/api/v1/deals/${deal.id}/move`, { stageId: stage('Lost').id, version: 2 });
    expect(noReason.statusCode).toBe(400);
    expect(paths(noReason)).toEqual(['/body/lostReason']);
    const lost = await as(t, rep)('PATCH', `/api/v1/deals/${deal.id}`, { stageId: stage('Lost').id, lostReason: 'Too expensive', version: 2 });
    expect(lost.json<Deal>()).toMatchObject({ stageKind: 'lost', lostReason: 'Too expensive', version: 3 });
    // Out of "lost" again, the reason goes.
    const reopened = await as(t, rep)('POST', `/api/v1/deals/${deal.id}/move`, { stageId: stage('Negotiation').id, version: 3 });
    expect(reopened.json<Deal>()).toMatchObject({ stageName: 'Negotiation', lostReason: null });

    const history = (await as(t, rep)('GET', `/api/v1/deals/${deal.id}/stages`)).json<{ items: DealStageStay[] }>().items;
    expect(history.map((h) => [h.fromStageName, h.stageName])).toEqual([
      [null, 'New request'],
      ['New request', 'Proposal'],
      ['Proposal', 'Lost'],
      ['Lost', 'Negotiation'],
    ]);
    expect(history.slice(0, 3).every((h) => h.leftAt !== null && h.seconds >= 0)).toBe(true);
    expect(history[3]!.leftAt).toBeNull();

    const timeline = (await as(t, rep)('GET', `/api/v1/timeline/deal/${deal.id}?kind=change`)).json<{ items: TimelineEntry[] }>().items;
    expect(timeline.filter((e) => e.changes?.stage).map((e) => e.changes!.stage)).toEqual([
      { from: 'Lost', to: 'Negotiation' },
      { from: 'Proposal', to: 'Lost' },
      { from: 'New request', to: 'Proposal' },
    ]);
    const audit = (await as(t, admin)('GET', `/api/v1/audit?objectType=deal&objectId=${deal.id}`)).json<{ items: AuditEntry[] }>().items;
    expect(audit.map((a) => a.action).sort()).toEqual(['deal.create', 'deal.update', 'deal.update', 'deal.update']);
    // Newest first: the reason set when lost, then cleared when reopened.
    expect(audit.flatMap((a) => (a.changes?.lost_reason ? [a.changes.lost_reason] : []))).toEqual([
      { from: 'Too expensive', to: null },
      { from: null, to: 'Too expensive' },
    ]);
  });

  it('answers a stale version with 409 and changes nothing', async () => {
    const deal = await create(rep, { title: 'Doors', amount: '100' });
    expect((await as(t, rep)('PATCH', `/api/v1/deals/${deal.id}`, { amount: '200', version: 1 })).statusCode).toBe(200);
    const stale = await as(t, rep)('POST', `/api/v1/deals/${deal.id}/move`, { stageId: stage('Won').id, version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<Problem & { currentVersion: number }>().currentVersion).toBe(2);
    const now = (await as(t, rep)('GET', `/api/v1/deals/${deal.id}`)).json<Deal>();
    expect(now).toMatchObject({ stageId: sales.stages[0]!.id, amount: '200.00', version: 2 });
    expect((await as(t, rep)('GET', `/api/v1/deals/${deal.id}/stages`)).json<{ items: unknown[] }>().items).toHaveLength(1);
  });

  it('shows the board: columns in stage order with counts and sums per currency, filtered like the list', async () => {
    const api = as(t, admin);
    const pipeline = (await api('POST', '/api/v1/pipelines', { name: 'Board test', stages: [{ name: 'One', color: '#339af0', probability: 10, kind: 'open', rottingDays: 1 }, { name: 'Two', color: '#339af0', probability: 50, kind: 'open' }, { name: 'Won', color: '#40c057', probability: 100, kind: 'won' }, { name: 'Lost', color: '#868e96', probability: 0, kind: 'lost' }] })).json<Pipeline>();
    const [one, two] = pipeline.stages;
    await create(admin, { title: 'Big order', pipelineId: pipeline.id, amount: '100.10', currency: 'EUR' });
    await create(admin, { title: 'Small order', pipelineId: pipeline.id, amount: '0.90', currency: 'EUR' });
    await create(admin, { title: 'Dollar order', pipelineId: pipeline.id, amount: '5', currency: 'USD' });
    const mine = await create(rep, { title: 'Rep order', pipelineId: pipeline.id, stageId: two!.id, amount: '7' });
    const board = (await api('GET', `/api/v1/deals/board?pipelineId=${pipeline.id}`)).json<DealBoard>();
    expect(board.columns.map((c) => c.stageId)).toEqual(pipeline.stages.map((s) => s.id));
    expect(board.columns[0]).toMatchObject({ stageId: one!.id, count: 3, sums: [{ currency: 'EUR', amount: '101.00' }, { currency: 'USD', amount: '5.00' }] });
    expect(board.columns[1]!.items.map((d) => d.id)).toEqual([mine.id]);
    // A column shows its newest deals up to the limit, and still counts them all.
    const limited = (await api('GET', `/api/v1/deals/board?pipelineId=${pipeline.id}&limit=2`)).json<DealBoard>();
    expect(limited.columns[0]).toMatchObject({ count: 3 });
    expect(limited.columns[0]!.items.map((d) => d.title)).toEqual(['Dollar order', 'Small order']);
    // The rep sees only their own deal; a text filter narrows the admin's board.
    const repBoard = (await as(t, rep)('GET', `/api/v1/deals/board?pipelineId=${pipeline.id}`)).json<DealBoard>();
    expect(repBoard.columns.map((c) => c.count)).toEqual([0, 1, 0, 0]);
    const found = (await api('GET', `/api/v1/deals/board?pipelineId=${pipeline.id}&q=dollar`)).json<DealBoard>();
    expect(found.columns[0]!.items.map((d) => d.title)).toEqual(['Dollar order']);
    // A stage that holds deals cannot be removed.
    const removing = await api('PATCH', `/api/v1/pipelines/${pipeline.id}`, { stages: pipeline.stages.slice(1).map(({ id, name, color, probability, kind }) => ({ id, name, color, probability, kind })), version: pipeline.version });
    expect(removing.statusCode).toBe(409);
    // A deal idle past its stage's rotting days is flagged.
    await t.database.db.updateTable('deal').set({ stage_entered_at: new Date(Date.now() - 3 * 86_400_000) }).where('workspace_id', '=', admin.workspaceId).where('title', '=', 'Big order').execute();
    const later = (await api('GET', `/api/v1/deals/board?pipelineId=${pipeline.id}`)).json<DealBoard>();
    expect(later.columns[0]!.items.filter((d) => d.rotting).map((d) => d.title)).toEqual(['Big order']);
  });

  it('keeps the board totals right through create, move, edit, delete and restore, as the deals themselves sum them', async () => {
    const api = as(t, admin);
    const pipeline = (await api('POST', '/api/v1/pipelines', { name: 'Totals test', stages: [{ name: 'A', color: '#339af0', probability: 10, kind: 'open' }, { name: 'B', color: '#339af0', probability: 50, kind: 'open' }, { name: 'Won', color: '#40c057', probability: 100, kind: 'won' }, { name: 'Lost', color: '#868e96', probability: 0, kind: 'lost' }] })).json<Pipeline>();
    const b = pipeline.stages[1]!;
    // The unfiltered board of a reader who sees every deal reads the kept totals; a filtered one sums the deals: both must agree.
    const columns = async (query = '') => (await api('GET', `/api/v1/deals/board?pipelineId=${pipeline.id}${query}`)).json<DealBoard>().columns.map((c) => ({ count: c.count, sums: c.sums }));
    const expectColumns = async (expected: { count: number; sums: { currency: string; amount: string }[] }[]) => {
      expect(await columns()).toEqual(expected);
      expect(await columns(`&filter=${encodeURIComponent(JSON.stringify({ field: 'title', op: 'contains', value: 'totals' }))}`)).toEqual(expected);
    };
    const empty = { count: 0, sums: [] };
    const one = await create(admin, { title: 'Totals one', pipelineId: pipeline.id, amount: '10', currency: 'EUR' });
    const two = await create(admin, { title: 'Totals two', pipelineId: pipeline.id, amount: '2.5', currency: 'EUR' });
    await expectColumns([{ count: 2, sums: [{ currency: 'EUR', amount: '12.50' }] }, empty, empty, empty]);

    const moved = (await api('POST', `/api/v1/deals/${one.id}/move`, { stageId: b.id, version: one.version })).json<Deal>();
    await expectColumns([{ count: 1, sums: [{ currency: 'EUR', amount: '2.50' }] }, { count: 1, sums: [{ currency: 'EUR', amount: '10.00' }] }, empty, empty]);
    const edited = await api('PATCH', `/api/v1/deals/${one.id}`, { amount: '4', currency: 'USD', version: moved.version });
    expect(edited.statusCode, edited.body).toBe(200);
    await expectColumns([{ count: 1, sums: [{ currency: 'EUR', amount: '2.50' }] }, { count: 1, sums: [{ currency: 'USD', amount: '4.00' }] }, empty, empty]);
    // A stale edit changes nothing, the totals neither.
    expect((await api('PATCH', `/api/v1/deals/${one.id}`, { amount: '400', version: moved.version })).statusCode).toBe(409);

    expect((await api('DELETE', `/api/v1/deals/${two.id}`)).statusCode).toBe(204);
    await expectColumns([empty, { count: 1, sums: [{ currency: 'USD', amount: '4.00' }] }, empty, empty]);
    expect((await api('POST', `/api/v1/deals/${two.id}/restore`)).statusCode).toBe(200);
    await expectColumns([{ count: 1, sums: [{ currency: 'EUR', amount: '2.50' }] }, { count: 1, sums: [{ currency: 'USD', amount: '4.00' }] }, empty, empty]);
  });

  describe('a role without rights on deals', () => {
    let viewer: Session;
    let blind: Session;
    let deal: Deal;

    beforeAll(async () => {
      const createRole = async (name: string, permissions: PermissionMatrix) => (await as(t, admin)('POST', '/api/v1/roles', { name, permissions })).json<Role>();
      await createRole('Deal viewer', { deal: { read: 'all' }, company: { read: 'all' }, contact: { read: 'all' } });
      await createRole('No deals', { company: { read: 'all' } });
      viewer = await addUser(t, admin, { role: 'Deal viewer' });
      blind = await addUser(t, admin, { role: 'No deals' });
      deal = await create(admin, { title: 'Guarded', amount: '10' });
    });

    it('may read but not change: edit, move, delete and bulk are 403 and nothing changes', async () => {
      const api = as(t, viewer);
      expect((await api('GET', `/api/v1/deals/${deal.id}`)).statusCode).toBe(200);
      expect((await api('PATCH', `/api/v1/deals/${deal.id}`, { title: 'Mine now', version: deal.version })).statusCode).toBe(403);
      expect((await api('POST', `/api/v1/deals/${deal.id}/move`, { stageId: stage('Won').id, version: deal.version })).statusCode).toBe(403);
      expect((await api('DELETE', `/api/v1/deals/${deal.id}`)).statusCode).toBe(403);
      expect((await api('POST', '/api/v1/deals', { title: 'New' })).statusCode).toBe(403);
      expect((await api('POST', '/api/v1/deals/bulk', { ids: [deal.id], action: 'delete' })).statusCode).toBe(403);
      const after = (await as(t, admin)('GET', `/api/v1/deals/${deal.id}`)).json<Deal>();
      expect(after).toMatchObject({ title: 'Guarded', stageId: deal.stageId, version: deal.version, deletedAt: null });
    });

    it('without read: list, card, board, history and search refuse or stay silent', async () => {
      const api = as(t, blind);
      expect((await api('GET', '/api/v1/deals')).statusCode).toBe(403);
      expect((await api('GET', `/api/v1/deals/${deal.id}`)).statusCode).toBe(403);
      expect((await api('GET', '/api/v1/deals/board')).statusCode).toBe(403);
      expect((await api('GET', `/api/v1/deals/${deal.id}/stages`)).statusCode).toBe(403);
      const search = (await api('GET', '/api/v1/search?q=Guarded')).json<{ groups: { object: string }[] }>();
      expect(search.groups.map((g) => g.object)).not.toContain('deal');
    });

    it('a rep cannot see or move another user’s deal (404) and it stays where it was', async () => {
      const response = await as(t, rep)('POST', `/api/v1/deals/${deal.id}/move`, { stageId: stage('Won').id, version: deal.version });
      expect(response.statusCode).toBe(404);
      expect((await as(t, admin)('GET', `/api/v1/deals/${deal.id}`)).json<Deal>().stageId).toBe(deal.stageId);
    });
  });

  it('a lead converted with a deal opens one in the default pipeline, for its new contact and company, with its notes', async () => {
    const api = as(t, rep);
    const lead = (await api('POST', '/api/v1/leads', { name: 'Ivan Petrov', companyName: 'Petrov Glass', position: 'Owner', source: 'website' })).json<{ id: string; version: number }>();
    expect((await api('POST', `/api/v1/timeline/lead/${lead.id}/notes`, { body: 'Wants six windows' })).statusCode).toBe(201);
    const converted = await api('POST', `/api/v1/leads/${lead.id}/convert`, { contact: { mode: 'new' }, company: { mode: 'new' }, deal: {}, version: lead.version });
    expect(converted.statusCode).toBe(200);
    const { contactId, companyId, dealId } = converted.json<{ contactId: string; companyId: string; dealId: string }>();
    const deal = (await api('GET', `/api/v1/deals/${dealId}`)).json<Deal>();
    expect(deal).toMatchObject({ title: 'Petrov Glass', pipelineId: sales.id, stageId: sales.stages[0]!.id, companyId, contacts: [{ contactId, contactName: 'Ivan Petrov', role: 'Owner' }], source: 'website', ownerId: rep.userId });
    const notes = (await api('GET', `/api/v1/timeline/deal/${dealId}?kind=note`)).json<{ items: TimelineEntry[] }>().items;
    expect(notes.map((n) => n.body)).toEqual(['Wants six windows']);
    // Without the deal right the whole conversion is refused and nothing is half made.
    const all = { read: 'all', create: 'all', update: 'all', delete: 'all', assign: 'all' };
    await as(t, admin)('POST', '/api/v1/roles', { name: 'Leads without deals', permissions: { lead: all, contact: all, company: all } });
    const qualifier = await addUser(t, admin, { role: 'Leads without deals' });
    const other = (await as(t, qualifier)('POST', '/api/v1/leads', { name: 'Nobody Dealt' })).json<{ id: string; version: number }>();
    const refused = await as(t, qualifier)('POST', `/api/v1/leads/${other.id}/convert`, { contact: { mode: 'new' }, company: { mode: 'none' }, deal: {}, version: other.version });
    expect(refused.statusCode).toBe(403);
    expect((await as(t, admin)('GET', `/api/v1/leads/${other.id}`)).json<{ convertedAt: string | null }>().convertedAt).toBeNull();
    expect((await as(t, admin)('GET', '/api/v1/contacts?q=nobody')).json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('goes to the recycle bin and back; search finds it by title', async () => {
    const deal = await create(rep, { title: 'Conservatory roof' });
    expect((await as(t, rep)('GET', '/api/v1/search?q=conservatory')).json<{ groups: { object: string; items: { id: string }[] }[] }>().groups).toEqual([expect.objectContaining({ object: 'deal', items: [expect.objectContaining({ id: deal.id })] })]);
    expect((await as(t, rep)('DELETE', `/api/v1/deals/${deal.id}`)).statusCode).toBe(204);
    const bin = (await as(t, rep)('GET', '/api/v1/recycle-bin?object=deal')).json<{ items: { id: string; title: string }[] }>();
    expect(bin.items).toEqual([expect.objectContaining({ id: deal.id, title: 'Conservatory roof' })]);
    expect((await as(t, rep)('POST', `/api/v1/deals/${deal.id}/restore`)).json<Deal>()).toMatchObject({ id: deal.id, deletedAt: null });
    // Deals are not merged: there is no duplicate check or merge for them.
    expect((await as(t, rep)('POST', '/api/v1/deals/merge', { survivorId: deal.id, mergedIds: [deal.id] })).statusCode).toBe(404);
  });
});
