import { describe, expect, it } from 'vitest';
import { DICTIONARIES, type Tree } from '../../i18n/dictionaries';
import { buildRule, describeRule, EMPTY_RECURRENCE, parseRule, PRESETS } from './recurrence';

/** The real dictionaries with {{name}} placeholders filled, as i18next would. */
function translator(lang: 'en' | 'ru') {
  return (key: string, options: Record<string, unknown> = {}) => {
    const text = key.split('.').reduce<Tree | string | undefined>((node, part) => (typeof node === 'object' ? node[part] : undefined), DICTIONARIES[lang]);
    if (typeof text !== 'string') throw new Error(`missing ${lang} key ${key}`);
    return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options[name]));
  };
}
const describe_ = (rule: string, lang: 'en' | 'ru', due: Date | null = null) => describeRule(parseRule(rule)!, { t: translator(lang), locale: lang === 'ru' ? 'ru-RU' : 'en-US', due });

describe('recurrence rules in the editor', () => {
  it('builds rules from the form and reads them back', () => {
    expect(buildRule({ ...EMPTY_RECURRENCE, ...PRESETS.quarterly })).toBe('FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=1');
    expect(buildRule({ ...EMPTY_RECURRENCE, ...PRESETS.weekdays })).toBe('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR');
    const custom = { ...EMPTY_RECURRENCE, freq: 'WEEKLY' as const, interval: 2, weekdays: ['WE' as const, 'MO' as const], end: 'count' as const, count: 10 };
    expect(buildRule(custom)).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=10');
    expect(parseRule('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=10')).toMatchObject({ freq: 'WEEKLY', interval: 2, weekdays: ['MO', 'WE'], end: 'count', count: 10 });
    expect(parseRule('RRULE:FREQ=MONTHLY;UNTIL=20311231T235959Z')).toMatchObject({ freq: 'MONTHLY', end: 'until', until: '2031-12-31' });
  });

  it('keeps rules the form cannot show as text', () => {
    expect(parseRule('FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1')).toBeNull();
    expect(parseRule('FREQ=HOURLY')).toBeNull();
    expect(parseRule('FREQ=DAILY;INTERVAL=0')).toBeNull();
    expect(parseRule('FREQ=DAILY;FREQ=WEEKLY')).toBeNull();
    expect(parseRule('nonsense')).toBeNull();
  });

  it('describes a rule in English and Russian, with Russian plural forms', () => {
    const due = new Date(2031, 2, 10, 9, 0);
    expect(describe_('FREQ=DAILY', 'en', due)).toBe('Every day at 09:00 AM');
    expect(describe_('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=10', 'en')).toBe('Every 2 weeks on Mon, Wed, 10 times');
    expect(describe_('FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=1', 'en')).toBe('Every month in Jan, Apr, Jul, Oct on day 1');
    expect(describe_('FREQ=MONTHLY;COUNT=1', 'en')).toBe('Every month, 1 time');
    expect(describe_('FREQ=DAILY', 'ru', due)).toBe('Каждый день в 09:00');
    expect(describe_('FREQ=DAILY;INTERVAL=2', 'ru')).toBe('Каждые 2 дня');
    expect(describe_('FREQ=DAILY;INTERVAL=5', 'ru')).toBe('Каждые 5 дней');
    expect(describe_('FREQ=WEEKLY;INTERVAL=21', 'ru')).toBe('Каждую 21 неделю');
    expect(describe_('FREQ=WEEKLY;BYDAY=MO,FR;COUNT=3', 'ru')).toBe('Каждую неделю по дням: пн, пт, 3 раза');
    expect(describe_('FREQ=YEARLY;UNTIL=20331231T235959Z', 'ru')).toMatch(/^Каждый год, до 31 дек\. 2033/);
  });
});
