import { describe, expect, it } from 'vitest';
import { assigneeAttribute, assigneeOf, configOf, dueOf, durationOf, isCycle, isDateTime, isDuration, processIdOf } from './bpmn-props';
import { feelSyntaxError } from './feel-syntax';

describe('designer properties', () => {
  it('write the due offset as an ISO 8601 duration and read it back', () => {
    expect(durationOf({ amount: 1, unit: 'days' })).toBe('P1D');
    expect(durationOf({ amount: 2, unit: 'hours' })).toBe('PT2H');
    expect(durationOf({ amount: 30, unit: 'minutes' })).toBe('PT30M');
    expect(dueOf('P2W')).toEqual({ amount: 2, unit: 'weeks' });
    expect(dueOf('PT45M')).toEqual({ amount: 45, unit: 'minutes' });
    // Written by hand or by another tool: kept as text, not misread as one unit.
    expect(dueOf('P1DT2H')).toBeNull();
  });

  it('tell durations, dates and cycles from what is not', () => {
    expect(isDuration('P1DT12H')).toBe(true);
    expect(isDuration('PT')).toBe(false);
    expect(isDuration('7 days')).toBe(false);
    expect(isDateTime('2026-12-01T09:00:00Z')).toBe(true);
    expect(isDateTime('2026-12-01')).toBe(false);
    expect(isCycle('R/P1W')).toBe(true);
    expect(isCycle('R3/2026-12-07T09:00:00Z/PT10M')).toBe(true);
    expect(isCycle('P1W')).toBe(false);
  });

  it('round-trip every assignee kind through the rapport:assignee attribute', () => {
    for (const assignee of [
      { kind: 'owner', value: '' },
      { kind: 'user', value: '0190a5d2-0000-7000-8000-000000000001' },
      { kind: 'role', value: '0190a5d2-0000-7000-8000-000000000002' },
      { kind: 'expression', value: 'deal.ownerId' },
    ] as const) {
      expect(assigneeOf(assigneeAttribute(assignee))).toEqual(assignee);
    }
    expect(assigneeOf(undefined)).toEqual({ kind: 'owner', value: '' });
  });

  it('read an action config only when it is a JSON object', () => {
    expect(configOf('{"title":"Call"}')).toEqual({ title: 'Call' });
    expect(configOf('[1]')).toBeNull();
    expect(configOf('{broken')).toBeNull();
  });

  it('read the process id a call activity calls a diagram by, whatever its prefix', () => {
    expect(processIdOf('<bpmn:definitions><bpmn:process id="check_credit" isExecutable="true"></bpmn:process></bpmn:definitions>')).toBe('check_credit');
    expect(processIdOf('<definitions><process isExecutable="true" id="P2" /></definitions>')).toBe('P2');
    expect(processIdOf('<bpmn:definitions />')).toBeNull();
  });

  it('find where a FEEL condition stops parsing', () => {
    expect(feelSyntaxError('amount > 1000 and stage = "won"')).toBeNull();
    expect(feelSyntaxError('')).toBeNull();
    expect(feelSyntaxError('amount > 1000 and')).toBe(17);
  });
});
