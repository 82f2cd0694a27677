import { TASK_PRIORITIES, TASK_STATUSES, TASK_SUBJECT_TYPES, type TaskSubjectType } from '@rapport/shared';
import { ActionIcon, Button, Checkbox, Group, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/icons';
import { RecordPicker, UserPicker } from '../records/pickers';
import { RecurrenceEditor } from './recurrence-editor';
import { dayEnd, dayOf, dayStart, REMINDER_PRESETS, withAllDay, type DraftErrors, type ReminderDraft, type TaskDraft } from './task-draft';

export type SetDraft = <K extends keyof TaskDraft>(key: K, value: TaskDraft[K]) => void;

const isoOf = (local: string): string | null => (local && !Number.isNaN(Date.parse(local)) ? new Date(local).toISOString() : null);

/** The fields of a task form; `checklist` is edited here only when creating (the drawer ticks items in place). */
export function TaskFields({
  draft,
  set,
  replace,
  errors,
  withStatus,
  withChecklist,
  readOnly,
}: {
  draft: TaskDraft;
  set: SetDraft;
  /** Several fields at once (all day changes the times with it). */
  replace: (draft: TaskDraft) => void;
  errors: DraftErrors;
  withStatus: boolean;
  withChecklist: boolean;
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const error = (key: keyof TaskDraft) => errors[key];
  const coExecutors = draft.members.filter((member) => member.role === 'co_executor').map((member) => member.userId);
  const watchers = draft.members.filter((member) => member.role === 'watcher').map((member) => member.userId);
  const setMembers = (role: 'co_executor' | 'watcher', ids: string[]) =>
    set('members', [...draft.members.filter((member) => member.role !== role && !ids.includes(member.userId)), ...ids.map((userId) => ({ userId, role }))]);

  return (
    <Stack gap="sm">
      <TextInput label={t('tasks.fields.title')} required value={draft.title} onChange={(event) => set('title', event.currentTarget.value)} error={error('title')} readOnly={readOnly} data-autofocus />
      <Textarea label={t('tasks.fields.description')} autosize minRows={2} maxRows={8} value={draft.description} onChange={(event) => set('description', event.currentTarget.value)} error={error('description')} readOnly={readOnly} />
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <UserPicker label={t('tasks.fields.assignee')} value={draft.ownerId} onChange={(value) => set('ownerId', value as string)} error={error('ownerId')} disabled={readOnly} />
        <Select
          label={t('tasks.fields.priority')}
          allowDeselect={false}
          data={TASK_PRIORITIES.map((value) => ({ value, label: t(`tasks.priority.${value}`) }))}
          value={draft.priority}
          onChange={(value) => value && set('priority', value as TaskDraft['priority'])}
          disabled={readOnly}
          comboboxProps={{ withinPortal: true }}
        />
        {draft.allDay ? (
          <>
            <TextInput type="date" label={t('tasks.fields.startDay')} value={dayOf(draft.startAt)} onChange={(event) => set('startAt', dayStart(event.currentTarget.value))} error={error('startAt')} readOnly={readOnly} />
            <TextInput type="date" label={t('tasks.fields.dueDay')} value={dayOf(draft.dueAt)} onChange={(event) => set('dueAt', dayEnd(event.currentTarget.value))} error={error('dueAt')} readOnly={readOnly} />
          </>
        ) : (
          <>
            <TextInput type="datetime-local" label={t('tasks.fields.startAt')} value={draft.startAt} onChange={(event) => set('startAt', event.currentTarget.value)} error={error('startAt')} readOnly={readOnly} />
            <TextInput type="datetime-local" label={t('tasks.fields.dueAt')} value={draft.dueAt} onChange={(event) => set('dueAt', event.currentTarget.value)} error={error('dueAt')} readOnly={readOnly} />
          </>
        )}
        <Checkbox
          label={t('tasks.fields.allDay')}
          checked={draft.allDay}
          onChange={(event) => replace(withAllDay(draft, event.currentTarget.checked, new Date()))}
          error={error('allDay')}
          disabled={readOnly}
          style={{ gridColumn: '1 / -1' }}
        />
        {withStatus ? (
          <Select
            label={t('tasks.fields.status')}
            allowDeselect={false}
            data={TASK_STATUSES.map((value) => ({ value, label: t(`tasks.status.${value}`) }))}
            value={draft.status}
            onChange={(value) => value && set('status', value as TaskDraft['status'])}
            disabled={readOnly}
            comboboxProps={{ withinPortal: true }}
          />
        ) : null}
      </SimpleGrid>
      <SubjectField draft={draft} set={set} error={error('subject')} readOnly={readOnly} />
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <UserPicker multiple label={t('tasks.fields.coExecutors')} value={coExecutors} onChange={(ids) => setMembers('co_executor', ids as string[])} error={error('members')} disabled={readOnly} />
        <UserPicker multiple label={t('tasks.fields.watchers')} value={watchers} onChange={(ids) => setMembers('watcher', ids as string[])} disabled={readOnly} />
      </SimpleGrid>
      <RemindersField reminders={draft.reminders} onChange={(reminders) => set('reminders', reminders)} error={error('reminders')} readOnly={readOnly} />
      {readOnly ? null : <RecurrenceEditor value={draft.recurrence} onChange={(rule) => set('recurrence', rule)} dueAt={isoOf(draft.dueAt)} allDay={draft.allDay} error={error('recurrence')} />}
      {withChecklist ? <ChecklistEditor items={draft.checklist} onChange={(items) => set('checklist', items)} /> : null}
    </Stack>
  );
}

function SubjectField({ draft, set, error, readOnly }: { draft: TaskDraft; set: SetDraft; error: string | undefined; readOnly: boolean }) {
  const { t } = useTranslation();
  const type: TaskSubjectType = draft.subject?.type ?? 'contact';
  return (
    <Group gap="xs" align="flex-start" wrap="nowrap">
      <Select
        label={t('tasks.fields.subject')}
        w={150}
        allowDeselect={false}
        data={TASK_SUBJECT_TYPES.map((value) => ({ value, label: t(`tasks.subjectTypes.${value}`) }))}
        value={type}
        onChange={(value) => value && value !== type && set('subject', null)}
        disabled={readOnly}
        comboboxProps={{ withinPortal: true }}
      />
      <div style={{ flex: 1, minWidth: 0 }}>
        <RecordPicker
          key={type}
          object={type}
          label={t('tasks.fields.record')}
          value={draft.subject?.id ?? null}
          onChange={(id) => set('subject', id ? { type, id } : null)}
          error={error}
          disabled={readOnly}
        />
      </div>
    </Group>
  );
}

/** Reminders: at the due time, some minutes before it, or at a chosen moment. */
function RemindersField({ reminders, onChange, error, readOnly }: { reminders: ReminderDraft[]; onChange: (reminders: ReminderDraft[]) => void; error: string | undefined; readOnly: boolean }) {
  const { t } = useTranslation();
  const options = [...REMINDER_PRESETS.map((minutes) => ({ value: String(minutes), label: t(`tasks.reminders.before.${minutes}`) })), { value: 'at', label: t('tasks.reminders.atTime') }];
  const replace = (index: number, next: ReminderDraft) => onChange(reminders.map((reminder, i) => (i === index ? next : reminder)));
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500}>
        {t('tasks.fields.reminders')}
      </Text>
      {reminders.map((reminder, index) => (
        <Group key={index} gap="xs" wrap="nowrap" data-testid="reminder-row">
          <Select
            aria-label={t('tasks.reminders.when')}
            w={220}
            allowDeselect={false}
            data={options}
            value={reminder.kind === 'at' ? 'at' : String(reminder.minutes)}
            onChange={(value) => value && replace(index, value === 'at' ? { kind: 'at', at: '', ...(reminder.userId ? { userId: reminder.userId } : {}) } : { kind: 'before', minutes: Number(value), ...(reminder.userId ? { userId: reminder.userId } : {}) })}
            disabled={readOnly}
            comboboxProps={{ withinPortal: true }}
          />
          {reminder.kind === 'at' ? <TextInput type="datetime-local" aria-label={t('tasks.reminders.atTime')} value={reminder.at} onChange={(event) => replace(index, { ...reminder, at: event.currentTarget.value })} readOnly={readOnly} /> : null}
          {readOnly ? null : (
            <ActionIcon variant="subtle" color="gray" aria-label={t('tasks.reminders.remove')} onClick={() => onChange(reminders.filter((_, i) => i !== index))}>
              <Icon name="trash" size={16} />
            </ActionIcon>
          )}
        </Group>
      ))}
      {error ? (
        <Text size="xs" c="red">
          {error}
        </Text>
      ) : null}
      {readOnly ? null : (
        <Group>
          <Button size="compact-sm" variant="subtle" leftSection={<Icon name="bell" size={14} />} onClick={() => onChange([...reminders, { kind: 'before', minutes: 15 }])}>
            {t('tasks.reminders.add')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** The checklist of a new task: items typed one per row. */
function ChecklistEditor({ items, onChange }: { items: TaskDraft['checklist']; onChange: (items: TaskDraft['checklist']) => void }) {
  const { t } = useTranslation();
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500}>
        {t('tasks.fields.checklist')}
      </Text>
      {items.map((item, index) => (
        <Group key={index} gap="xs" wrap="nowrap">
          <Checkbox aria-label={t('tasks.checklist.done')} checked={item.done} onChange={(event) => onChange(items.map((entry, i) => (i === index ? { ...entry, done: event.currentTarget.checked } : entry)))} />
          <TextInput
            style={{ flex: 1 }}
            aria-label={t('tasks.checklist.item', { n: index + 1 })}
            value={item.text}
            onChange={(event) => {
              const text = event.currentTarget.value;
              onChange(items.map((entry, i) => (i === index ? { ...entry, text } : entry)));
            }}
          />
          <ActionIcon variant="subtle" color="gray" aria-label={t('tasks.checklist.remove')} onClick={() => onChange(items.filter((_, i) => i !== index))}>
            <Icon name="trash" size={16} />
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button size="compact-sm" variant="subtle" leftSection={<Icon name="plus" size={14} />} onClick={() => onChange([...items, { text: '', done: false }])}>
          {t('tasks.checklist.add')}
        </Button>
      </Group>
    </Stack>
  );
}
