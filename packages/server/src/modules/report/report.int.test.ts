import type { CampaignsReport, Deal, ForecastReport, FunnelReport, LeadSourcesReport, ManagersReport, Pipeline, Problem, TimeInStageReport, WonLostReport } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, anonymous, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, createTestClock, type TestApp } from '../../../test/test-app.js';

const DAY = 86_400_000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

describe('sales reports over a known small dataset', () => {
  const t0 = new Date(Math.floor(Date.now() / DAY) * DAY + 10 * 3_600_000);
  const clock = createTestClock(t0);
  let t: TestApp;
  let admin: Session;
  let rep: Session;
  let sales: Pipeline;
  const period = `from=${isoDay(new Date(t0.getTime() - DAY))}&to=${isoDay(new Date(t0.getTime() + 60 * DAY))}`;
  const closeMonth = isoDay(new Date(t0.getTime() + 10 * DAY)).slice(0, 7);
  const stage = (name: string) => sales.stages.find((s) => s.name === name)!.id;
  const report = async <T>(session: Session, name: string, extra = '') => {
    const response = await as(t, session)('GET', `/api/v1/reports/${name}?${period}${extra}`);
    if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`);
    return response.json<T>();
  };

  beforeAll(async () => {
    t = await createTestApp({ clock });
    admin = await setupWorkspace(t);
    rep = await addUser(t, admin, { role: 'Sales rep', name: 'Rita Rep' });
    sales = (await as(t, admin)('GET', '/api/v1/pipelines')).json<{ items: Pipeline[] }>().items[0]!;
    const versions = new Map<string, number>();
    const create = async (session: Session, body: Record<string, unknown>) => {
      const response = await as(t, session)('POST', '/api/v1/deals', body);
      if (response.statusCode !== 201) throw new Error(`${response.statusCode} ${response.body}`);
      const deal = response.json<Deal>();
      versions.set(deal.id, deal.version);
      return deal.id;
    };
    const move = async (session: Session, id: string, stageName: string, days: number, lostReason?: string) => {
      clock.set(new Date(t0.getTime() + days * DAY));
      const response = await as(t, session)('POST', `/api/v1/deals/${id}/move`, { stageId: stage(stageName), version: versions.get(id), ...(lostReason ? { lostReason } : {}) });
      if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`);
      versions.set(id, response.json<Deal>().version);
    };
    const expected = isoDay(new Date(t0.getTime() + 10 * DAY));
    const a = await create(rep, { title: 'A', amount: '1000', currency: 'USD', source: 'website', campaign: 'Spring sale' });
    const b = await create(rep, { title: 'B', amount: '500', currency: 'USD', source: 'call' });
    const e = await create(rep, { title: 'E', amount: '100', currency: 'USD' });
    await create(admin, { title: 'C', amount: '2000', currency: 'EUR', source: 'website', campaign: 'Spring sale', expectedCloseDate: expected });
    const d = await create(admin, { title: 'D', amount: '300', currency: 'USD', expectedCloseDate: expected });
    await move(rep, b, 'Proposal', 1);
    await move(rep, e, 'Lost', 1, 'No budget');
    await move(rep, a, 'Qualified', 2);
    await move(admin, d, 'Negotiation', 2);
    await move(rep, b, 'Lost', 4, 'Too expensive');
    await move(rep, a, 'Proposal', 6);
    await move(rep, a, 'Won', 7);
    // Rita held two calls (one planned call does not count yet); Ada held a meeting.
    const log = async (session: Session, body: Record<string, unknown>) => {
      const response = await as(t, session)('POST', '/api/v1/activities', { links: [{ object: 'deal', id: a }], ...body });
      if (response.statusCode !== 201) throw new Error(`${response.statusCode} ${response.body}`);
    };
    const at = (days: number) => new Date(t0.getTime() + days * DAY).toISOString();
    await log(rep, { kind: 'call', direction: 'outbound', status: 'done', startsAt: at(1) });
    await log(rep, { kind: 'call', direction: 'inbound', status: 'done', startsAt: at(3) });
    await log(rep, { kind: 'call', direction: 'outbound', status: 'planned', startsAt: at(9) });
    await log(admin, { kind: 'meeting', subject: 'Demo', status: 'done', startsAt: at(2), endsAt: new Date(t0.getTime() + 2 * DAY + 3_600_000).toISOString() });
    for (const [session, source] of [[rep, 'website'], [rep, 'call'], [admin, 'website']] as const) {
      const response = await as(t, session)('POST', '/api/v1/leads', { name: `Lead from ${source}`, source });
      if (response.statusCode !== 201) throw new Error(`${response.statusCode} ${response.body}`);
    }
    // A request from the website tagged with the campaign: the lead keeps its utm_campaign.
    const form = await as(t, admin)('POST', '/api/v1/web-forms', { name: 'Landing', fields: [{ key: 'name', label: 'Name', required: true }, { key: 'email', label: 'E-mail', required: true }], assignment: { mode: 'user', userId: rep.userId }, successMessage: 'Thanks' });
    if (form.statusCode !== 201) throw new Error(`${form.statusCode} ${form.body}`);
    const submitted = await anonymous(t, 'POST', `/api/v1/public/forms/${form.json<{ id: string }>().id}/submissions`, { name: 'Visitor', email: 'visitor@example.com', utm_campaign: 'Spring sale' });
    if (submitted.statusCode >= 300) throw new Error(`${submitted.statusCode} ${submitted.body}`);
  });
  afterAll(() => t.close());

  it('funnel: deals that reached each stage (skipped stages count as passed), conversion stage to stage and overall', async () => {
    const funnel = await report<FunnelReport>(admin, 'funnel');
    expect(funnel.rows.map((row) => [row.stageName, row.reached, row.conversion])).toEqual([
      ['New request', 5, null],
      ['Qualified', 3, 0.6],
      ['Proposal', 3, 1],
      ['Negotiation', 2, 2 / 3],
      ['Won', 1, 0.5],
    ]);
    expect(funnel.overall).toBe(0.2);
    expect(funnel.lost).toBe(2);
    expect(funnel.period.pipelineId).toBe(sales.id);
  });

  it('time in stage: average and median days of the finished stays', async () => {
    const rows = (await report<TimeInStageReport>(admin, 'time-in-stage')).rows;
    expect(rows.map((row) => [row.stageName, row.stays, row.averageDays, row.medianDays])).toEqual([
      ['New request', 4, 1.5, 1.5],
      ['Qualified', 1, 4, 4],
      ['Proposal', 2, 2, 2],
      ['Negotiation', 0, null, null],
    ]);
  });

  it('won/lost: counts and amounts per currency, lost by reason', async () => {
    const wonLost = await report<WonLostReport>(admin, 'won-lost');
    expect(wonLost.rows).toEqual([
      { outcome: 'won', currency: 'USD', count: 1, amount: '1000.00' },
      { outcome: 'lost', currency: 'USD', count: 2, amount: '600.00' },
    ]);
    expect(wonLost.lostReasons).toEqual([
      { reason: 'No budget', currency: 'USD', count: 1, amount: '100.00' },
      { reason: 'Too expensive', currency: 'USD', count: 1, amount: '500.00' },
    ]);
  });

  it('per manager: deals created, won, open per currency, calls and meetings held', async () => {
    const rows = (await report<ManagersReport>(admin, 'managers')).rows;
    expect(rows).toEqual([
      { ownerId: admin.userId, ownerName: 'Ada Admin', dealsCreated: 2, wonCount: 0, won: [], open: [{ currency: 'EUR', amount: '2000.00' }, { currency: 'USD', amount: '300.00' }], calls: 0, meetings: 1 },
      { ownerId: rep.userId, ownerName: 'Rita Rep', dealsCreated: 3, wonCount: 1, won: [{ currency: 'USD', amount: '1000.00' }], open: [], calls: 2, meetings: 0 },
    ]);
    const one = (await report<ManagersReport>(admin, 'managers', `&ownerId=${rep.userId}`)).rows;
    expect(one.map((row) => row.ownerName)).toEqual(['Rita Rep']);
  });

  it('lead sources: leads created, deals with that source, won amount', async () => {
    const rows = (await report<LeadSourcesReport>(admin, 'lead-sources')).rows;
    expect(rows).toEqual([
      { source: 'website', leads: 3, deals: 2, wonCount: 1, won: [{ currency: 'USD', amount: '1000.00' }] },
      { source: 'none', leads: 0, deals: 2, wonCount: 0, won: [] },
      { source: 'call', leads: 1, deals: 1, wonCount: 0, won: [] },
    ]);
  });

  it('campaigns: leads tagged with the campaign, its deals and what they won; the rest without a campaign', async () => {
    const rows = (await report<CampaignsReport>(admin, 'campaigns')).rows;
    expect(rows).toEqual([
      { campaign: null, leads: 3, deals: 3, wonCount: 0, won: [] },
      { campaign: 'Spring sale', leads: 1, deals: 2, wonCount: 1, won: [{ currency: 'USD', amount: '1000.00' }] },
    ]);
    const csv = await as(t, admin)('GET', `/api/v1/reports/campaigns.csv?${period}`);
    expect(csv.body).toContain('Spring sale,1,2,1,1000.00 USD');
  });

  it('forecast: open deals by expected close month, amount × stage probability, per currency', async () => {
    const rows = (await report<ForecastReport>(admin, 'forecast')).rows;
    expect(rows).toEqual([
      { month: closeMonth, currency: 'EUR', count: 1, amount: '2000.00', weighted: '200.00' },
      { month: closeMonth, currency: 'USD', count: 1, amount: '300.00', weighted: '225.00' },
    ]);
  });

  it('a rep with own scope sees only their own numbers', async () => {
    const funnel = await report<FunnelReport>(rep, 'funnel');
    expect(funnel.rows.map((row) => row.reached)).toEqual([3, 2, 2, 1, 1]);
    const managers = (await report<ManagersReport>(rep, 'managers')).rows;
    expect(managers.map((row) => [row.ownerName, row.dealsCreated, row.calls, row.meetings])).toEqual([['Rita Rep', 3, 2, 0]]);
    expect((await report<ForecastReport>(rep, 'forecast')).rows).toEqual([]);
    expect((await report<LeadSourcesReport>(rep, 'lead-sources')).rows.find((row) => row.source === 'website')?.leads).toBe(2);
    // Asking for someone else's numbers gives nothing rather than them.
    expect((await report<ManagersReport>(rep, 'managers', `&ownerId=${admin.userId}`)).rows).toEqual([]);
  });

  it('narrows by period and team', async () => {
    const later = await as(t, admin)('GET', `/api/v1/reports/funnel?from=${isoDay(new Date(t0.getTime() + 30 * DAY))}&to=${isoDay(new Date(t0.getTime() + 40 * DAY))}`);
    expect(later.json<FunnelReport>().rows.every((row) => row.reached === 0)).toBe(true);
    const team = (await as(t, admin)('POST', '/api/v1/teams', { name: 'Nobody here' })).json<{ id: string }>();
    expect((await report<ManagersReport>(admin, 'managers', `&teamId=${team.id}`)).rows).toEqual([]);
  });

  it('refuses bad parameters with their paths', async () => {
    const cases: [string, string][] = [
      ['from=2026-13-01', '/query/from'],
      ['from=yesterday', '/query/from'],
      ['from=2026-05-10&to=2026-05-01', '/query/to'],
      ['pipelineId=00000000-0000-7000-8000-000000000000', '/query/pipelineId'],
      ['pipelineId=nope', '/query/pipelineId'],
      ['colour=red', '/query/colour'],
    ];
    for (const [query, path] of cases) {
      const refused = await as(t, admin)('GET', `/api/v1/reports/won-lost?${query}`);
      expect(refused.statusCode, query).toBe(400);
      expect(refused.json<Problem>().errors?.map((e) => e.path), query).toContain(path);
    }
    const csv = await as(t, admin)('GET', '/api/v1/reports/funnel.csv?from=2026-05-10&to=2026-05-01');
    expect(csv.statusCode).toBe(400);
  });

  it('exports each report as CSV with a byte-order mark', async () => {
    const funnel = await as(t, admin)('GET', `/api/v1/reports/funnel.csv?${period}`);
    expect(funnel.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(funnel.headers['content-disposition']).toBe('attachment; filename="funnel.csv"');
    expect(funnel.body).toBe(
      '\uFEFFStage,Reached,"Conversion from previous, %"\r\nNew request,5,\r\nQualified,3,60\r\nProposal,3,100\r\nNegotiation,2,66.7\r\nWon,1,50\r\n"Overall conversion, %",,20\r\nLost,2,\r\n',
    );
    const managers = await as(t, admin)('GET', `/api/v1/reports/managers.csv?${period}`);
    expect(managers.body.split('\r\n')).toEqual([
      '\uFEFFManager,Deals created,Won deals,Won amount,Open amount,Calls,Meetings',
      'Ada Admin,2,0,,"2000.00 EUR; 300.00 USD",0,1',
      'Rita Rep,3,1,1000.00 USD,,2,0',
      '',
    ]);
    for (const name of ['time-in-stage', 'won-lost', 'lead-sources', 'forecast']) {
      const response = await as(t, admin)('GET', `/api/v1/reports/${name}.csv?${period}`);
      expect(response.statusCode, name).toBe(200);
      expect(response.body.startsWith('\uFEFF'), name).toBe(true);
    }
    const rep = await as(t, admin)('GET', `/api/v1/reports/forecast.csv?${period}`);
    expect(rep.body).toContain(`${closeMonth},USD,1,300.00,225.00`);
  });

  it('a sales manager sees their team; a role needs the report right and deal read', async () => {
    const team = (await as(t, admin)('POST', '/api/v1/teams', { name: 'North' })).json<{ id: string }>();
    const manager = await addUser(t, admin, { role: 'Sales manager', teamId: team.id, name: 'Mona Manager' });
    const teammate = await addUser(t, admin, { role: 'Sales rep', teamId: team.id, name: 'Tom Teammate' });
    expect((await as(t, teammate)('POST', '/api/v1/deals', { title: 'North deal', amount: '10', currency: 'USD' })).statusCode).toBe(201);
    const funnel = await report<FunnelReport>(manager, 'funnel');
    expect(funnel.rows[0]).toMatchObject({ stageName: 'New request', reached: 1 });
    expect((await report<ManagersReport>(manager, 'managers')).rows.map((row) => row.ownerName)).toEqual(['Tom Teammate']);

    const role = async (name: string, permissions: Record<string, unknown>) => {
      const response = await as(t, admin)('POST', '/api/v1/roles', { name, permissions });
      if (response.statusCode !== 201) throw new Error(`${response.statusCode} ${response.body}`);
      return addUser(t, admin, { role: name });
    };
    const dealsOnly = await role('Deals, no reports', { deal: { read: 'all' } });
    const reportsOnly = await role('Reports, no deals', { report: { read: 'all' } });
    expect((await as(t, dealsOnly)('GET', `/api/v1/reports/funnel?${period}`)).statusCode).toBe(403);
    expect((await as(t, dealsOnly)('GET', `/api/v1/reports/funnel.csv?${period}`)).statusCode).toBe(403);
    expect((await as(t, reportsOnly)('GET', `/api/v1/reports/won-lost?${period}`)).statusCode).toBe(403);
  });

  it('funnel follows a deal into another pipeline and a pipeline whose stages were reordered', async () => {
    const stages = (names: string[]) => names.map((name) => ({ name, color: '#339af0', probability: 10, kind: name === 'Done' ? 'won' : name === 'Gone' ? 'lost' : 'open' }));
    const made = await as(t, admin)('POST', '/api/v1/pipelines', { name: 'Service', stages: stages(['Ask', 'Visit', 'Fix', 'Done', 'Gone']) });
    const service = made.json<Pipeline>();
    const at = (name: string) => service.stages.find((item) => item.name === name)!.id;
    const funnelOf = async () => (await report<FunnelReport>(admin, 'funnel', `&pipelineId=${service.id}`)).rows.map((row) => [row.stageName, row.reached]);
    const deal = (await as(t, admin)('POST', '/api/v1/deals', { title: 'Boiler', amount: '10', currency: 'USD', pipelineId: service.id })).json<Deal>();
    expect((await as(t, admin)('POST', `/api/v1/deals/${deal.id}/move`, { stageId: at('Fix'), version: deal.version })).statusCode).toBe(200);
    expect(await funnelOf()).toEqual([['Ask', 1], ['Visit', 1], ['Fix', 1], ['Done', 0]]);

    // A deal of the sales pipeline moved over counts from the stage it enters, not from how far it got in sales.
    const other = (await as(t, admin)('POST', '/api/v1/deals', { title: 'Moved over', amount: '10', currency: 'USD' })).json<Deal>();
    const advanced = (await as(t, admin)('POST', `/api/v1/deals/${other.id}/move`, { stageId: stage('Negotiation'), version: other.version })).json<Deal>();
    const patched = await as(t, admin)('PATCH', `/api/v1/deals/${other.id}`, { pipelineId: service.id, stageId: at('Visit'), version: advanced.version });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(await funnelOf()).toEqual([['Ask', 2], ['Visit', 2], ['Fix', 1], ['Done', 0]]);

    // "Fix" now comes first: the boiler deal (which entered "Ask" and "Fix") got as far as "Ask"; the moved deal, in "Visit", furthest.
    const reordered = await as(t, admin)('PATCH', `/api/v1/pipelines/${service.id}`, {
      stages: ['Fix', 'Ask', 'Visit', 'Done', 'Gone'].map((name) => ({ id: at(name), ...stages([name])[0] })),
      version: service.version,
    });
    expect(reordered.statusCode, reordered.body).toBe(200);
    expect(await funnelOf()).toEqual([['Fix', 2], ['Ask', 2], ['Visit', 1], ['Done', 0]]);
  });
});
