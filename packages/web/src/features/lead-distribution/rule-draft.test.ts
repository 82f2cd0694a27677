import { describe, expect, it } from 'vitest';
import { draftErrors, draftOf, editorFieldOf, moved, toBody } from './rule-draft';

describe('distribution rule draft', () => {
  it('sends what the editor holds: regions one a line, hours and reassignment only when switched on', () => {
    const draft = { ...draftOf(null), name: ' North ', teamId: 't1', regionField: 'region', regions: 'North\nСевер, North', hoursOn: true, days: ['3', '1'] };
    expect(toBody(draft)).toEqual({
      name: 'North',
      enabled: true,
      conditions: { sources: [], formIds: [], productIds: [], region: { fieldKey: 'region', values: ['North', 'Север'] } },
      assignment: { mode: 'round_robin', teamId: 't1' },
      workingHours: { days: [1, 3], from: '09:00', to: '18:00' },
      reassign: null,
    });
  });

  it('checks what the server would refuse, by field', () => {
    const draft = { ...draftOf(null), mode: 'user' as const, regionField: 'region', hoursOn: true, days: [], from: '18:00', to: '09:00', reassignOn: true, afterMinutes: 0, maxTimes: 30 };
    expect(Object.fromEntries(draftErrors(draft))).toEqual({ name: 'required', assignment: 'chooseUser', regions: 'regionsRequired', days: 'daysRequired', hours: 'fromBeforeTo', reassign: 'reassignNeedsTeam', afterMinutes: 'afterMinutes', maxTimes: 'maxTimes' });
  });

  it('places server errors and moves rules a step', () => {
    expect(editorFieldOf('/body/conditions/formIds/0')).toBe('formIds');
    expect(editorFieldOf('/body/conditions/region/values')).toBe('regions');
    expect(editorFieldOf('/body/workingHours/to')).toBe('hours');
    expect(moved(['a', 'b', 'c'], 'c', -1)).toEqual(['a', 'c', 'b']);
    expect(moved(['a', 'b'], 'a', -1)).toEqual(['a', 'b']);
  });
});
