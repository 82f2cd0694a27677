/**
 * The recurrence editor's model of an RRULE (RFC 5545): the parts people choose in the form. A rule with other parts
 * (typed through the API) is kept as text, described by its next dates only.
 */

export const FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface RecurrenceDraft {
  freq: Frequency;
  interval: number;
  weekdays: Weekday[];
  /** Day of the month (monthly, yearly); null = the due date's day. */
  monthDay: number | null;
  /** Months of the year, 1–12 (monthly: "in these months", e.g. quarterly). */
  months: number[];
  end: 'never' | 'count' | 'until';
  count: number;
  /** YYYY-MM-DD, inclusive. */
  until: string;
}

export const EMPTY_RECURRENCE: RecurrenceDraft = { freq: 'WEEKLY', interval: 1, weekdays: [], monthDay: null, months: [], end: 'never', count: 10, until: '' };

/** Quick choices; each is an ordinary draft the form can then adjust. */
export const PRESETS: Record<'daily' | 'weekdays' | 'weekly' | 'monthly' | 'quarterly' | 'yearly', Partial<RecurrenceDraft>> = {
  daily: { freq: 'DAILY' },
  weekdays: { freq: 'WEEKLY', weekdays: ['MO', 'TU', 'WE', 'TH', 'FR'] },
  weekly: { freq: 'WEEKLY' },
  monthly: { freq: 'MONTHLY' },
  quarterly: { freq: 'MONTHLY', monthDay: 1, months: [1, 4, 7, 10] },
  yearly: { freq: 'YEARLY' },
};

export function buildRule(draft: RecurrenceDraft): string {
  const parts = [`FREQ=${draft.freq}`];
  if (draft.interval > 1) parts.push(`INTERVAL=${draft.interval}`);
  if (draft.freq === 'WEEKLY' && draft.weekdays.length > 0) parts.push(`BYDAY=${WEEKDAYS.filter((day) => draft.weekdays.includes(day)).join(',')}`);
  if ((draft.freq === 'MONTHLY' || draft.freq === 'YEARLY') && draft.months.length > 0) parts.push(`BYMONTH=${[...draft.months].sort((a, b) => a - b).join(',')}`);
  if ((draft.freq === 'MONTHLY' || draft.freq === 'YEARLY') && draft.monthDay !== null) parts.push(`BYMONTHDAY=${draft.monthDay}`);
  if (draft.end === 'count') parts.push(`COUNT=${draft.count}`);
  if (draft.end === 'until' && /^\d{4}-\d{2}-\d{2}$/.test(draft.until)) parts.push(`UNTIL=${draft.until.replaceAll('-', '')}T235959Z`);
  return parts.join(';');
}

const int = (text: string | undefined, min: number, max: number): number | null => {
  if (text === undefined || !/^\d+$/.test(text)) return null;
  const value = Number(text);
  return value >= min && value <= max ? value : null;
};

/** The editor's draft of a rule, or null when the rule says more than the editor shows. */
export function parseRule(rule: string): RecurrenceDraft | null {
  const entries = rule
    .trim()
    .replace(/^RRULE:/i, '')
    .split(';')
    .filter(Boolean)
    .map((part) => part.split('=') as [string, string | undefined]);
  const map = new Map(entries.map(([key, value]) => [key.toUpperCase(), value ?? '']));
  if (map.size !== entries.length) return null;
  const freq = map.get('FREQ') as Frequency | undefined;
  if (!freq || !FREQUENCIES.includes(freq)) return null;
  const draft: RecurrenceDraft = { ...EMPTY_RECURRENCE, freq };
  for (const [key, value] of map) {
    if (key === 'FREQ') continue;
    if (key === 'INTERVAL') {
      const interval = int(value, 1, 1000);
      if (interval === null) return null;
      draft.interval = interval;
    } else if (key === 'BYDAY' && freq === 'WEEKLY') {
      const days = value.split(',');
      if (!days.every((day) => (WEEKDAYS as readonly string[]).includes(day))) return null;
      draft.weekdays = days as Weekday[];
    } else if (key === 'BYMONTHDAY' && (freq === 'MONTHLY' || freq === 'YEARLY')) {
      draft.monthDay = int(value, 1, 31);
      if (draft.monthDay === null) return null;
    } else if (key === 'BYMONTH' && (freq === 'MONTHLY' || freq === 'YEARLY')) {
      const months = value.split(',').map((month) => int(month, 1, 12));
      if (months.some((month) => month === null)) return null;
      draft.months = months as number[];
    } else if (key === 'COUNT') {
      const count = int(value, 1, 10_000);
      if (count === null) return null;
      draft.end = 'count';
      draft.count = count;
    } else if (key === 'UNTIL') {
      const match = /^(\d{4})(\d{2})(\d{2})(T\d{6}Z?)?$/.exec(value);
      if (!match) return null;
      draft.end = 'until';
      draft.until = `${match[1]}-${match[2]}-${match[3]}`;
    } else {
      return null;
    }
  }
  return draft;
}

export type Translate = (key: string, options?: Record<string, unknown>) => string;

/**
 * "Every 2 weeks on Mon, Wed at 09:00, 10 times" in the UI language. Counted words use the language's plural rules
 * (Russian has three forms), so every key exists in one/few/many/other in both dictionaries.
 */
export function describeRule(draft: RecurrenceDraft, options: { t: Translate; locale: string; due: Date | null }): string {
  const { t, locale, due } = options;
  const plural = (key: string, count: number) => t(`${key}.${new Intl.PluralRules(locale).select(count)}`, { count });
  const unit = draft.freq.toLowerCase();
  const parts = [draft.interval === 1 ? t(`tasks.recurrence.every.${unit}`) : plural(`tasks.recurrence.everyN.${unit}`, draft.interval)];
  if (draft.freq === 'WEEKLY' && draft.weekdays.length > 0) {
    // 2031-03-03 was a Monday: the days' names come from Intl in the UI language.
    const names = draft.weekdays.map((day) => new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(Date.UTC(2031, 2, 3 + WEEKDAYS.indexOf(day))));
    parts.push(t('tasks.recurrence.onDays', { days: names.join(', ') }));
  }
  if (draft.months.length > 0) {
    const names = [...draft.months].sort((a, b) => a - b).map((month) => new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' }).format(Date.UTC(2031, month - 1, 1)));
    parts.push(t('tasks.recurrence.inMonths', { months: names.join(', ') }));
  }
  if (draft.monthDay !== null) parts.push(t('tasks.recurrence.onMonthDay', { day: draft.monthDay }));
  if (due) parts.push(t('tasks.recurrence.atTime', { time: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(due) }));
  let text = parts.join(' ');
  if (draft.end === 'count') text += `, ${plural('tasks.recurrence.times', draft.count)}`;
  if (draft.end === 'until' && draft.until) text += `, ${t('tasks.recurrence.until', { date: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${draft.until}T00:00:00Z`)) })}`;
  return text;
}
