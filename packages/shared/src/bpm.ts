import { Type, type Static } from 'typebox';
import { DateTime, literals, Nullable, Uuid } from './contracts.js';

/**
 * Contracts of business processes, shared by the engine (server) and the designer (web).
 *
 * BPMN 2.0 XML is the source of truth. What standard BPMN cannot say is written with the `rapport:` extension
 * below, so a file stays valid BPMN for other modelers (they keep unknown attributes):
 * - user task: `rapport:assignee` — `owner` (the linked record's owner), `user:<uuid>`, `role:<uuid>` (the role's users
 *   in turn) or `=<FEEL>` (an expression giving a user id); `rapport:dueIn` — an ISO 8601 duration (P1D, PT2H);
 *   form fields as `<rapport:formField>` inside `extensionElements`;
 * - service and send task: `rapport:action` — an ACTION LIBRARY type (create_task, notify, send_email…) and
 *   `rapport:config` — its config as JSON, the same schema as a stage robot's action;
 * - message start event: `<rapport:crmTrigger>` inside the message event definition's `extensionElements`;
 * - conditions and expressions: standard `conditionExpression` bodies, read as FEEL; timers: standard
 *   timeDate / timeDuration / timeCycle (ISO 8601).
 */
export const RAPPORT_BPMN_NS = 'https://rapport.dev/schema/bpmn/1.0';

/** The moddle descriptor of the extension, for bpmn-moddle (engine) and bpmn-js (designer). */
export const rapportModdle = {
  name: 'Rapport',
  uri: RAPPORT_BPMN_NS,
  prefix: 'rapport',
  xml: { tagAlias: 'lowerCase' },
  associations: [],
  types: [
    {
      name: 'AssignedTask',
      extends: ['bpmn:UserTask'],
      properties: [
        { name: 'assignee', isAttr: true, type: 'String' },
        { name: 'dueIn', isAttr: true, type: 'String' },
      ],
    },
    {
      name: 'ActionTask',
      extends: ['bpmn:ServiceTask', 'bpmn:SendTask'],
      properties: [
        { name: 'action', isAttr: true, type: 'String' },
        { name: 'config', isAttr: true, type: 'String' },
      ],
    },
    {
      name: 'FormField',
      superClass: ['Element'],
      properties: [
        { name: 'key', isAttr: true, type: 'String' },
        { name: 'label', isAttr: true, type: 'String' },
        { name: 'type', isAttr: true, type: 'String' },
        { name: 'required', isAttr: true, type: 'Boolean' },
      ],
    },
    {
      name: 'CrmTrigger',
      superClass: ['Element'],
      properties: [
        { name: 'event', isAttr: true, type: 'String' },
        { name: 'object', isAttr: true, type: 'String' },
        { name: 'field', isAttr: true, type: 'String' },
        { name: 'stageId', isAttr: true, type: 'String' },
        { name: 'condition', isAttr: true, type: 'String' },
      ],
    },
  ],
} as const;

/** CRM events a message start event can listen to. */
export const CRM_TRIGGER_EVENTS = ['record_created', 'field_changed', 'stage_changed'] as const;
export type CrmTriggerEvent = (typeof CRM_TRIGGER_EVENTS)[number];
/** Objects a process can be linked to and started from. */
export const PROCESS_RECORD_TYPES = ['deal', 'contact', 'company', 'lead'] as const;
export type ProcessRecordType = (typeof PROCESS_RECORD_TYPES)[number];
/** Types of a user task's form field. */
export const FORM_FIELD_TYPES = ['text', 'number', 'boolean', 'date', 'datetime'] as const;

export const PROCESS_INSTANCE_STATES = ['running', 'suspended', 'completed', 'cancelled', 'failed'] as const;
export type ProcessInstanceState = (typeof PROCESS_INSTANCE_STATES)[number];

/** A problem found when validating a diagram for deploy, named by element. */
export const ProcessProblem = Type.Object({
  elementId: Nullable(Type.String()),
  elementName: Nullable(Type.String()),
  /** The element's BPMN type, e.g. bpmn:ComplexGateway. */
  elementType: Nullable(Type.String()),
  code: Type.String(),
  message: Type.String(),
});
export type ProcessProblem = Static<typeof ProcessProblem>;

/** A process definition: its key and name, the draft being edited and the deployed versions. */
export const ProcessDefinition = Type.Object({
  id: Uuid,
  key: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  /** The diagram being edited (BPMN 2.0 XML); deploying copies it into a new version. */
  draftXml: Type.String(),
  latestVersion: Nullable(Type.Integer()),
  /** Instances by state across versions. */
  running: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: Type.Integer(),
});
export type ProcessDefinition = Static<typeof ProcessDefinition>;

export const ProcessDefinitionCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
    description: Type.Optional(Type.String({ maxLength: 2_000 })),
    /** Starts from an imported file; a new definition otherwise gets an empty diagram with one start event. */
    xml: Type.Optional(Type.String({ minLength: 1, maxLength: 5_000_000 })),
  },
  { additionalProperties: false },
);
export type ProcessDefinitionCreate = Static<typeof ProcessDefinitionCreate>;

export const ProcessDefinitionUpdate = Type.Object(
  {
    version: Type.Integer(),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
    description: Type.Optional(Nullable(Type.String({ maxLength: 2_000 }))),
    draftXml: Type.Optional(Type.String({ minLength: 1, maxLength: 5_000_000 })),
  },
  { additionalProperties: false },
);
export type ProcessDefinitionUpdate = Static<typeof ProcessDefinitionUpdate>;

/** The result of validating or deploying: problems block a deploy; `deployedVersion` is set when it happened. */
export const ProcessValidation = Type.Object({ problems: Type.Array(ProcessProblem), deployedVersion: Nullable(Type.Integer()) });
export type ProcessValidation = Static<typeof ProcessValidation>;

export const ProcessStart = Type.Object(
  {
    /** A deployed version; the latest when left out. */
    definitionVersion: Type.Optional(Type.Integer({ minimum: 1 })),
    record: Type.Optional(Type.Object({ type: literals(PROCESS_RECORD_TYPES), id: Uuid }, { additionalProperties: false })),
    variables: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,99}$' }), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type ProcessStart = Static<typeof ProcessStart>;

/** One element's state in an instance (map marking) or its count over a definition version's instances. */
export const ElementMark = Type.Object({
  elementId: Type.String(),
  state: literals(['done', 'active', 'failed'] as const),
  count: Type.Integer(),
  /** Mean time spent in the element by the tokens that left it, in seconds. */
  meanSeconds: Nullable(Type.Number()),
});
export type ElementMark = Static<typeof ElementMark>;
