// Processes 4. The process card. A "Discount approval" (start → user task for the deal's owner with a required
// "Discount" number field → end) is created through the API; in the designer its start event is made "Started from
// cards of: Deal", then saved and deployed. From a deal's card "Start process" lists it and starts it with the deal
// linked, landing on the process card (the deal's title links back); the deal's card lists the running instance. On the
// card a variable is added (a malformed number refused beside the field first) and a comment is left with its author.
// The task is opened from the task list: its drawer names the process step with a link and shows the form, which refuses
// an empty discount, then completes the step with 12. The process card then shows the instance finished, the history
// with the task done (and the discount) and the map with the user task done; the instances list, narrowed to the deal
// from the row's filter, has it alone.
import { ADMIN, apiIn, assert, navOf, pageAs } from './lib.mjs';

const NAME = 'Discount approval';
const TASK = 'Approve the discount';
const DEAL = 'Forty office chairs';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:rapport="https://rapport.dev/schema/bpmn/1.0" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_1" isExecutable="true">
    <bpmn:startEvent id="Start" name="Asked"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Approve" name="${TASK}" rapport:assignee="owner">
      <bpmn:extensionElements><rapport:formField key="discount" label="Discount" type="number" required="true" /></bpmn:extensionElements>
      <bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="End" name="Approved"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Approve" />
    <bpmn:sequenceFlow id="F2" sourceRef="Approve" targetRef="End" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_1">
    <bpmndi:BPMNPlane id="Plane_1" bpmnElement="Process_1">
      <bpmndi:BPMNShape id="Start_di" bpmnElement="Start"><dc:Bounds x="180" y="160" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Approve_di" bpmnElement="Approve"><dc:Bounds x="280" y="138" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="End_di" bpmnElement="End"><dc:Bounds x="450" y="160" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="F1_di" bpmnElement="F1"><di:waypoint x="216" y="178" /><di:waypoint x="280" y="178" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="F2_di" bpmnElement="F2"><di:waypoint x="380" y="178" /><di:waypoint x="450" y="178" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;

export default async function processCardSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN);
  const definition = await apiIn(page, 'POST', '/process-definitions', { name: NAME, xml: XML });

  // The designer: the start event is offered on deal cards.
  await page.goto(`${baseUrl}/processes/${definition.id}`);
  await page.getByRole('heading', { name: NAME, level: 1 }).waitFor();
  const canvas = page.getByTestId('bpmn-canvas');
  const panel = page.getByTestId('properties-panel');
  await canvas.locator('.djs-element.djs-shape[data-element-id="Start"]').click();
  await panel.getByRole('combobox', { name: 'Started from cards of' }).click();
  await page.getByRole('option', { name: 'Deal', exact: true }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText(`Process “${NAME}” saved`).waitFor();
  assert.match((await apiIn(page, 'GET', `/process-definitions/${definition.id}`)).draftXml, /rapport:object="deal"/);
  await page.getByRole('button', { name: 'Deploy' }).click();
  await page.getByText('Version 1 deployed').waitFor();

  // Started from the deal's card.
  const pipeline = (await apiIn(page, 'GET', '/pipelines')).items.find((item) => item.isDefault);
  const deal = await apiIn(page, 'POST', '/deals', { title: DEAL, stageId: pipeline.stages[0].id });
  await page.goto(`${baseUrl}/deals/${deal.id}`);
  await page.getByRole('heading', { name: DEAL, level: 1 }).waitFor();
  const processes = page.getByRole('region', { name: 'Processes' });
  await processes.getByText('No processes for this record').waitFor();
  await processes.getByRole('button', { name: 'Start process' }).click();
  const offered = page.getByRole('menuitem');
  await offered.filter({ hasText: NAME }).waitFor();
  assert.ok((await offered.allInnerTexts()).every((text) => !text.includes('Order check')), 'a process not made for deal cards is not offered');
  await screenshot(page, '430-deal-card-start-process');
  await offered.filter({ hasText: NAME }).click();
  await page.waitForURL(/\/processes\/instances\/[0-9a-f-]{36}$/);
  const instanceId = page.url().split('/').pop();
  await page.getByRole('heading', { name: `${NAME} · Version 1` }).waitFor();
  await page.getByTestId('instance-record').getByText(DEAL).waitFor();
  await page.getByTestId('instance-state').getByText('Running').waitFor();
  await page.getByTestId('process-task').filter({ hasText: TASK }).getByText('Open').waitFor();
  await page.getByTestId('process-map').locator('.djs-element.rp-active[data-element-id="Approve"]').waitFor();

  // The deal's card lists it, linked to the process card.
  await page.getByTestId('instance-record').click();
  await page.getByRole('heading', { name: DEAL, level: 1 }).waitFor();
  const listed = processes.getByTestId('record-process').filter({ hasText: NAME });
  await listed.getByText('Running').waitFor();
  await screenshot(page, '431-deal-card-processes');
  await listed.getByRole('link', { name: NAME }).click();
  await page.waitForURL(`${baseUrl}/processes/instances/${instanceId}`);

  // A variable: a malformed number is refused beside the field, then "priority" = 2 is saved.
  const variables = page.getByRole('region', { name: 'Variables' });
  await variables.getByRole('button', { name: 'Edit' }).click();
  await variables.getByRole('button', { name: 'Add a variable' }).click();
  await variables.getByRole('textbox', { name: 'Name' }).fill('priority');
  await variables.getByRole('combobox', { name: 'Type' }).click();
  await page.getByRole('option', { name: 'Number' }).click();
  await variables.getByRole('button', { name: 'Save' }).click();
  await variables.getByText('Enter a number').waitFor();
  await variables.getByRole('textbox', { name: 'Value of priority' }).fill('2');
  await variables.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Variables saved').waitFor();
  await variables.getByTestId('variable-row').filter({ hasText: 'priority' }).getByText('2').waitFor();
  assert.deepEqual((await apiIn(page, 'GET', `/process-instances/${instanceId}`)).variables, { priority: 2 });

  // A comment, with its author.
  const comments = page.getByRole('region', { name: 'Comments and questions' });
  await comments.getByRole('textbox', { name: 'Write a comment…' }).fill('The client orders forty: 12% is fine by me.');
  await comments.getByRole('button', { name: 'Send' }).click();
  const comment = comments.getByTestId('process-comment').filter({ hasText: 'The client orders forty' });
  await comment.getByText(ADMIN.name, { exact: false }).waitFor();
  await screenshot(page, '432-process-card-running');

  // The task, opened from the task list: the process step and its form.
  await navOf(page).getByRole('link', { name: 'Tasks' }).click();
  await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
  await page.getByTestId('task-row').filter({ hasText: TASK }).getByRole('link', { name: TASK }).click();
  const drawer = page.getByRole('dialog', { name: 'Task' });
  const step = drawer.getByTestId('task-process-step');
  await step.getByRole('link', { name: NAME }).waitFor();
  assert.equal(await drawer.getByRole('button', { name: 'Complete', exact: true }).count(), 0, 'a step with a form is completed with its form');
  await step.getByRole('button', { name: 'Complete step' }).click();
  await step.getByText('Fill this in').waitFor();
  await step.getByRole('textbox', { name: 'Discount' }).fill('12');
  await screenshot(page, '433-task-process-form');
  await step.getByRole('button', { name: 'Complete step' }).click();
  await page.getByText('Step completed: the process goes on').waitFor();

  // The process card: finished, the step done in the history and on the map.
  await step.getByRole('link', { name: NAME }).click();
  await page.waitForURL(`${baseUrl}/processes/instances/${instanceId}`);
  await page.getByTestId('instance-state').getByText('Completed').waitFor();
  const history = page.getByTestId('history-event');
  await history.filter({ hasText: `Task “${TASK}” done` }).getByText('discount:').waitFor();
  await history.filter({ hasText: 'Finished' }).waitFor();
  await history.filter({ hasText: 'Variables changed' }).waitFor();
  await page.getByTestId('process-task').filter({ hasText: TASK }).getByText('Done').waitFor();
  await page.getByTestId('process-map').locator('.djs-element.rp-done[data-element-id="Approve"]').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Cancel process' }).count(), 0, 'a finished process has nothing to cancel');
  const instance = await apiIn(page, 'GET', `/process-instances/${instanceId}`);
  assert.equal(instance.state, 'completed');
  assert.deepEqual(instance.variables, { priority: 2, discount: 12 });
  await screenshot(page, '434-process-card-finished');

  // Monitoring: the row names the deal, and its filter narrows the list to the deal's instances.
  await page.getByRole('link', { name: '← Instances' }).click();
  const row = page.getByTestId('instance-row').filter({ hasText: DEAL });
  await row.getByRole('link', { name: "Only this record's instances" }).click();
  await page.waitForURL(/recordType=deal&recordId=/);
  await page.getByTestId('record-filter').getByText(`Record: ${DEAL}`).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=instance-row]').length === 1);
  await row.getByText('Completed').waitFor();
  await screenshot(page, '435-instances-of-a-deal');
  await page.context().close();
}
