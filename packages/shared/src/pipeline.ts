import { Type, type Static } from 'typebox';
import { BodyVersion, DateTime, literals, Uuid } from './contracts.js';

/** Contracts of sales pipelines and their stages (Settings › Pipelines); deals move through them. */

export const STAGE_KINDS = ['open', 'won', 'lost'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];
export const MAX_STAGES = 30;
export const MAX_PIPELINES = 50;

const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Color = Type.String({ pattern: '^#[0-9a-fA-F]{6}$', description: 'a colour as #rrggbb' });

export const PipelineStage = Type.Object({
  id: Uuid,
  name: Type.String(),
  color: Type.String(),
  /** Chance of winning a deal in this stage, percent: weights the forecast. */
  probability: Type.Integer(),
  kind: literals(STAGE_KINDS),
  /** A deal idle this many days in the stage is "rotting" (highlighted); null: never. */
  rottingDays: Type.Union([Type.Integer(), Type.Null()]),
  position: Type.Integer(),
});
export type PipelineStage = Static<typeof PipelineStage>;

export const Pipeline = Type.Object({
  id: Uuid,
  name: Type.String(),
  isDefault: Type.Boolean(),
  position: Type.Integer(),
  stages: Type.Array(PipelineStage),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: Type.Integer(),
});
export type Pipeline = Static<typeof Pipeline>;

export const PipelineList = Type.Object({ items: Type.Array(Pipeline) });
export type PipelineList = Static<typeof PipelineList>;

export const PipelineStageInput = Type.Object(
  {
    /** An existing stage keeps its id (and its deals); a stage without one is new. */
    id: Type.Optional(Uuid),
    name: Name,
    color: Color,
    probability: Type.Integer({ minimum: 0, maximum: 100 }),
    kind: literals(STAGE_KINDS),
    rottingDays: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 3650 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type PipelineStageInput = Static<typeof PipelineStageInput>;

/** The stages in board order: every open stage before the closing ones, at least one of each kind. */
const Stages = Type.Array(PipelineStageInput, { minItems: 3, maxItems: MAX_STAGES });

export const PipelineBody = Type.Object({ name: Name, isDefault: Type.Optional(Type.Boolean()), stages: Stages }, { additionalProperties: false });
export type PipelineBody = Static<typeof PipelineBody>;
export const PipelineUpdateBody = Type.Object(
  { name: Type.Optional(Name), isDefault: Type.Optional(Type.Literal(true, { description: 'makes it the default; to change the default, set it on another pipeline' })), stages: Type.Optional(Stages), version: BodyVersion },
  { additionalProperties: false },
);
export type PipelineUpdateBody = Static<typeof PipelineUpdateBody>;

export type StageRule = 'missing_kind' | 'open_after_closed' | 'duplicate_name' | 'duplicate_id';
export interface StageListError {
  path: string;
  message: string;
  /** Which rule, for the web's own wording; `kind` names the missing kind. */
  rule: StageRule;
  kind?: StageKind;
}

/** Where a stage list breaks the rules, as field errors under `base` (e.g. `/body/stages`). */
export function stageListErrors(stages: readonly Pick<PipelineStageInput, 'id' | 'name' | 'kind'>[], base = '/body/stages'): StageListError[] {
  const errors: StageListError[] = [];
  for (const kind of STAGE_KINDS) if (!stages.some((stage) => stage.kind === kind)) errors.push({ path: base, message: `needs at least one ${kind} stage`, rule: 'missing_kind', kind });
  const firstClosed = stages.findIndex((stage) => stage.kind !== 'open');
  stages.forEach((stage, index) => {
    if (stage.kind === 'open' && firstClosed !== -1 && index > firstClosed) errors.push({ path: `${base}/${index}/kind`, message: 'open stages come before the won and lost ones', rule: 'open_after_closed' });
  });
  const names = stages.map((stage) => stage.name.trim().toLowerCase());
  names.forEach((name, index) => {
    if (names.indexOf(name) !== index) errors.push({ path: `${base}/${index}/name`, message: 'another stage has this name', rule: 'duplicate_name' });
  });
  const ids = stages.flatMap((stage) => (stage.id ? [stage.id] : []));
  stages.forEach((stage, index) => {
    if (stage.id && ids.indexOf(stage.id) !== ids.lastIndexOf(stage.id)) errors.push({ path: `${base}/${index}/id`, message: 'the same stage twice', rule: 'duplicate_id' });
  });
  return errors;
}
