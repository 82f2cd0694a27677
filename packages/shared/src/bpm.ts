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
 * - none start event: `rapport:object` — the record type (deal, contact, company, lead) a manual start from a card links;
 * - message start event: `<rapport:crmTrigger>` inside the message event definition's `extensionElements`;
 * - call activity: standard `calledElement` (the called process's BPMN id); `<rapport:inputMapping source="<FEEL>"
 *   target="<variable>">` and `<rapport:outputMapping …>` inside `extensionElements` — without any, every variable is
 *   passed in (inputs) or back (outputs);
 * - conditions and expressions: standard `conditionExpression` bodies, read as FEEL; timers: standard
 *   timeDate / timeDuration / timeCycle (ISO 8601).
 */
export const RAPPORT_BPMN_NS = 'https://rapport.dev/schema/bpmn/1.0';

/** A call activity's variable mapping: a FEEL `source` whose value goes into the variable `target`. */
const MAPPING_PROPERTIES = [
  { name: 'source', isAttr: true, type: 'String' },
  { name: 'target', isAttr: true, type: 'String' },
] as const;

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
      // The record type a none start event's manual start links (deal, contact, company, lead): the process is then
      // offered on that object's cards.
      name: 'RecordStart',
      extends: ['bpmn:StartEvent'],
      properties: [{ name: 'object', isAttr: true, type: 'String' }],
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
    { name: 'InputMapping', superClass: ['Element'], properties: MAPPING_PROPERTIES },
    { name: 'OutputMapping', superClass: ['Element'], properties: MAPPING_PROPERTIES },
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

export const ProcessDefinitionList = Type.Object({ items: Type.Array(ProcessDefinition) });
export type ProcessDefinitionList = Static<typeof ProcessDefinitionList>;

/** A deployed version; the detail carries its XML (the diagram an instance's map draws). */
export const ProcessVersion = Type.Object({
  number: Type.Integer(),
  deployedAt: DateTime,
  deployedBy: Nullable(Uuid),
  deployedByName: Nullable(Type.String()),
});
export type ProcessVersion = Static<typeof ProcessVersion>;
export const ProcessVersionList = Type.Object({ items: Type.Array(ProcessVersion) });
export const ProcessVersionDetail = Type.Object({ ...ProcessVersion.properties, xml: Type.String() });
export type ProcessVersionDetail = Static<typeof ProcessVersionDetail>;
export const ProcessVersionParams = Type.Object({ id: Uuid, n: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

/** One row of the monitoring list. */
export const ProcessInstance = Type.Object({
  id: Uuid,
  definitionId: Uuid,
  definitionName: Type.String(),
  definitionVersion: Type.Integer(),
  state: literals(PROCESS_INSTANCE_STATES),
  record: Nullable(Type.Object({ type: literals(PROCESS_RECORD_TYPES), id: Uuid })),
  /** The linked record's name or title; null when the reader may not see the record (or it is gone). */
  recordTitle: Nullable(Type.String()),
  /** Why it failed: the failing step's error. */
  error: Nullable(Type.String()),
  ownerId: Uuid,
  /** The instance whose call activity started this one. */
  parentInstanceId: Nullable(Uuid),
  startedAt: DateTime,
  endedAt: Nullable(DateTime),
  version: Type.Integer(),
});
export type ProcessInstance = Static<typeof ProcessInstance>;

export const ProcessInstanceQuery = Type.Object(
  {
    definitionId: Type.Optional(Uuid),
    definitionVersion: Type.Optional(Type.Integer({ minimum: 1 })),
    state: Type.Optional(literals(PROCESS_INSTANCE_STATES)),
    recordType: Type.Optional(literals(PROCESS_RECORD_TYPES)),
    recordId: Type.Optional(Uuid),
    startedFrom: Type.Optional(DateTime),
    startedTo: Type.Optional(DateTime),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type ProcessInstanceQuery = Static<typeof ProcessInstanceQuery>;
export const ProcessInstanceList = Type.Object({ items: Type.Array(ProcessInstance), nextCursor: Nullable(Type.String()) });
export type ProcessInstanceList = Static<typeof ProcessInstanceList>;

export const PROCESS_TOKEN_STATES = ['waiting', 'done', 'cancelled', 'failed'] as const;

/** Where a path of the instance is or was; `parentId` is the embedded sub-process's token. */
export const ProcessToken = Type.Object({
  id: Uuid,
  elementId: Type.String(),
  elementName: Nullable(Type.String()),
  parentId: Nullable(Uuid),
  state: literals(PROCESS_TOKEN_STATES),
  error: Nullable(Type.String()),
  enteredAt: DateTime,
  leftAt: Nullable(DateTime),
});
export type ProcessToken = Static<typeof ProcessToken>;

export const ProcessFormField = Type.Object({ key: Type.String(), label: Type.String(), type: literals(FORM_FIELD_TYPES), required: Type.Boolean() });

/** A user task of the instance: a task of the task list, with its form. */
export const ProcessUserTask = Type.Object({
  taskId: Uuid,
  elementId: Type.String(),
  title: Type.String(),
  assigneeId: Uuid,
  assigneeName: Nullable(Type.String()),
  status: literals(['open', 'done', 'cancelled'] as const),
  form: Type.Array(ProcessFormField),
  createdAt: DateTime,
  completedAt: Nullable(DateTime),
});
export type ProcessUserTask = Static<typeof ProcessUserTask>;

export const ProcessEvent = Type.Object({
  id: Uuid,
  at: DateTime,
  /** started, entered, left, task_created, task_completed, timer_fired, message, failed, retried, suspended, resumed, cancelled, completed, variables_changed, error_caught… */
  kind: Type.String(),
  elementId: Nullable(Type.String()),
  userId: Nullable(Uuid),
  userName: Nullable(Type.String()),
  data: Type.Record(Type.String(), Type.Unknown()),
});
export type ProcessEvent = Static<typeof ProcessEvent>;

/** The process card. */
export const ProcessInstanceCard = Type.Object({
  ...ProcessInstance.properties,
  /** Who started it (for a CRM trigger, the record's owner; for a timer, who deployed the version). */
  startedBy: Nullable(Uuid),
  startedByName: Nullable(Type.String()),
  variables: Type.Record(Type.String(), Type.Unknown()),
  tokens: Type.Array(ProcessToken),
  tasks: Type.Array(ProcessUserTask),
  history: Type.Array(ProcessEvent),
  /** Instances its call activities started, with the call activity. */
  children: Type.Array(Type.Object({ id: Uuid, elementId: Nullable(Type.String()), definitionName: Type.String(), state: literals(PROCESS_INSTANCE_STATES) })),
});
export type ProcessInstanceCard = Static<typeof ProcessInstanceCard>;

const VariableName = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,99}$' });

/** Sets (or, with null, removes) variables; the others stay. */
/** The instance's version goes in If-Match or here. */
export const ProcessVariablesPatch = Type.Object({ version: Type.Optional(Type.Integer()), variables: Type.Record(VariableName, Type.Unknown()) }, { additionalProperties: false });
export type ProcessVariablesPatch = Static<typeof ProcessVariablesPatch>;

/** A message for the instance's waiting receive task, message catch event or message boundary, by the message's name. */
export const ProcessMessage = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), variables: Type.Optional(Type.Record(VariableName, Type.Unknown())) }, { additionalProperties: false });
export type ProcessMessage = Static<typeof ProcessMessage>;

/** Completes a user task from the process card with its form's values (they become variables). */
export const ProcessTaskComplete = Type.Object({ data: Type.Optional(Type.Record(VariableName, Type.Unknown())) }, { additionalProperties: false });
export type ProcessTaskComplete = Static<typeof ProcessTaskComplete>;
export const ProcessTaskParams = Type.Object({ id: Uuid, taskId: Uuid }, { additionalProperties: false });

/** Hands a user task to another user. */
export const ProcessTaskReassign = Type.Object({ assigneeId: Uuid }, { additionalProperties: false });
export const ElementMarkList = Type.Object({ items: Type.Array(ElementMark) });

/**
 * Moves a running instance to another deployed version of its definition. Each live token's element maps to the
 * element of the same id unless `mapping` says otherwise; `preview` only reports the plan.
 */
export const ProcessMigration = Type.Object(
  {
    targetVersion: Type.Integer({ minimum: 1 }),
    mapping: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 200 }), Type.String({ minLength: 1, maxLength: 200 }))),
    preview: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ProcessMigration = Static<typeof ProcessMigration>;

/** The plan of a migration: where each live token goes, what prevents it; `migrated` when it was carried out. */
export const ProcessMigrationPlan = Type.Object({
  fromVersion: Type.Integer(),
  targetVersion: Type.Integer(),
  tokens: Type.Array(Type.Object({ tokenId: Uuid, from: Type.String(), to: Nullable(Type.String()) })),
  problems: Type.Array(ProcessProblem),
  migrated: Type.Boolean(),
});
export type ProcessMigrationPlan = Static<typeof ProcessMigrationPlan>;

export const PROCESS_COMMENT_KINDS = ['comment', 'question'] as const;

/** A comment or a question someone left on an instance's card. */
export const ProcessComment = Type.Object({
  id: Uuid,
  kind: literals(PROCESS_COMMENT_KINDS),
  body: Type.String(),
  authorId: Uuid,
  authorName: Nullable(Type.String()),
  createdAt: DateTime,
});
export type ProcessComment = Static<typeof ProcessComment>;
export const ProcessCommentList = Type.Object({ items: Type.Array(ProcessComment) });
export const ProcessCommentCreate = Type.Object(
  { kind: Type.Optional(literals(PROCESS_COMMENT_KINDS)), body: Type.String({ minLength: 1, maxLength: 10_000, pattern: '\\S' }) },
  { additionalProperties: false },
);
export type ProcessCommentCreate = Static<typeof ProcessCommentCreate>;

/**
 * A deployed definition people can start by hand from a record's card: its process's none start event names the
 * record type with `rapport:object`.
 */
export const ProcessStartable = Type.Object({ id: Uuid, name: Type.String(), description: Nullable(Type.String()), latestVersion: Type.Integer() });
export type ProcessStartable = Static<typeof ProcessStartable>;
export const ProcessStartableList = Type.Object({ items: Type.Array(ProcessStartable) });
export const ProcessStartableQuery = Type.Object({ recordType: literals(PROCESS_RECORD_TYPES) }, { additionalProperties: false });

/** A task of the task list that is a step of a process: the process it belongs to and the form it is completed with. */
export const ProcessTaskContext = Type.Object({
  instanceId: Uuid,
  definitionName: Type.String(),
  definitionVersion: Type.Integer(),
  instanceState: literals(PROCESS_INSTANCE_STATES),
  elementId: Type.String(),
  status: literals(['open', 'done', 'cancelled'] as const),
  form: Type.Array(ProcessFormField),
});
export type ProcessTaskContext = Static<typeof ProcessTaskContext>;
export const ProcessTaskOf = Type.Object({ step: Nullable(ProcessTaskContext) });
export type ProcessTaskOf = Static<typeof ProcessTaskOf>;
export const ProcessTaskIdParams = Type.Object({ taskId: Uuid }, { additionalProperties: false });
/** A signal thrown from outside: every waiting instance of the workspace catches it, every signal start starts; the variables go with it. */
export const ProcessSignal = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }), variables: Type.Optional(Type.Record(VariableName, Type.Unknown())) }, { additionalProperties: false });
export type ProcessSignal = Static<typeof ProcessSignal>;
/** What a thrown signal did: instances that caught it and instances it started. */
export const ProcessSignalResult = Type.Object({ caught: Type.Integer(), started: Type.Integer() });
export type ProcessSignalResult = Static<typeof ProcessSignalResult>;
