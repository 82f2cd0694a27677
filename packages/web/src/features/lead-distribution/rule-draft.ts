import type { Lead, LeadDistributionRule, LeadDistributionRuleBody, WebFormAssignMode } from '@rapport/shared';

/** The editor's state of one distribution rule; text inputs stay text until sent. */
export interface RuleDraft {
  name: string;
  enabled: boolean;
  sources: Lead['source'][];
  formIds: string[];
  productIds: string[];
  regionField: string | null;
  /** One region a line (or comma-separated). */
  regions: string;
  mode: WebFormAssignMode;
  userId: string | null;
  teamId: string | null;
  hoursOn: boolean;
  /** ISO weekdays as text ("1" = Monday), as the chips hold them. */
  days: string[];
  from: string;
  to: string;
  reassignOn: boolean;
  afterMinutes: number | string;
  maxTimes: number | string;
}

export function draftOf(rule: LeadDistributionRule | null): RuleDraft {
  return {
    name: rule?.name ?? '',
    enabled: rule?.enabled ?? true,
    sources: rule?.conditions.sources ?? [],
    formIds: rule?.conditions.formIds ?? [],
    productIds: rule?.conditions.productIds ?? [],
    regionField: rule?.conditions.region?.fieldKey ?? null,
    regions: (rule?.conditions.region?.values ?? []).join('\n'),
    mode: rule?.assignment.mode ?? 'round_robin',
    userId: rule?.assignment.userId ?? null,
    teamId: rule?.assignment.teamId ?? null,
    hoursOn: Boolean(rule?.workingHours),
    days: (rule?.workingHours?.days ?? [1, 2, 3, 4, 5]).map(String),
    from: rule?.workingHours?.from ?? '09:00',
    to: rule?.workingHours?.to ?? '18:00',
    reassignOn: Boolean(rule?.reassign),
    afterMinutes: rule?.reassign?.afterMinutes ?? 15,
    maxTimes: rule?.reassign?.maxTimes ?? 2,
  };
}

const regionsOf = (text: string) => [...new Set(text.split(/[\n,]+/).map((value) => value.trim()).filter(Boolean))];

export function toBody(draft: RuleDraft): LeadDistributionRuleBody {
  return {
    name: draft.name.trim(),
    enabled: draft.enabled,
    conditions: {
      sources: draft.sources,
      formIds: draft.formIds,
      productIds: draft.productIds,
      region: draft.regionField ? { fieldKey: draft.regionField, values: regionsOf(draft.regions) } : null,
    },
    assignment: draft.mode === 'user' ? { mode: 'user', userId: draft.userId } : { mode: draft.mode, teamId: draft.teamId },
    workingHours: draft.hoursOn ? { days: draft.days.map(Number).sort(), from: draft.from, to: draft.to } : null,
    reassign: draft.reassignOn ? { afterMinutes: Number(draft.afterMinutes), maxTimes: Number(draft.maxTimes) } : null,
  };
}

const CLOCK = /^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/;

/** What the editor checks before sending, as i18n rule keys by field: the server would refuse the same. */
export function draftErrors(draft: RuleDraft): Map<string, string> {
  const errors = new Map<string, string>();
  if (draft.name.trim() === '') errors.set('name', 'required');
  if (draft.mode === 'user' ? !draft.userId : !draft.teamId) errors.set('assignment', draft.mode === 'user' ? 'chooseUser' : 'chooseTeam');
  if (draft.regionField && regionsOf(draft.regions).length === 0) errors.set('regions', 'regionsRequired');
  if (draft.hoursOn) {
    if (draft.days.length === 0) errors.set('days', 'daysRequired');
    if (!CLOCK.test(draft.from) || !CLOCK.test(draft.to)) errors.set('hours', 'clock');
    else if (draft.from >= draft.to) errors.set('hours', 'fromBeforeTo');
  }
  if (draft.reassignOn) {
    if (draft.mode === 'user') errors.set('reassign', 'reassignNeedsTeam');
    const minutes = Number(draft.afterMinutes);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 10_080) errors.set('afterMinutes', 'afterMinutes');
    const times = Number(draft.maxTimes);
    if (!Number.isInteger(times) || times < 1 || times > 20) errors.set('maxTimes', 'maxTimes');
  }
  return errors;
}

const FIELD_OF_PATH: [RegExp, string][] = [
  [/^\/body\/name/, 'name'],
  [/^\/body\/conditions\/sources/, 'sources'],
  [/^\/body\/conditions\/formIds/, 'formIds'],
  [/^\/body\/conditions\/productIds/, 'productIds'],
  [/^\/body\/conditions\/region\/fieldKey/, 'regionField'],
  [/^\/body\/conditions\/region/, 'regions'],
  [/^\/body\/assignment/, 'assignment'],
  [/^\/body\/workingHours\/days/, 'days'],
  [/^\/body\/workingHours/, 'hours'],
  [/^\/body\/reassign\/afterMinutes/, 'afterMinutes'],
  [/^\/body\/reassign\/maxTimes/, 'maxTimes'],
  [/^\/body\/reassign/, 'reassign'],
];

/** A server field error's place in the editor: `/body/conditions/formIds/0` → `formIds`. */
export function editorFieldOf(path: string): string {
  return FIELD_OF_PATH.find(([test]) => test.test(path))?.[1] ?? 'form';
}

/** The order after moving one rule a step up (-1) or down (+1). */
export function moved(ids: string[], id: string, step: -1 | 1): string[] {
  const from = ids.indexOf(id);
  const to = from + step;
  if (from < 0 || to < 0 || to >= ids.length) return ids;
  const next = [...ids];
  [next[from], next[to]] = [next[to]!, next[from]!];
  return next;
}
