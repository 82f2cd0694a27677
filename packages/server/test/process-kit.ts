import type { ProcessDefinition, ProcessInstance, ProcessInstanceCard, ProcessValidation } from '@rapport/shared';
import { expect } from 'vitest';
import { as, type Session } from './factories.js';
import type { TestApp } from './test-app.js';

/** Test helpers for processes: a diagram from its process body, deploy it, start it, fire due work, read the card. */

export function diagram(body: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:rapport="https://rapport.dev/schema/bpmn/1.0" id="D" targetNamespace="http://rapport.test">
  ${extra}
  <bpmn:process id="P" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;
}

/** A sequence flow, optionally with a FEEL condition. */
export function flow(id: string, from: string, to: string, condition?: string): string {
  return condition
    ? `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression>${condition.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</bpmn:conditionExpression></bpmn:sequenceFlow>`
    : `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;
}

export function processKit(t: TestApp, admin: Session, now: () => Date) {
  const api = (session: Session = admin) => as(t, session);

  async function deployed(xml: string, name = 'Order'): Promise<ProcessDefinition> {
    const created = await api()('POST', '/api/v1/process-definitions', { name, xml });
    expect(created.statusCode, created.body).toBe(201);
    const definition = created.json<ProcessDefinition>();
    const deploy = await api()('POST', `/api/v1/process-definitions/${definition.id}/deploy`);
    expect(deploy.statusCode, deploy.body).toBe(200);
    expect(deploy.json<ProcessValidation>().problems).toEqual([]);
    return definition;
  }

  async function start(definitionId: string, body: Record<string, unknown> = {}, session: Session = admin): Promise<ProcessInstance> {
    const response = await api(session)('POST', `/api/v1/process-definitions/${definitionId}/instances`, body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<ProcessInstance>();
  }

  async function card(id: string, session: Session = admin): Promise<ProcessInstanceCard> {
    const response = await api(session)('GET', `/api/v1/process-instances/${id}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ProcessInstanceCard>();
  }

  /** The elements where the instance waits now, sorted. */
  async function waitingAt(id: string): Promise<string[]> {
    return (await card(id)).tokens
      .filter((token) => token.state === 'waiting')
      .map((token) => token.elementId)
      .sort();
  }

  /** Everything due now, as one pass of the due-timer loop does it. */
  async function fire(): Promise<number> {
    const fired = await t.database.db.transaction().execute((trx) => t.services.process.dueKind.fireDue(trx, now(), 100));
    await t.services.process.dueKind.afterCommit?.();
    return fired;
  }

  async function completeTask(instanceId: string, elementId: string, data: Record<string, unknown> = {}, session: Session = admin): Promise<ProcessInstance> {
    const task = (await card(instanceId)).tasks.find((candidate) => candidate.elementId === elementId && candidate.status === 'open');
    expect(task, `an open task at ${elementId}`).toBeDefined();
    const response = await api(session)('POST', `/api/v1/process-instances/${instanceId}/tasks/${task!.taskId}/complete`, { data });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ProcessInstance>();
  }

  return { api, deployed, start, card, waitingAt, fire, completeTask };
}
