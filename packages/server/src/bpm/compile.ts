import { CRM_TRIGGER_EVENTS, FORM_FIELD_TYPES, PROCESS_RECORD_TYPES, rapportModdle, type ProcessProblem, type ProcessRecordType } from '@rapport/shared';
import { BpmnModdle, type ModdleElement } from 'bpmn-moddle';
import { feelErrorAt } from './feel.js';
import { durationMs, timerProblem, type TimerSpec } from './iso-time.js';

/**
 * BPMN 2.0 XML → the executable graph of one process, and every problem that blocks a deploy, named by element.
 * Pure: no database. What needs the database (the action library's config checks, users and roles) is handed back as
 * `actions` and `people` for the caller to check.
 */

export type NodeKind = 'start' | 'end' | 'userTask' | 'serviceTask' | 'receiveTask' | 'task' | 'exclusive' | 'parallel' | 'inclusive' | 'eventBased' | 'catch' | 'throw' | 'boundary' | 'subProcess' | 'callActivity';
export type EventKind = 'none' | 'timer' | 'message' | 'error' | 'terminate' | 'signal';

export interface FormField {
  key: string;
  label: string;
  type: (typeof FORM_FIELD_TYPES)[number];
  required: boolean;
}

export interface CrmTrigger {
  event: string;
  object: string;
  stageId: string | null;
  field: string | null;
  condition: string | null;
}

export interface FlowNode {
  id: string;
  name: string | null;
  type: string;
  kind: NodeKind;
  /** The embedded sub-process the node lives in; null at the process level. */
  scope: string | null;
  incoming: string[];
  outgoing: string[];
  defaultFlow: string | null;
  event: EventKind;
  timer: TimerSpec | null;
  message: string | null;
  /** The signal a signal event throws or catches, by name. */
  signal: string | null;
  /** An error end's code, or the code a boundary catches (null: any error). */
  errorCode: string | null;
  attachedTo: string | null;
  interrupting: boolean;
  boundaries: string[];
  /** A sub-process's none start event. */
  start: string | null;
  assignee: string | null;
  dueIn: string | null;
  action: string | null;
  config: unknown;
  formFields: FormField[];
  crmTrigger: CrmTrigger | null;
  /** A none start event's `rapport:object`: the record type a manual start from a card links. */
  object: ProcessRecordType | null;
  /** A call activity's called process (its BPMN process id) and mappings; null mappings pass every variable. */
  calledElement: string | null;
  inputs: VariableMapping[] | null;
  outputs: VariableMapping[] | null;
}

/** A call activity's variable mapping: a FEEL expression's value into a variable. */
export interface VariableMapping {
  source: string;
  target: string;
}

export interface Flow {
  id: string;
  name: string | null;
  source: string;
  target: string;
  condition: string | null;
}

export interface ProcessGraph {
  processId: string;
  nodes: Map<string, FlowNode>;
  flows: Map<string, Flow>;
  /** The start event an API or manual start uses: the none start, else the first message start. */
  start: string | null;
  crmStarts: { elementId: string; trigger: CrmTrigger }[];
  timerStarts: { elementId: string; timer: TimerSpec }[];
  signalStarts: { elementId: string; signal: string }[];
  /** The signals its instances can wait for (catch events, boundaries, event-based gateways' targets). */
  caughtSignals: string[];
}

export interface Compiled {
  graph: ProcessGraph | null;
  problems: ProcessProblem[];
  /** Service and send tasks' actions, for the action library's check. */
  actions: { node: FlowNode; config: unknown }[];
  /** Users and roles named by assignees, for a check that they exist. */
  people: { node: FlowNode; kind: 'user' | 'role'; id: string }[];
  /** Call activities, for a check that the process they call is deployed. */
  calls: FlowNode[];
}

/** Elements that carry no behaviour: ignored by the engine, listed in docs/bpm.md. */
const NON_EXECUTABLE = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference', 'bpmn:TextAnnotation', 'bpmn:Association', 'bpmn:Group', 'bpmn:SequenceFlow']);

const KIND_BY_TYPE: Record<string, NodeKind> = {
  'bpmn:StartEvent': 'start',
  'bpmn:EndEvent': 'end',
  'bpmn:UserTask': 'userTask',
  'bpmn:ServiceTask': 'serviceTask',
  'bpmn:SendTask': 'serviceTask',
  'bpmn:ReceiveTask': 'receiveTask',
  'bpmn:Task': 'task',
  'bpmn:ExclusiveGateway': 'exclusive',
  'bpmn:ParallelGateway': 'parallel',
  'bpmn:InclusiveGateway': 'inclusive',
  'bpmn:EventBasedGateway': 'eventBased',
  'bpmn:IntermediateCatchEvent': 'catch',
  'bpmn:IntermediateThrowEvent': 'throw',
  'bpmn:BoundaryEvent': 'boundary',
  'bpmn:SubProcess': 'subProcess',
  'bpmn:CallActivity': 'callActivity',
};

const EVENT_BY_DEFINITION: Record<string, EventKind> = {
  'bpmn:TimerEventDefinition': 'timer',
  'bpmn:MessageEventDefinition': 'message',
  'bpmn:ErrorEventDefinition': 'error',
  'bpmn:TerminateEventDefinition': 'terminate',
  'bpmn:SignalEventDefinition': 'signal',
};

/** Which event definitions each kind of event supports. */
const EVENTS_ALLOWED: Partial<Record<NodeKind, EventKind[]>> = {
  start: ['none', 'timer', 'message', 'signal'],
  end: ['none', 'terminate', 'error', 'signal'],
  catch: ['timer', 'message', 'signal'],
  throw: ['none', 'signal'],
  boundary: ['timer', 'error', 'message', 'signal'],
};

const USER_ASSIGNEE = /^(user|role):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

const moddle = new BpmnModdle({ rapport: rapportModdle });

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function list(value: unknown): ModdleElement[] {
  return Array.isArray(value) ? (value as ModdleElement[]) : [];
}

function extensionValues(element: ModdleElement | undefined): ModdleElement[] {
  const ext = element?.extensionElements as ModdleElement | undefined;
  return list(ext?.values);
}

/** A parse failure of the XML itself, as the one problem of the file. */
export class BpmnParseError extends Error {}

export async function parseBpmn(xml: string): Promise<ModdleElement> {
  try {
    const { rootElement } = await moddle.fromXML(xml, 'bpmn:Definitions');
    return rootElement;
  } catch (error) {
    throw new BpmnParseError(`Not BPMN 2.0 XML: ${(error as Error).message.split('\n')[0]}`);
  }
}

export async function compileXml(xml: string): Promise<Compiled> {
  let definitions: ModdleElement;
  try {
    definitions = await parseBpmn(xml);
  } catch (error) {
    if (!(error instanceof BpmnParseError)) throw error;
    return { graph: null, problems: [{ elementId: null, elementName: null, elementType: null, code: 'invalid_xml', message: error.message }], actions: [], people: [], calls: [] };
  }
  return compileDefinitions(definitions);
}

export function compileDefinitions(definitions: ModdleElement): Compiled {
  const problems: ProcessProblem[] = [];
  const processes = list(definitions.rootElements).filter((element) => element.$type === 'bpmn:Process');
  const executable = processes.find((process) => process.isExecutable === true) ?? processes.find((process) => list(process.flowElements).length > 0) ?? processes[0];
  const compiled: Compiled = { graph: null, problems, actions: [], people: [], calls: [] };
  if (!executable) {
    problems.push({ elementId: null, elementName: null, elementType: null, code: 'no_process', message: 'The file has no process' });
    return compiled;
  }
  for (const process of processes) {
    const graph = buildGraph(process, compiled);
    if (process === executable) compiled.graph = graph;
  }
  return compiled;
}

function problem(element: ModdleElement, code: string, message: string): ProcessProblem {
  return { elementId: text(element.id), elementName: text(element.name), elementType: element.$type, code, message };
}

function buildGraph(process: ModdleElement, out: Compiled): ProcessGraph {
  const graph: ProcessGraph = { processId: text(process.id) ?? 'process', nodes: new Map(), flows: new Map(), start: null, crmStarts: [], timerStarts: [], signalStarts: [], caughtSignals: [] };
  const problems = out.problems;
  const report = (element: ModdleElement, code: string, message: string) => problems.push(problem(element, code, message));

  function collect(container: ModdleElement, scope: string | null): void {
    for (const element of list(container.flowElements)) {
      if (element.$type === 'bpmn:SequenceFlow') {
        const source = (element.sourceRef as ModdleElement | undefined)?.id;
        const target = (element.targetRef as ModdleElement | undefined)?.id;
        if (!source || !target) {
          report(element, 'flow_unconnected', source ? 'The sequence flow has no target' : 'The sequence flow has no source');
          continue;
        }
        const condition = text((element.conditionExpression as ModdleElement | undefined)?.body);
        if (condition) {
          const at = feelErrorAt(condition);
          if (at !== undefined) report(element, 'feel_syntax', `The condition "${condition}" is not a FEEL expression: error at character ${at + 1}`);
        }
        graph.flows.set(element.id!, { id: element.id!, name: text(element.name), source, target, condition });
        continue;
      }
      if (NON_EXECUTABLE.has(element.$type)) continue;
      const kind = KIND_BY_TYPE[element.$type];
      if (!kind || (kind === 'subProcess' && element.triggeredByEvent === true)) {
        report(element, 'unsupported_element', `${element.$type.slice(5)}${element.triggeredByEvent === true ? ' (event sub-process)' : ''} is not supported by the engine`);
        continue;
      }
      if (element.loopCharacteristics) report(element, 'unsupported_element', 'Loops and multi-instance activities are not supported by the engine');
      const node = toNode(element, kind, scope, report);
      graph.nodes.set(node.id, node);
      if (kind === 'serviceTask' && node.action) out.actions.push({ node, config: node.config });
      if (kind === 'callActivity' && node.calledElement) out.calls.push(node);
      const person = node.assignee ? USER_ASSIGNEE.exec(node.assignee) : null;
      if (person) out.people.push({ node, kind: person[1]!.toLowerCase() as 'user' | 'role', id: person[2]!.toLowerCase() });
      if (kind === 'subProcess') collect(element, node.id);
    }
  }
  collect(process, null);
  for (const element of list(process.artifacts)) {
    if (!NON_EXECUTABLE.has(element.$type)) report(element, 'unsupported_element', `${element.$type.slice(5)} is not supported by the engine`);
  }
  link(graph, process, report);
  return graph;
}

function toNode(element: ModdleElement, kind: NodeKind, scope: string | null, report: (element: ModdleElement, code: string, message: string) => void): FlowNode {
  const definitions = list(element.eventDefinitions);
  if (definitions.length > 1) report(element, 'unsupported_element', 'An event with several event definitions (multiple) is not supported by the engine');
  const definition = definitions[0];
  const event: EventKind = definition ? (EVENT_BY_DEFINITION[definition.$type] ?? 'none') : 'none';
  if (definition && !EVENT_BY_DEFINITION[definition.$type]) report(element, 'unsupported_element', `${definition.$type.slice(5).replace('EventDefinition', '')} events are not supported by the engine`);
  else if (EVENTS_ALLOWED[kind] && !EVENTS_ALLOWED[kind]!.includes(event)) report(element, 'unsupported_element', `A ${event} ${element.$type.slice(5)} is not supported by the engine`);
  const node: FlowNode = {
    id: element.id!,
    name: text(element.name),
    type: element.$type,
    kind,
    scope,
    incoming: [],
    outgoing: [],
    defaultFlow: (element.default as ModdleElement | undefined)?.id ?? null,
    event,
    timer: null,
    message: null,
    signal: null,
    errorCode: null,
    attachedTo: (element.attachedToRef as ModdleElement | undefined)?.id ?? null,
    interrupting: element.cancelActivity !== false,
    boundaries: [],
    start: null,
    assignee: text(element.get('rapport:assignee')),
    dueIn: text(element.get('rapport:dueIn')),
    action: null,
    config: undefined,
    formFields: [],
    crmTrigger: null,
    object: null,
    calledElement: null,
    inputs: null,
    outputs: null,
  };
  if (event === 'timer' && definition) {
    const spec = timerOf(definition);
    if (!spec) report(element, 'timer_missing', 'The timer has no date, duration or cycle');
    else {
      const wrong = timerProblem(spec);
      if (wrong) report(element, 'timer_invalid', wrong);
      else node.timer = spec;
    }
  }
  if (event === 'signal' && definition) {
    node.signal = text((definition.signalRef as ModdleElement | undefined)?.name);
    if (!node.signal) report(element, 'signal_missing', 'Choose the signal: a signal with a name');
  }
  if (event === 'message' && definition) node.message = text((definition.messageRef as ModdleElement | undefined)?.name);
  if (kind === 'receiveTask') node.message = text((element.messageRef as ModdleElement | undefined)?.name);
  if (event === 'error' && definition) {
    const error = definition.errorRef as ModdleElement | undefined;
    node.errorCode = text(error?.errorCode) ?? text(error?.name);
  }
  if ((kind === 'catch' || kind === 'receiveTask' || kind === 'boundary') && (event === 'message' || kind === 'receiveTask') && !node.message) {
    report(element, 'message_missing', 'The message it waits for has no name');
  }
  if (kind === 'userTask') userTaskChecks(element, node, report);
  if (kind === 'callActivity') callChecks(element, node, report);
  if (kind === 'serviceTask') {
    node.action = text(element.get('rapport:action'));
    const config = text(element.get('rapport:config'));
    if (!node.action) report(element, 'action_missing', 'Choose the action the task runs');
    try {
      node.config = config ? (JSON.parse(config) as unknown) : {};
    } catch {
      report(element, 'action_config', 'The action’s settings are not valid JSON');
      node.action = null;
    }
  }
  if (kind === 'start' && event === 'message' && definition) node.crmTrigger = crmTriggerOf(element, definition, scope, report);
  if (kind === 'start' && event === 'none' && scope === null) node.object = startObjectOf(element, report);
  if (kind === 'start' && scope !== null && event !== 'none') report(element, 'unsupported_element', 'A sub-process starts with a none start event');
  return node;
}

function startObjectOf(element: ModdleElement, report: (element: ModdleElement, code: string, message: string) => void): ProcessRecordType | null {
  const object = text(element.get('rapport:object'));
  if (object === null) return null;
  if ((PROCESS_RECORD_TYPES as readonly string[]).includes(object)) return object as ProcessRecordType;
  report(element, 'object_invalid', `"${object}" is not a record type: ${PROCESS_RECORD_TYPES.join(', ')}`);
  return null;
}

function timerOf(definition: ModdleElement): TimerSpec | null {
  for (const type of ['date', 'duration', 'cycle'] as const) {
    const key = `time${type[0]!.toUpperCase()}${type.slice(1)}`;
    const body = text((definition[key] as ModdleElement | undefined)?.body);
    if (body) return { type, value: body.trim() };
  }
  return null;
}

function userTaskChecks(element: ModdleElement, node: FlowNode, report: (element: ModdleElement, code: string, message: string) => void): void {
  const assignee = node.assignee;
  if (!assignee) report(element, 'assignee_missing', 'Choose who does the task: the record’s owner, a user, a role or an expression');
  else if (assignee.startsWith('=')) {
    const at = feelErrorAt(assignee.slice(1));
    if (at !== undefined) report(element, 'feel_syntax', `The assignee expression is not FEEL: error at character ${at + 1}`);
  } else if (assignee !== 'owner' && !USER_ASSIGNEE.test(assignee)) report(element, 'assignee_invalid', `"${assignee}" is not an assignee: owner, user:<id>, role:<id> or =<FEEL>`);
  if (node.dueIn && durationMs(node.dueIn) === null) report(element, 'due_invalid', `"${node.dueIn}" is not an ISO 8601 duration (P1D, PT4H)`);
  for (const field of extensionValues(element).filter((value) => value.$type === 'rapport:FormField')) {
    const key = text(field.key);
    const type = text(field.type) ?? 'text';
    if (!key || !/^[A-Za-z_][A-Za-z0-9_]{0,99}$/.test(key)) report(element, 'form_field_invalid', `A form field's key "${key ?? ''}" is not a variable name`);
    else if (!(FORM_FIELD_TYPES as readonly string[]).includes(type)) report(element, 'form_field_invalid', `The form field ${key} has an unknown type ${type}`);
    else node.formFields.push({ key, label: text(field.label) ?? key, type: type as FormField['type'], required: field.required === true });
  }
}

function callChecks(element: ModdleElement, node: FlowNode, report: (element: ModdleElement, code: string, message: string) => void): void {
  node.calledElement = text(element.calledElement);
  if (!node.calledElement) report(element, 'called_element_missing', 'Choose the process the call activity calls');
  const mappings = (type: string): VariableMapping[] | null => {
    const found = extensionValues(element).filter((value) => value.$type === type);
    if (found.length === 0) return null;
    const valid: VariableMapping[] = [];
    for (const mapping of found) {
      const source = text(mapping.source);
      const target = text(mapping.target);
      if (!target || !/^[A-Za-z_][A-Za-z0-9_]{0,99}$/.test(target)) report(element, 'mapping_invalid', `A mapping's target "${target ?? ''}" is not a variable name`);
      else if (!source) report(element, 'mapping_invalid', `The mapping into ${target} has no source expression`);
      else {
        const at = feelErrorAt(source);
        if (at !== undefined) report(element, 'feel_syntax', `The mapping into ${target} is not FEEL: error at character ${at + 1}`);
        else valid.push({ source, target });
      }
    }
    return valid;
  };
  node.inputs = mappings('rapport:InputMapping');
  node.outputs = mappings('rapport:OutputMapping');
}

function crmTriggerOf(element: ModdleElement, definition: ModdleElement, scope: string | null, report: (element: ModdleElement, code: string, message: string) => void): CrmTrigger | null {
  const raw = extensionValues(definition).find((value) => value.$type === 'rapport:CrmTrigger');
  if (!raw) {
    report(element, 'trigger_missing', 'A message start event starts on a CRM event: choose the event');
    return null;
  }
  const trigger: CrmTrigger = { event: text(raw.event) ?? '', object: text(raw.object) ?? '', stageId: text(raw.stageId), field: text(raw.field), condition: text(raw.condition) };
  if (scope !== null) report(element, 'unsupported_element', 'Only the process itself starts on a CRM event');
  if (!(CRM_TRIGGER_EVENTS as readonly string[]).includes(trigger.event)) report(element, 'trigger_invalid', `Unknown CRM event "${trigger.event}"; one of ${CRM_TRIGGER_EVENTS.join(', ')}`);
  else if (trigger.event === 'field_changed' && !(trigger.field && /^([A-Za-z][A-Za-z0-9]{0,99}|custom\.[A-Za-z0-9_]{1,100})$/.test(trigger.field))) {
    report(element, 'trigger_field', 'Choose the field whose change starts the process: a field name (amount) or custom.<key>');
  }
  if (!(PROCESS_RECORD_TYPES as readonly string[]).includes(trigger.object)) report(element, 'trigger_invalid', `Unknown object "${trigger.object}"; one of ${PROCESS_RECORD_TYPES.join(', ')}`);
  if (trigger.event === 'stage_changed' && trigger.object !== 'deal') report(element, 'trigger_invalid', 'Only deals have stages');
  if (trigger.condition) {
    const at = feelErrorAt(trigger.condition);
    if (at !== undefined) report(element, 'feel_syntax', `The trigger's condition is not FEEL: error at character ${at + 1}`);
  }
  return trigger;
}

/** Flows into nodes, boundaries onto activities, and the checks that need the whole graph. */
function link(graph: ProcessGraph, process: ModdleElement, report: (element: ModdleElement, code: string, message: string) => void): void {
  const at = (node: FlowNode): ModdleElement => ({ $type: node.type, id: node.id, name: node.name ?? undefined, get: () => undefined }) as ModdleElement;
  for (const flow of graph.flows.values()) {
    const source = graph.nodes.get(flow.source);
    const target = graph.nodes.get(flow.target);
    // A flow from or to an unsupported element is already reported with that element.
    if (source) source.outgoing.push(flow.id);
    if (target) target.incoming.push(flow.id);
  }
  const starts = { none: [] as FlowNode[], other: [] as FlowNode[] };
  for (const node of graph.nodes.values()) {
    if (node.kind !== 'start' || node.scope === null) continue;
    const sub = graph.nodes.get(node.scope)!;
    if (sub.start) report(at(node), 'start_ambiguous', 'A sub-process has one start event');
    else sub.start = node.id;
  }
  for (const node of graph.nodes.values()) {
    if (node.kind === 'boundary') {
      const host = node.attachedTo ? graph.nodes.get(node.attachedTo) : undefined;
      if (!host) report(at(node), 'boundary_unattached', 'The boundary event is not attached to a supported activity');
      else host.boundaries.push(node.id);
    }
    if (node.kind === 'start' && node.scope === null) (node.event === 'none' ? starts.none : starts.other).push(node);
    if (node.kind === 'start' && node.scope === null && node.timer) graph.timerStarts.push({ elementId: node.id, timer: node.timer });
    if (node.crmTrigger && node.scope === null) graph.crmStarts.push({ elementId: node.id, trigger: node.crmTrigger });
    if (node.kind === 'start' && node.scope === null && node.signal) graph.signalStarts.push({ elementId: node.id, signal: node.signal });
    if ((node.kind === 'catch' || node.kind === 'boundary') && node.signal && !graph.caughtSignals.includes(node.signal)) graph.caughtSignals.push(node.signal);
    if (node.kind !== 'end' && node.kind !== 'boundary' && node.outgoing.length === 0 && node.kind !== 'subProcess' && node.kind !== 'callActivity') {
      report(at(node), 'dead_end', 'Nothing leaves this element: connect it or end the path with an end event');
    }
    if ((node.kind === 'subProcess' || node.kind === 'callActivity') && node.outgoing.length === 0) report(at(node), 'dead_end', `Nothing leaves this ${node.kind === 'subProcess' ? 'sub-process' : 'call activity'}`);
    if (node.kind === 'boundary' && node.outgoing.length === 0 && node.event !== 'error') report(at(node), 'dead_end', 'Nothing leaves this boundary event');
    if (node.kind !== 'start' && node.kind !== 'boundary' && node.incoming.length === 0) report(at(node), 'unreachable', 'No sequence flow leads to this element');
    if (node.kind === 'subProcess' && !node.start) report(at(node), 'no_start', 'The sub-process has no none start event');
    if ((node.kind === 'exclusive' || node.kind === 'inclusive') && node.outgoing.length > 1) {
      const bare = node.outgoing.filter((id) => id !== node.defaultFlow && !graph.flows.get(id)!.condition);
      if (bare.length > 0) report(at(node), 'condition_missing', `Flows leaving the gateway need a condition or to be its default: ${bare.join(', ')}`);
    }
    if (node.kind === 'eventBased') {
      for (const id of node.outgoing) {
        const target = graph.nodes.get(graph.flows.get(id)!.target);
        if (target && !(target.kind === 'receiveTask' || (target.kind === 'catch' && (target.event === 'timer' || target.event === 'message' || target.event === 'signal')))) {
          report(at(node), 'event_gateway_target', `An event-based gateway leads only to timer, message or signal catch events and receive tasks, not to ${target.id}`);
        }
      }
    }
  }
  if (starts.none.length > 1) report(process, 'start_ambiguous', 'The process has more than one none start event');
  graph.start = starts.none[0]?.id ?? starts.other.find((node) => node.event === 'message')?.id ?? starts.other[0]?.id ?? null;
  if (!graph.start) report(process, 'no_start', 'The process has no start event');
}

/** The flow nodes a node reaches, inside its own scope (boundaries' paths included), for the inclusive join. */
export function reachable(graph: ProcessGraph, fromId: string): Set<string> {
  const seen = new Set<string>();
  const queue = [fromId];
  while (queue.length > 0) {
    const node = graph.nodes.get(queue.pop()!);
    if (!node) continue;
    const next = [...node.outgoing.map((id) => graph.flows.get(id)!.target), ...node.boundaries];
    for (const id of next) {
      if (!seen.has(id)) {
        seen.add(id);
        queue.push(id);
      }
    }
  }
  return seen;
}
