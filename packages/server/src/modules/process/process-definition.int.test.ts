import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AuditEntry, ProcessDefinition, ProcessProblem, ProcessValidation, ProcessVersionDetail } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { diagram, flow, processKit } from '../../../test/process-kit.js';
import { createTestApp, createTestClock, type TestApp } from '../../../test/test-app.js';

/**
 * Process definitions as an administrator designs them: the draft with optimistic locking, validation that names every
 * problem by element, deploys into numbered versions, and the rights around them.
 */

/** The shared conformance material beside the checkout (../shared), or where the workplace keeps it when cloned elsewhere. */
const CONFORMANCE = [path.resolve(import.meta.dirname, '../../../../../../shared/conformance/bpmn-miwg'), '/work/shared/conformance/bpmn-miwg'].find((dir) => existsSync(dir)) ?? '/work/shared/conformance/bpmn-miwg';

describe('process definitions', () => {
  const clock = createTestClock(new Date('2031-05-05T09:00:00Z'));
  let t: TestApp;
  let admin: Session;
  let rep: Session;
  let kit: ReturnType<typeof processKit>;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    admin = await setupWorkspace(t);
    rep = await addUser(t, admin, { role: 'Sales rep', name: 'Rita Rep' });
    kit = processKit(t, admin, () => clock.now());
  });
  afterAll(() => t.close());

  const problemsOf = async (xml: string): Promise<ProcessProblem[]> => {
    const created = await as(t, admin)('POST', '/api/v1/process-definitions', { name: 'Check', xml });
    expect(created.statusCode, created.body).toBe(201);
    const response = await as(t, admin)('POST', `/api/v1/process-definitions/${created.json<ProcessDefinition>().id}/validate`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ProcessValidation>().problems;
  };

  it('starts a new definition with an empty diagram, saves the draft with its version and refuses a stale one', async () => {
    const created = await as(t, admin)('POST', '/api/v1/process-definitions', { name: 'Order fulfilment' });
    expect(created.statusCode, created.body).toBe(201);
    const definition = created.json<ProcessDefinition>();
    expect(definition).toMatchObject({ key: 'order-fulfilment', latestVersion: null, running: 0, version: 1 });
    expect(definition.draftXml).toContain('startEvent');

    const xml = diagram(`<bpmn:startEvent id="s" />${flow('f1', 's', 'e')}<bpmn:endEvent id="e" />`);
    const saved = await as(t, admin)('PATCH', `/api/v1/process-definitions/${definition.id}`, { version: 1, draftXml: xml, name: 'Orders' });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json<ProcessDefinition>()).toMatchObject({ name: 'Orders', draftXml: xml, version: 2 });
    const stale = await as(t, admin)('PATCH', `/api/v1/process-definitions/${definition.id}`, { version: 1, name: 'Lost' });
    expect(stale.statusCode).toBe(409);

    const audit = (await as(t, admin)('GET', `/api/v1/audit?objectType=process_definition&objectId=${definition.id}`)).json<{ items: AuditEntry[] }>().items;
    expect(audit.map((entry) => entry.action).sort()).toEqual(['process_definition.create', 'process_definition.update']);
  });

  it('refuses XML that is not BPMN with a message, not a server error', async () => {
    const broken = await as(t, admin)('POST', '/api/v1/process-definitions', { name: 'Broken', xml: '<bpmn:definitions><oops' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json<{ errors: { path: string; message: string }[] }>().errors[0]).toMatchObject({ path: '/body/xml' });
    expect(broken.json<{ detail: string }>().detail).toMatch(/Not BPMN 2.0 XML/);
  });

  it('names every problem by element', async () => {
    const problems = await problemsOf(
      diagram(`
        <bpmn:startEvent id="s" />${flow('f1', 's', 'gw')}
        <bpmn:exclusiveGateway id="gw" name="Big?" />${flow('f2', 'gw', 'u', 'deal.amount >')}${flow('f3', 'gw', 'svc')}
        <bpmn:userTask id="u" name="Call" />${flow('f4', 'u', 'e')}
        <bpmn:serviceTask id="svc" name="Tell" rapport:action="fly_to_moon" />${flow('f5', 'svc', 'cx')}
        <bpmn:complexGateway id="cx" name="Complex" />${flow('f6', 'cx', 'w')}
        <bpmn:intermediateCatchEvent id="w" name="Wait"><bpmn:timerEventDefinition><bpmn:timeDuration>soon</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>${flow('f7', 'w', 'n')}
        <bpmn:serviceTask id="n" name="Note" rapport:action="notify" rapport:config='{"recipient":{"kind":"user"},"message":"Hi"}' />${flow('f8', 'n', 'e')}
        <bpmn:endEvent id="e" />
        <bpmn:sequenceFlow id="loose" sourceRef="e" />`),
    );
    const by = (id: string) => problems.filter((problem) => problem.elementId === id).map((problem) => problem.code);
    expect(by('f2')).toEqual(['feel_syntax']);
    expect(by('gw')).toEqual(['condition_missing']);
    expect(by('u')).toEqual(['assignee_missing']);
    expect(by('svc')).toEqual(['action_unknown']);
    expect(by('cx')).toEqual(['unsupported_element']);
    expect(problems.find((problem) => problem.elementId === 'cx')).toMatchObject({ elementName: 'Complex', elementType: 'bpmn:ComplexGateway' });
    expect(by('w')).toEqual(['timer_invalid']);
    expect(by('n')).toEqual(['action_config']);
    expect(problems.find((problem) => problem.elementId === 'n')!.message).toMatch(/userId/);
    expect(by('loose')).toEqual(['flow_unconnected']);
    expect(await problemsOf(diagram(`<bpmn:endEvent id="e" />`))).toContainEqual(expect.objectContaining({ code: 'no_start' }));
  });

  it('deploys numbered versions: running instances keep theirs, new ones take the latest', async () => {
    const v1 = diagram(`<bpmn:startEvent id="s" />${flow('f1', 's', 'u')}<bpmn:userTask id="u" name="Check" rapport:assignee="owner" />${flow('f2', 'u', 'e')}<bpmn:endEvent id="e" />`);
    const definition = await kit.deployed(v1.replace('rapport:assignee="owner"', `rapport:assignee="user:${admin.userId}"`));
    const first = await kit.start(definition.id);
    const v2 = v1.replace('rapport:assignee="owner"', `rapport:assignee="user:${admin.userId}"`).replace('name="Check"', 'name="Check twice"');
    const current = (await as(t, admin)('GET', `/api/v1/process-definitions/${definition.id}`)).json<ProcessDefinition>();
    expect(current.running).toBe(1);
    expect((await as(t, admin)('PATCH', `/api/v1/process-definitions/${definition.id}`, { version: current.version, draftXml: v2 })).statusCode).toBe(200);
    expect((await as(t, admin)('POST', `/api/v1/process-definitions/${definition.id}/deploy`)).json<ProcessValidation>()).toEqual({ problems: [], deployedVersion: 2 });
    const second = await kit.start(definition.id);
    expect([first.definitionVersion, second.definitionVersion]).toEqual([1, 2]);
    expect((await kit.card(first.id)).tasks.map((task) => task.title)).toEqual(['Check']);
    expect((await kit.card(second.id)).tasks.map((task) => task.title)).toEqual(['Check twice']);

    const versions = (await as(t, admin)('GET', `/api/v1/process-definitions/${definition.id}/versions`)).json<{ items: { number: number }[] }>().items;
    expect(versions.map((version) => version.number)).toEqual([2, 1]);
    const one = (await as(t, admin)('GET', `/api/v1/process-definitions/${definition.id}/versions/1`)).json<ProcessVersionDetail>();
    expect(one.xml).toContain('name="Check"');
    expect((await as(t, admin)('GET', `/api/v1/process-definitions/${definition.id}/versions/9`)).statusCode).toBe(404);
  });

  it('does not deploy a diagram with problems and says why', async () => {
    const created = (await as(t, admin)('POST', '/api/v1/process-definitions', { name: 'Unfinished', xml: diagram(`<bpmn:startEvent id="s" />${flow('f', 's', 'u')}<bpmn:userTask id="u" />`) })).json<ProcessDefinition>();
    const result = (await as(t, admin)('POST', `/api/v1/process-definitions/${created.id}/deploy`)).json<ProcessValidation>();
    expect(result.deployedVersion).toBeNull();
    expect(result.problems.map((problem) => problem.code).sort()).toEqual(['assignee_missing', 'dead_end']);
    expect((await as(t, admin)('POST', `/api/v1/process-definitions/${created.id}/instances`, {})).statusCode).toBe(409);
  });

  it('lets only administrators design and deploy, and people with process rights read', async () => {
    const definition = (await as(t, admin)('POST', '/api/v1/process-definitions', { name: 'Secret' })).json<ProcessDefinition>();
    expect((await as(t, rep)('POST', '/api/v1/process-definitions', { name: 'Mine' })).statusCode).toBe(403);
    expect((await as(t, rep)('PATCH', `/api/v1/process-definitions/${definition.id}`, { version: 1, name: 'Taken' })).statusCode).toBe(403);
    expect((await as(t, rep)('POST', `/api/v1/process-definitions/${definition.id}/deploy`)).statusCode).toBe(403);
    expect((await as(t, rep)('GET', `/api/v1/process-definitions/${definition.id}`)).statusCode).toBe(200);
    const created = await as(t, admin)('POST', '/api/v1/roles', { name: 'No processes', permissions: { deal: { read: 'all' } } });
    expect(created.statusCode, created.body).toBe(201);
    const outsider = await addUser(t, admin, { role: 'No processes', name: 'Otto Outsider' });
    expect((await as(t, outsider)('GET', '/api/v1/process-definitions')).statusCode).toBe(403);
    expect((await as(t, outsider)('GET', '/api/v1/process-instances')).statusCode).toBe(403);
    expect((await as(t, outsider)('POST', `/api/v1/process-definitions/${definition.id}/instances`, {})).statusCode).toBe(403);
  });

  it('validates every file of the BPMN MIWG reference set and names its unsupported elements', async () => {
    const files = readdirSync(CONFORMANCE).filter((file) => file.endsWith('.bpmn'));
    expect(files.length).toBeGreaterThan(15);
    const unsupported = new Map<string, ProcessProblem[]>();
    for (const file of files) {
      const problems = await problemsOf(readFileSync(path.join(CONFORMANCE, file), 'utf8'));
      expect(problems.every((problem) => problem.code !== 'invalid_xml'), file).toBe(true);
      unsupported.set(
        file,
        problems.filter((problem) => problem.code === 'unsupported_element' || problem.code === 'called_element_unknown'),
      );
    }
    const names = (file: string) => unsupported.get(file)!.map((problem) => `${problem.elementType}:${problem.elementName}`);
    expect(names('A.3.0.bpmn')).toContain('bpmn:BoundaryEvent:Boundary Intermediate Event Interrupting Escalation');
    // Call activities run, when the process they call is deployed here (the set's called processes are not).
    expect(names('B.1.0.bpmn')).toContain('bpmn:CallActivity:Call Activity Calling a Global Task');
    expect(names('C.4.0.bpmn')).toContain('bpmn:ManualTask:Prepare workstation');
    expect(names('C.7.0.bpmn')).toContain('bpmn:BusinessRuleTask:Select \nother platforms');
    expect(names('C.8.0.bpmn')).toContain('bpmn:BusinessRuleTask:Vacation Approval');
    // Files of supported elements only have nothing unsupported.
    expect(names('A.1.0.bpmn')).toEqual([]);
    expect(names('C.1.0.bpmn')).toEqual([]);
  });
});
