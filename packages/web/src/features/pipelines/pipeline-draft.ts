import { stageListErrors, type Pipeline, type PipelineStageInput, type StageKind, type StageRule } from '@rapport/shared';

/** A stage being edited: `key` tells React rows apart (new stages have no id yet). */
export interface StageDraft extends PipelineStageInput {
  key: string;
}

export interface PipelineDraft {
  name: string;
  stages: StageDraft[];
}

let counter = 0;
const nextKey = () => `new-${++counter}`;

/** Colours offered for stages, and the one a new stage of each kind starts with. */
export const STAGE_SWATCHES = ['#4dabf7', '#3bc9db', '#20c997', '#fab005', '#ff922b', '#f06595', '#845ef7', '#40c057', '#868e96', '#fa5252'];
const KIND_COLOR: Record<StageKind, string> = { open: '#4dabf7', won: '#40c057', lost: '#868e96' };
const KIND_PROBABILITY: Record<StageKind, number> = { open: 20, won: 100, lost: 0 };

export function draftOf(pipeline: Pipeline): PipelineDraft {
  return { name: pipeline.name, stages: pipeline.stages.map((stage) => ({ key: stage.id, id: stage.id, name: stage.name, color: stage.color, probability: stage.probability, kind: stage.kind, rottingDays: stage.rottingDays })) };
}

export function newStage(kind: StageKind, name = ''): StageDraft {
  return { key: nextKey(), name, color: KIND_COLOR[kind], probability: KIND_PROBABILITY[kind], kind, rottingDays: null };
}

/** A new pipeline's starting stages, in the reader's words. */
export function blankDraft(names: { first: string; won: string; lost: string }): PipelineDraft {
  return { name: '', stages: [newStage('open', names.first), newStage('won', names.won), newStage('lost', names.lost)] };
}

/** A new open stage goes after the last open one, so the closing stages stay at the end. */
export function addStage(stages: StageDraft[]): StageDraft[] {
  const at = stages.findIndex((stage) => stage.kind !== 'open');
  const index = at === -1 ? stages.length : at;
  return [...stages.slice(0, index), newStage('open'), ...stages.slice(index)];
}

export function moveStage(stages: StageDraft[], index: number, by: -1 | 1): StageDraft[] {
  const target = index + by;
  if (target < 0 || target >= stages.length) return stages;
  const next = [...stages];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}

/** What the API takes: no React keys, rotting only on open stages. */
export function toStageInputs(stages: StageDraft[]): PipelineStageInput[] {
  return stages.map(({ key: _key, ...stage }) => ({ ...stage, name: stage.name.trim(), rottingDays: stage.kind === 'open' ? (stage.rottingDays ?? null) : null }));
}

/** A broken rule of the draft, by field path (`name`, `stages`, `stages/2/name`): the server's rules, checked before sending. */
export type DraftError = { rule: 'required' } | { rule: StageRule; kind?: StageKind };

export function draftErrors(draft: PipelineDraft): Map<string, DraftError> {
  const errors = new Map<string, DraftError>();
  if (draft.name.trim() === '') errors.set('name', { rule: 'required' });
  draft.stages.forEach((stage, index) => {
    if (stage.name.trim() === '') errors.set(`stages/${index}/name`, { rule: 'required' });
  });
  for (const error of stageListErrors(draft.stages.map((stage) => ({ ...stage, name: stage.name.trim() })), 'stages')) {
    if (!errors.has(error.path)) errors.set(error.path, { rule: error.rule, ...(error.kind ? { kind: error.kind } : {}) });
  }
  return errors;
}
