import { Type, type Static } from 'typebox';
import { BodyVersion, DateTime, literals, Uuid } from './contracts.js';
import { TASK_PRIORITIES } from './task.js';

/**
 * Contracts of stage robots: per pipeline stage, rules that run actions of the action library when a deal enters the
 * stage. Each action's config has its own schema, checked when a rule is saved; BPM service tasks will use the same ones.
 */

export const ROBOT_TRIGGERS = ['on_enter', 'idle_hours'] as const;
export type RobotTrigger = (typeof ROBOT_TRIGGERS)[number];
export const ROBOT_RUN_STATUSES = ['queued', 'running', 'done', 'failed', 'skipped'] as const;
export type RobotRunStatus = (typeof ROBOT_RUN_STATUSES)[number];
export const MAX_ROBOT_ACTIONS = 10;

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S' });
/** Who an action is for: the deal's owner, one user (userId), or, where allowed, a role's users in turn (roleId). */
const personOf = <const K extends readonly string[]>(kinds: K) =>
  Type.Object({ kind: literals(kinds), userId: Type.Optional(Uuid), roleId: Type.Optional(Uuid) }, { additionalProperties: false });

export const TIME_UNITS = ['minutes', 'hours', 'days'] as const;

/** When a task is due or a call is planned: after an offset, or at a date-and-time field of the deal. */
const whenFields = {
  dueIn: Type.Optional(Type.Object({ amount: Type.Integer({ minimum: 0, maximum: 100_000 }), unit: literals(TIME_UNITS) }, { additionalProperties: false })),
  /** At the time a date-and-time custom field of the deal holds (custom.<key>), e.g. the agreed visit; dueIn when it is empty. */
  dueAtField: Type.Optional(Type.String({ pattern: '^custom\\.[A-Za-z0-9_]{1,100}$' })),
};

/** Each action's config. Texts may carry {{placeholders}} filled from the deal (title, amount, owner.name…). */
export const ROBOT_ACTION_CONFIGS = {
  create_task: Type.Object(
    {
      title: Text(300),
      description: Type.Optional(Type.String({ maxLength: 5_000 })),
      /** The deal's owner, one user, or the users of a role in turn. */
      assignee: personOf(['owner', 'user', 'role'] as const),
      ...whenFields,
      priority: Type.Optional(literals(TASK_PRIORITIES)),
    },
    { additionalProperties: false },
  ),
  /** A planned outbound call on the deal in the caller's calendar (at once when no time is set). */
  create_call: Type.Object({ subject: Text(300), assignee: personOf(['owner', 'user', 'role'] as const), ...whenFields }, { additionalProperties: false }),
  notify: Type.Object({ recipient: personOf(['owner', 'user'] as const), message: Text(500) }, { additionalProperties: false }),
  send_email: Type.Object({ to: literals(['contact', 'owner'] as const), subject: Text(300), body: Text(20_000) }, { additionalProperties: false }),
  generate_document: Type.Object({ templateId: Uuid, format: literals(['docx', 'pdf'] as const) }, { additionalProperties: false }),
  set_field: Type.Object(
    {
      /** description, expectedCloseDate, amount, or custom.<field name>. */
      field: Type.String({ pattern: '^(description|expectedCloseDate|amount|custom\\.[A-Za-z0-9_]{1,100})$' }),
      value: Type.Union([Type.String({ maxLength: 5_000 }), Type.Number(), Type.Boolean(), Type.Null()]),
    },
    { additionalProperties: false },
  ),
  move_to_stage: Type.Object({ stageId: Uuid }, { additionalProperties: false }),
  call_webhook: Type.Object({ url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2_000 }), timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 })) }, { additionalProperties: false }),
} as const;
export type RobotActionType = keyof typeof ROBOT_ACTION_CONFIGS;
export const ROBOT_ACTION_TYPES = Object.keys(ROBOT_ACTION_CONFIGS) as RobotActionType[];
export type RobotActionConfig<T extends RobotActionType> = Static<(typeof ROBOT_ACTION_CONFIGS)[T]>;

/** An action as saved: its type and config; the config is checked against the type's schema by the server. */
export const RobotAction = Type.Object({ type: Type.String({ maxLength: 50 }), config: Type.Record(Type.String(), Type.Unknown()) }, { additionalProperties: false });
export type RobotAction = Static<typeof RobotAction>;

export const RobotRule = Type.Object({
  id: Uuid,
  stageId: Uuid,
  name: Type.String(),
  trigger: literals(ROBOT_TRIGGERS),
  /** idle_hours: hours in the stage without activity before the rule runs (once per stay); null for on_enter. */
  idleHours: Type.Union([Type.Integer(), Type.Null()]),
  /** A FEEL expression over the deal's fields (amount > 1000 and source = "web"); null: always. */
  condition: Type.Union([Type.String(), Type.Null()]),
  actions: Type.Array(RobotAction),
  position: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: Type.Integer(),
});
export type RobotRule = Static<typeof RobotRule>;
export const RobotRuleList = Type.Object({ items: Type.Array(RobotRule) });
export type RobotRuleList = Static<typeof RobotRuleList>;
export const RobotRuleQuery = Type.Object({ stageId: Uuid }, { additionalProperties: false });

const Actions = Type.Array(RobotAction, { minItems: 1, maxItems: MAX_ROBOT_ACTIONS });
const Condition = Type.Union([Type.String({ maxLength: 2_000 }), Type.Null()]);
const IdleHours = Type.Union([Type.Integer({ minimum: 1, maximum: 8760 }), Type.Null()]);
export const RobotRuleBody = Type.Object(
  { stageId: Uuid, name: Text(200), trigger: literals(ROBOT_TRIGGERS), idleHours: Type.Optional(IdleHours), condition: Type.Optional(Condition), actions: Actions },
  { additionalProperties: false },
);
export type RobotRuleBody = Static<typeof RobotRuleBody>;
export const RobotRuleUpdateBody = Type.Object(
  { name: Type.Optional(Text(200)), trigger: Type.Optional(literals(ROBOT_TRIGGERS)), idleHours: Type.Optional(IdleHours), condition: Type.Optional(Condition), actions: Type.Optional(Actions), version: BodyVersion },
  { additionalProperties: false },
);
export type RobotRuleUpdateBody = Static<typeof RobotRuleUpdateBody>;

export const RobotRun = Type.Object({
  id: Uuid,
  ruleId: Uuid,
  ruleName: Type.String(),
  actionIndex: Type.Integer(),
  actionType: Type.String(),
  status: literals(ROBOT_RUN_STATUSES),
  attempts: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
  /** What the action made or did, e.g. { taskId, title }. */
  result: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  createdAt: DateTime,
  startedAt: Type.Union([DateTime, Type.Null()]),
  finishedAt: Type.Union([DateTime, Type.Null()]),
});
export type RobotRun = Static<typeof RobotRun>;
export const RobotRunList = Type.Object({ items: Type.Array(RobotRun) });
export type RobotRunList = Static<typeof RobotRunList>;
