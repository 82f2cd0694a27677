import { Type, type Static } from 'typebox';
import { BodyVersion, DateTime, literals, Nullable, Uuid } from './contracts.js';
import { LEAD_SOURCES } from './client-base.js';
import { WEB_FORM_ASSIGN_MODES } from './web-form.js';

/**
 * Lead distribution (Settings › Lead distribution): ordered workspace-wide rules every incoming lead (web form, API
 * intake) goes through. The first enabled rule whose conditions all hold picks the owner; no match leaves the lead to
 * the form's own assignment.
 */

/** ISO weekdays: 1 = Monday … 7 = Sunday. */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const Clock = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$' });

export const LeadDistributionConditions = Type.Object(
  {
    sources: Type.Array(literals(LEAD_SOURCES), { maxItems: LEAD_SOURCES.length }),
    formIds: Type.Array(Uuid, { maxItems: 50 }),
    productIds: Type.Array(Uuid, { maxItems: 50 }),
    /** The lead custom field holding the region (or city), and the values that match, compared case-insensitively. */
    region: Nullable(Type.Object({ fieldKey: Type.String({ minLength: 1, maxLength: 63 }), values: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 }) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type LeadDistributionConditions = Static<typeof LeadDistributionConditions>;

export const LeadDistributionAssignment = Type.Object(
  { mode: literals(WEB_FORM_ASSIGN_MODES), userId: Type.Optional(Nullable(Uuid)), teamId: Type.Optional(Nullable(Uuid)) },
  { additionalProperties: false },
);

/** When the rule's people work, in the workspace's time zone; `to` is exclusive ("18:00" closes at six). */
export const WorkingHours = Type.Object(
  { days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { maxItems: 7 }), from: Clock, to: Clock },
  { additionalProperties: false },
);
export type WorkingHours = Static<typeof WorkingHours>;

/** Reassign to the next person by the same rule when nobody takes the lead within `afterMinutes`, at most `maxTimes` times. */
export const LeadReassignment = Type.Object({ afterMinutes: Type.Integer(), maxTimes: Type.Integer() }, { additionalProperties: false });
export type LeadReassignment = Static<typeof LeadReassignment>;

export const LeadDistributionRule = Type.Object({
  id: Uuid,
  name: Type.String(),
  position: Type.Integer(),
  enabled: Type.Boolean(),
  conditions: LeadDistributionConditions,
  assignment: Type.Object({ mode: literals(WEB_FORM_ASSIGN_MODES), userId: Nullable(Uuid), teamId: Nullable(Uuid) }),
  workingHours: Nullable(WorkingHours),
  reassign: Nullable(LeadReassignment),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: Type.Integer(),
});
export type LeadDistributionRule = Static<typeof LeadDistributionRule>;

const ruleFields = {
  name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  enabled: Type.Boolean(),
  conditions: LeadDistributionConditions,
  assignment: LeadDistributionAssignment,
  workingHours: Nullable(WorkingHours),
  reassign: Nullable(LeadReassignment),
};

export const LeadDistributionRuleBody = Type.Object(
  {
    name: ruleFields.name,
    enabled: Type.Optional(ruleFields.enabled),
    conditions: Type.Optional(ruleFields.conditions),
    assignment: ruleFields.assignment,
    workingHours: Type.Optional(ruleFields.workingHours),
    reassign: Type.Optional(ruleFields.reassign),
  },
  { additionalProperties: false },
);
export type LeadDistributionRuleBody = Static<typeof LeadDistributionRuleBody>;

export const LeadDistributionRuleUpdateBody = Type.Object(
  {
    name: Type.Optional(ruleFields.name),
    enabled: Type.Optional(ruleFields.enabled),
    conditions: Type.Optional(ruleFields.conditions),
    assignment: Type.Optional(ruleFields.assignment),
    workingHours: Type.Optional(ruleFields.workingHours),
    reassign: Type.Optional(ruleFields.reassign),
    version: BodyVersion,
  },
  { additionalProperties: false },
);
export type LeadDistributionRuleUpdateBody = Static<typeof LeadDistributionRuleUpdateBody>;

/** The whole order at once: every live rule's id, first rule first. */
export const LeadDistributionOrderBody = Type.Object({ ids: Type.Array(Uuid, { minItems: 1, maxItems: 200 }) }, { additionalProperties: false });
export type LeadDistributionOrderBody = Static<typeof LeadDistributionOrderBody>;
