import type { Pipeline } from '@rapport/shared';
import { describe, expect, it } from 'vitest';
import { addStage, blankDraft, draftErrors, draftOf, moveStage, newStage, toStageInputs } from './pipeline-draft';

const names = { first: 'New request', won: 'Won', lost: 'Lost' };

describe('pipeline drafts', () => {
  it('adds a stage after the last open one, so won and lost stay at the end', () => {
    const stages = addStage(blankDraft(names).stages);
    expect(stages.map((stage) => stage.kind)).toEqual(['open', 'open', 'won', 'lost']);
    expect(new Set(stages.map((stage) => stage.key)).size).toBe(4);
  });

  it('moves a stage up and down, and not past either end', () => {
    const stages = blankDraft(names).stages;
    expect(moveStage(stages, 1, -1).map((stage) => stage.name)).toEqual(['Won', 'New request', 'Lost']);
    expect(moveStage(stages, 0, -1)).toBe(stages);
    expect(moveStage(stages, 2, 1)).toBe(stages);
  });

  it('names what is wrong by field, as the server would', () => {
    const draft = { name: ' ', stages: [newStage('open', 'Call'), newStage('won', 'Paid'), newStage('open', 'call '), newStage('open', '')] };
    const errors = draftErrors(draft);
    expect(errors.get('name')).toEqual({ rule: 'required' });
    expect(errors.get('stages')).toEqual({ rule: 'missing_kind', kind: 'lost' });
    expect(errors.get('stages/2/kind')).toEqual({ rule: 'open_after_closed' });
    expect(errors.get('stages/2/name')).toEqual({ rule: 'duplicate_name' });
    expect(errors.get('stages/3/name')).toEqual({ rule: 'required' });
    expect(draftErrors({ ...blankDraft(names), name: 'Windows' }).size).toBe(0);
  });

  it('sends stages without React keys, keeping ids and rotting days of open stages only', () => {
    const pipeline: Pipeline = {
      id: 'p',
      name: 'Sales',
      isDefault: true,
      position: 0,
      createdAt: '',
      updatedAt: '',
      version: 1,
      stages: [
        { id: 's1', name: 'Call ', color: '#4dabf7', probability: 10, kind: 'open', rottingDays: 3, position: 0 },
        { id: 's2', name: 'Won', color: '#40c057', probability: 100, kind: 'won', rottingDays: null, position: 1 },
      ],
    };
    const draft = draftOf(pipeline);
    draft.stages[1] = { ...draft.stages[1]!, rottingDays: 5 };
    expect(toStageInputs(draft.stages)).toEqual([
      { id: 's1', name: 'Call', color: '#4dabf7', probability: 10, kind: 'open', rottingDays: 3 },
      { id: 's2', name: 'Won', color: '#40c057', probability: 100, kind: 'won', rottingDays: null },
    ]);
  });
});
