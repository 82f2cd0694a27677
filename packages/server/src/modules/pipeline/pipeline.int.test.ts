import type { AuditEntry, Pipeline, PipelineStageInput, Problem } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, uniqueEmail, type Session } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/test-app.js';
import { createWorkspaceWithAdmin } from '../setup/setup.service.js';

const stage = (name: string, kind: PipelineStageInput['kind'] = 'open', extra: Partial<PipelineStageInput> = {}): PipelineStageInput => ({ name, color: '#339af0', probability: kind === 'won' ? 100 : kind === 'lost' ? 0 : 30, kind, ...extra });

describe('pipelines: a default one per workspace, shaped by administrators, read by whoever reads deals', () => {
  let t: TestApp;
  let admin: Session;
  let rep: Session;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t);
    rep = await addUser(t, admin, { role: 'Sales rep' });
  });
  afterAll(() => t.close());

  const pipelines = async (session: Session) => (await as(t, session)('GET', '/api/v1/pipelines')).json<{ items: Pipeline[] }>().items;

  it('starts every workspace with a sales pipeline in its language, which a rep can read but not change', async () => {
    const [sales] = await pipelines(rep);
    expect(sales).toMatchObject({ name: 'Sales', isDefault: true });
    expect(sales!.stages.map((s) => [s.name, s.kind, s.probability])).toEqual([
      ['New request', 'open', 10],
      ['Qualified', 'open', 25],
      ['Proposal', 'open', 50],
      ['Negotiation', 'open', 75],
      ['Won', 'won', 100],
      ['Lost', 'lost', 0],
    ]);
    expect((await as(t, rep)('POST', '/api/v1/pipelines', { name: 'Mine', stages: [stage('A'), stage('W', 'won'), stage('L', 'lost')] })).statusCode).toBe(403);
    expect((await as(t, rep)('PATCH', `/api/v1/pipelines/${sales!.id}`, { name: 'Renamed', version: sales!.version })).statusCode).toBe(403);
    expect((await as(t, rep)('DELETE', `/api/v1/pipelines/${sales!.id}`)).statusCode).toBe(403);

    const ru = await t.database.db.transaction().execute((trx) => createWorkspaceWithAdmin(trx, { workspaceName: 'Окна', name: 'Анна', email: uniqueEmail('ru'), password: 'correct horse battery', locale: 'ru' }, { ip: null, requestId: 'test' }));
    const stages = await t.database.db.selectFrom('pipeline_stage').select(['name', 'position']).where('workspace_id', '=', ru.workspaceId).orderBy('position').execute();
    expect(stages.map((s) => s.name)).toEqual(['Новая заявка', 'Квалификация', 'Предложение', 'Переговоры', 'Успешно', 'Проиграно']);
  });

  it('refuses a stage list that breaks the rules, naming the stage and field', async () => {
    const api = as(t, admin);
    const cases: [unknown, string[]][] = [
      [[stage('A'), stage('B'), stage('L', 'lost')], ['/body/stages']],
      [[stage('A'), stage('W', 'won'), stage('B'), stage('L', 'lost')], ['/body/stages/2/kind']],
      [[stage('Same'), stage('same '), stage('W', 'won'), stage('L', 'lost')], ['/body/stages/1/name']],
      [[stage('A', 'open', { color: 'blue' }), stage('W', 'won'), stage('L', 'lost')], ['/body/stages/0/color']],
      [[stage('A', 'open', { probability: 120 }), stage('W', 'won'), stage('L', 'lost')], ['/body/stages/0/probability']],
      [[stage('A', 'open', { rottingDays: 0 }), stage('W', 'won'), stage('L', 'lost')], ['/body/stages/0/rottingDays']],
      [[stage('  '), stage('W', 'won'), stage('L', 'lost')], ['/body/stages/0/name']],
    ];
    for (const [stages, paths] of cases) {
      const refused = await api('POST', '/api/v1/pipelines', { name: 'Broken', stages });
      expect(refused.statusCode, JSON.stringify(stages)).toBe(400);
      expect(refused.json<Problem>().errors?.map((e) => e.path)).toEqual(paths);
    }
    expect((await pipelines(admin)).map((p) => p.name)).not.toContain('Broken');
  });

  it('reorders, renames, adds and removes stages keeping their ids, detects stale edits, moves the default, archives, audits', async () => {
    const api = as(t, admin);
    const created = await api('POST', '/api/v1/pipelines', { name: 'Windows', stages: [stage('First call'), stage('Measurements', 'open', { rottingDays: 5 }), stage('Paid', 'won'), stage('Refused', 'lost')] });
    expect(created.statusCode).toBe(201);
    const windows = created.json<Pipeline>();
    expect(windows).toMatchObject({ isDefault: false });
    const [first, measurements, paid, refused] = windows.stages;

    const edited = await api('PATCH', `/api/v1/pipelines/${windows.id}`, {
      version: windows.version,
      stages: [
        { ...stage('Measurements', 'open', { rottingDays: 2 }), id: measurements!.id },
        { ...stage('Call back', 'open'), id: first!.id },
        stage('Agreement'),
        { ...stage('Paid', 'won'), id: paid!.id },
        stage('No answer', 'lost'),
      ],
    });
    expect(edited.statusCode).toBe(200);
    const after = edited.json<Pipeline>();
    expect(after.stages.map((s) => [s.name, s.position, s.rottingDays])).toEqual([
      ['Measurements', 0, 2],
      ['Call back', 1, null],
      ['Agreement', 2, null],
      ['Paid', 3, null],
      ['No answer', 4, null],
    ]);
    expect(after.stages[0]!.id).toBe(measurements!.id);
    expect(after.stages[1]!.id).toBe(first!.id);
    expect(after.stages.map((s) => s.id)).not.toContain(refused!.id);
    expect(after.version).toBe(windows.version + 1);

    const stale = await api('PATCH', `/api/v1/pipelines/${windows.id}`, { name: 'Late', version: windows.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<Problem>().currentVersion).toBe(after.version);
    const [sales] = await pipelines(admin);
    const foreign = await api('PATCH', `/api/v1/pipelines/${windows.id}`, { version: after.version, stages: [{ ...stage('X'), id: sales!.stages[0]!.id }, stage('W', 'won'), stage('L', 'lost')] });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json<Problem>().errors?.[0]?.path).toBe('/body/stages/0/id');

    expect((await api('PATCH', `/api/v1/pipelines/${windows.id}`, { isDefault: true, version: after.version })).statusCode).toBe(200);
    const now = await pipelines(admin);
    expect(now.filter((p) => p.isDefault).map((p) => p.name)).toEqual(['Windows']);
    expect((await api('DELETE', `/api/v1/pipelines/${windows.id}`)).statusCode).toBe(409);
    expect((await api('DELETE', `/api/v1/pipelines/${sales!.id}`)).statusCode).toBe(204);
    expect((await pipelines(admin)).map((p) => p.name)).toEqual(['Windows']);
    expect((await api('GET', `/api/v1/pipelines/${sales!.id}`)).statusCode).toBe(404);

    const audit = (await api('GET', `/api/v1/audit?objectType=pipeline&objectId=${windows.id}`)).json<{ items: AuditEntry[] }>().items;
    expect(audit.map((e) => e.action)).toEqual(['pipeline.update', 'pipeline.update', 'pipeline.create']);
    expect(audit[1]!.changes).toMatchObject({ stages: { from: ['First call (open)', 'Measurements (open)', 'Paid (won)', 'Refused (lost)'] } });
  });
});
