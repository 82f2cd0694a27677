import { Chip, Group, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-client';
import { intlLocale } from '../../i18n/i18n';
import { useFormat } from '../../i18n/use-format';
import { buildRule, describeRule, EMPTY_RECURRENCE, FREQUENCIES, parseRule, PRESETS, WEEKDAYS, type RecurrenceDraft } from './recurrence';
import { taskMessageKey } from './task-draft';
import { useRecurrencePreview } from './use-tasks';

type Choice = keyof typeof PRESETS | 'none' | 'custom';

/** Which quick choice a rule is, if any (so the select shows it). */
function choiceOf(rule: string | null): Choice {
  if (!rule) return 'none';
  for (const [key, preset] of Object.entries(PRESETS)) if (buildRule({ ...EMPTY_RECURRENCE, ...preset }) === rule) return key as Choice;
  return 'custom';
}

/**
 * "Repeat" for a task: quick choices (daily, weekdays, quarterly…) or a custom rule, with the rule in words and its
 * next dates as the server computes them in the workspace's time zone — or the server's reason for refusing it.
 */
export function RecurrenceEditor({ value, onChange, dueAt, allDay, error }: { value: string | null; onChange: (rule: string | null) => void; dueAt: string | null; allDay: boolean; error?: string | undefined }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const locale = intlLocale(i18n.language);
  // "Custom" stays open while the rule is edited, even when it happens to equal a quick choice.
  const [customOpen, setCustomOpen] = useState(() => choiceOf(value) === 'custom');
  const choice = value && customOpen ? 'custom' : choiceOf(value);
  const draft = value ? parseRule(value) : null;
  const [debouncedRule] = useDebouncedValue(value, 400);
  const preview = useRecurrencePreview(debouncedRule, dueAt);
  const serverError = isApiError(preview.error) ? preview.error.fieldErrors[0]?.message : undefined;

  const set = (patch: Partial<RecurrenceDraft>) => onChange(buildRule({ ...(draft ?? EMPTY_RECURRENCE), ...patch }));
  const choices: Choice[] = ['none', 'daily', 'weekdays', 'weekly', 'monthly', 'quarterly', 'yearly', 'custom'];

  return (
    <Stack gap="xs">
      <Select
        label={t('tasks.recurrence.label')}
        data={choices.map((key) => ({ value: key, label: t(`tasks.recurrence.choices.${key}`) }))}
        value={choice}
        allowDeselect={false}
        onChange={(next) => {
          setCustomOpen(next === 'custom');
          if (next === 'none') onChange(null);
          else if (next === 'custom') onChange(value ?? buildRule(EMPTY_RECURRENCE));
          else if (next) onChange(buildRule({ ...EMPTY_RECURRENCE, ...PRESETS[next as keyof typeof PRESETS] }));
        }}
        error={error}
        comboboxProps={{ withinPortal: true }}
      />
      {value && choice === 'custom' && draft ? (
        <Stack gap="xs" pl="sm" style={{ borderLeft: '2px solid var(--mantine-color-gray-3)' }}>
          <Group gap="xs" align="flex-end" wrap="wrap">
            <NumberInput label={t('tasks.recurrence.interval')} min={1} max={1000} w={110} value={draft.interval} onChange={(next) => set({ interval: typeof next === 'number' && next >= 1 ? Math.floor(next) : 1 })} />
            <Select
              label={t('tasks.recurrence.unit')}
              w={160}
              allowDeselect={false}
              data={FREQUENCIES.map((freq) => ({ value: freq, label: t(`tasks.recurrence.units.${freq.toLowerCase()}`) }))}
              value={draft.freq}
              onChange={(next) => next && set({ freq: next as RecurrenceDraft['freq'], weekdays: [], months: [], monthDay: null })}
              comboboxProps={{ withinPortal: true }}
            />
            {draft.freq === 'MONTHLY' || draft.freq === 'YEARLY' ? (
              <NumberInput label={t('tasks.recurrence.monthDay')} min={1} max={31} w={130} value={draft.monthDay ?? ''} onChange={(next) => set({ monthDay: typeof next === 'number' ? Math.min(31, Math.max(1, Math.floor(next))) : null })} />
            ) : null}
          </Group>
          {draft.freq === 'WEEKLY' ? (
            <Chip.Group multiple value={draft.weekdays} onChange={(days) => set({ weekdays: days as RecurrenceDraft['weekdays'] })}>
              <Group gap={4} aria-label={t('tasks.recurrence.weekdays')} role="group">
                {WEEKDAYS.map((day, i) => (
                  <Chip key={day} value={day} size="xs">
                    {new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(Date.UTC(2031, 2, 3 + i))}
                  </Chip>
                ))}
              </Group>
            </Chip.Group>
          ) : null}
          <Group gap="xs" align="flex-end" wrap="wrap">
            <Select
              label={t('tasks.recurrence.ends')}
              w={170}
              allowDeselect={false}
              data={(['never', 'count', 'until'] as const).map((end) => ({ value: end, label: t(`tasks.recurrence.endChoices.${end}`) }))}
              value={draft.end}
              onChange={(next) => next && set({ end: next as RecurrenceDraft['end'] })}
              comboboxProps={{ withinPortal: true }}
            />
            {draft.end === 'count' ? <NumberInput label={t('tasks.recurrence.count')} min={1} max={10000} w={120} value={draft.count} onChange={(next) => set({ count: typeof next === 'number' && next >= 1 ? Math.floor(next) : 1 })} /> : null}
            {draft.end === 'until' ? <TextInput type="date" label={t('tasks.recurrence.untilDate')} value={draft.until} onChange={(event) => set({ until: event.currentTarget.value })} /> : null}
          </Group>
        </Stack>
      ) : null}
      {value && !draft ? <TextInput label={t('tasks.recurrence.rule')} value={value} onChange={(event) => onChange(event.currentTarget.value || null)} /> : null}
      {value ? (
        <Text size="sm" data-testid="recurrence-preview" c={serverError ? 'red' : undefined}>
          {serverError
            ? t(taskMessageKey(serverError) ?? 'tasks.errors.badRule')
            : // An all-day task's occurrences are days: no time of day in words or dates.
              [draft ? describeRule(draft, { t, locale, due: dueAt && !allDay ? new Date(dueAt) : null }) : null, preview.data?.occurrences.length ? t('tasks.recurrence.next', { dates: preview.data.occurrences.slice(0, 3).map(allDay ? format.date : format.dateTime).join('; ') }) : null]
                .filter(Boolean)
                .join('. ')}
        </Text>
      ) : null}
    </Stack>
  );
}
