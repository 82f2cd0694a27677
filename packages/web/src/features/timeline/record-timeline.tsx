import type { Activity, ClientObject, ObjectField, TimelineEntry } from '@rapport/shared';
import { ACTIVITY_KINDS, formatPhone, TIMELINE_FILTERS } from '@rapport/shared';
import { ActionIcon, Alert, Button, Group, Menu, Paper, Select, Stack, Text, Textarea, Timeline, Title } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan, useMe } from '../../app/session';
import { useErrorText } from '../../components/error-text';
import { LoadMore } from '../../components/load-more';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { useFormat } from '../../i18n/use-format';
import { ActivityFacts, ActivityIcon, mayChange } from '../activities/activity-facts';
import { Icon } from '../../components/icons';
import { EditActivityModal, LogActivityButtons } from '../activities/log-activity';
import { useDeleteActivity, useUpdateActivity } from '../activities/use-activities';
import { useCustomFields } from '../custom-fields/use-custom-fields';
import { RecordName } from '../records/field-value';
import { fieldKeyOfColumn } from '../records/field-values';
import { recordUrl } from '../records/objects';
import { useFieldLabels } from '../records/use-field-labels';
import { useUserDirectory } from '../users/use-users';
import { useAddNote, useDeleteNote, useTimeline, type TimelineKind } from './use-timeline';

const KIND_COLOR: Record<TimelineEntry['kind'], string> = { note: 'indigo', call: 'green', meeting: 'blue', email: 'cyan', sms: 'lime', created: 'teal', updated: 'gray', deleted: 'red', restored: 'teal', merged: 'grape', converted: 'orange', attached: 'blue', detached: 'gray' };

/** A record's history: activities and changes (who, when, old → new), filtered by type; logs calls and the like, and adds notes. */
export function RecordTimeline({ object, id, fields }: { object: ClientObject; id: string; fields: ObjectField[] | undefined }) {
  const { t } = useTranslation();
  const can = useCan();
  const me = useMe();
  const toast = useToast();
  const errorText = useErrorText();
  const [kind, setKind] = useState<TimelineKind>('all');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const timeline = useTimeline(object, id, kind);
  const addNote = useAddNote(object, id);
  const deleteNote = useDeleteNote(object, id);
  const deleteActivity = useDeleteActivity();
  const updateActivity = useUpdateActivity();
  const [editing, setEditing] = useState<Activity | null>(null);
  const entries = timeline.data?.pages.flatMap((page) => page.items) ?? [];
  const canWrite = can(object, 'update');

  const submit = (event: Pick<FormEvent, 'preventDefault'>) => {
    event.preventDefault();
    if (!note.trim()) return;
    addNote.mutate(note.trim(), {
      onSuccess: () => {
        setNote('');
        setError(null);
      },
      onError: (failure) => setError(errorText(failure)),
    });
  };

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="timeline-title">
      <Group justify="space-between" mb="sm" wrap="wrap" gap="xs">
        <Title order={2} size="h4" id="timeline-title">
          {t('timeline.title')}
        </Title>
        <Select
          size="xs"
          w={150}
          value={kind}
          onChange={(value) => setKind((value ?? 'all') as TimelineKind)}
          allowDeselect={false}
          data={[{ value: 'all', label: t('timeline.filter.all') }, ...TIMELINE_FILTERS.map((value) => ({ value, label: value === 'note' || value === 'change' ? t(`timeline.filter.${value}`) : t(`activities.filter.${value}`) }))]}
          aria-label={t('timeline.filter.label')}
          comboboxProps={{ withinPortal: true }}
        />
      </Group>
      <Group mb="sm">
        <LogActivityButtons object={object} id={id} />
      </Group>
      <EditActivityModal activity={editing} onClose={() => setEditing(null)} />
      {canWrite ? (
        <form onSubmit={submit}>
          <Stack gap="xs" mb="md">
            {error ? (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            ) : null}
            <Textarea
              aria-label={t('timeline.newNote')}
              placeholder={t('timeline.notePlaceholder')}
              autosize
              minRows={2}
              maxRows={10}
              value={note}
              onChange={(event) => setNote(event.currentTarget.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit(event);
              }}
            />
            <Group justify="flex-end">
              <Button type="submit" size="xs" loading={addNote.isPending} disabled={!note.trim()}>
                {t('timeline.addNote')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
      <QueryStatus isPending={timeline.isPending} error={timeline.error} onRetry={() => void timeline.refetch()}>
        {entries.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('timeline.empty')}
          </Text>
        ) : (
          <Timeline bulletSize={22} lineWidth={2} data-testid="timeline">
            {entries.map((entry) => (
              <Timeline.Item key={entry.id} color={KIND_COLOR[entry.kind]} bullet={isActivity(entry.kind) ? <ActivityIcon kind={entry.kind} size={13} /> : <span />}>
                <Entry
                  object={object}
                  recordId={id}
                  entry={entry}
                  fields={fields}
                  actions={
                    entry.activity && entry.kind !== 'note' ? (
                      <ActivityActions
                        activity={entry.activity}
                        onEdit={() => setEditing(entry.activity)}
                        onDone={() => updateActivity.mutate({ id: entry.id, body: { status: 'done', version: entry.activity!.version } }, { onError: (failure) => toast({ color: 'red', message: errorText(failure) }) })}
                        onDelete={() =>
                          deleteActivity.mutate(entry.id, {
                            onSuccess: () => toast({ color: 'green', message: t('activities.deleted') }),
                            onError: (failure) => toast({ color: 'red', message: errorText(failure) }),
                          })
                        }
                      />
                    ) : null
                  }
                  onDelete={
                    entry.kind === 'note' && (entry.actorId === me.user.id || canWrite)
                      ? () =>
                          deleteNote.mutate(entry.id, {
                            onSuccess: () => toast({ color: 'green', message: t('timeline.noteDeleted') }),
                            onError: (failure) => toast({ color: 'red', message: errorText(failure) }),
                          })
                      : undefined
                  }
                />
              </Timeline.Item>
            ))}
          </Timeline>
        )}
        <LoadMore hasMore={timeline.hasNextPage} loading={timeline.isFetchingNextPage} onLoad={() => void timeline.fetchNextPage()} />
      </QueryStatus>
    </Paper>
  );
}

const isActivity = (kind: TimelineEntry['kind']): kind is Activity['kind'] => (ACTIVITY_KINDS as readonly string[]).includes(kind);

/** Edit, mark a planned call or meeting done, delete: offered when the role's scope reaches the activity. */
function ActivityActions({ activity, onEdit, onDone, onDelete }: { activity: Activity; onEdit: () => void; onDone: () => void; onDelete: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const canUpdate = mayChange(me, activity, 'update');
  const canDelete = mayChange(me, activity, 'delete');
  if (!canUpdate && !canDelete) return null;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon size="sm" variant="subtle" color="gray" aria-label={t('activities.actions.label')}>
          ⋯
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {canUpdate ? <Menu.Item onClick={onEdit}>{t('common.edit')}</Menu.Item> : null}
        {canUpdate && activity.status === 'planned' ? <Menu.Item onClick={onDone}>{t('activities.actions.markDone')}</Menu.Item> : null}
        {canDelete ? (
          <Menu.Item color="red" onClick={onDelete}>
            {t('common.delete')}
          </Menu.Item>
        ) : null}
      </Menu.Dropdown>
    </Menu>
  );
}

function Entry({ object, recordId, entry, fields, actions, onDelete }: { object: ClientObject; recordId: string; entry: TimelineEntry; fields: ObjectField[] | undefined; actions: ReactNode; onDelete: (() => void) | undefined }) {
  const { t } = useTranslation();
  const format = useFormat();
  const who = entry.actorName ?? t('timeline.system');
  const merged = Array.isArray(entry.meta?.merged) ? (entry.meta.merged as { id: string; title: string }[]) : [];
  const contactId = typeof entry.meta?.contactId === 'string' ? entry.meta.contactId : null;
  const companyId = typeof entry.meta?.companyId === 'string' ? entry.meta.companyId : null;
  const leadId = typeof entry.meta?.leadId === 'string' ? entry.meta.leadId : null;
  const fromMerged = typeof entry.meta?.recordId === 'string';

  return (
    <Stack gap={4} data-testid={`timeline-${entry.kind}`}>
      <Text size="sm">
        <Text span fw={600} size="sm">
          {who}
        </Text>{' '}
        {isActivity(entry.kind) && entry.kind !== 'note' ? t(`activities.logged.${entry.kind}`) : t(`timeline.kinds.${entry.kind}`)}
        {fromMerged ? (
          <Text span size="xs" c="dimmed">
            {' '}
            ({t('timeline.onMerged')})
          </Text>
        ) : null}
      </Text>
      <Group gap={4} wrap="nowrap" mt={-4}>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {format.dateTime(entry.at)}
        </Text>
        {onDelete ? (
          <ActionIcon size="sm" variant="subtle" color="gray" aria-label={t('timeline.deleteNote')} onClick={onDelete}>
            ×
          </ActionIcon>
        ) : null}
        {actions}
      </Group>
      {entry.activity && entry.kind !== 'note' ? <ActivityFacts activity={entry.activity} recordId={recordId} /> : null}
      {entry.body ? (
        <Paper bg="var(--mantine-color-default-hover)" p="xs" radius="sm">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {entry.body}
          </Text>
        </Paper>
      ) : null}
      {merged.length > 0 ? (
        <Text size="sm" c="dimmed">
          {t('timeline.mergedFrom', { names: merged.map((item) => item.title).join(', ') })}
        </Text>
      ) : null}
      {entry.kind === 'converted' && (contactId || companyId) ? (
        <Group gap="xs">
          {contactId ? (
            <Text component={Link} to={recordUrl('contact', contactId)} size="sm" c="indigo">
              {t('timeline.convertedContact')}
            </Text>
          ) : null}
          {companyId ? (
            <Text component={Link} to={recordUrl('company', companyId)} size="sm" c="indigo">
              {t('timeline.convertedCompany')}
            </Text>
          ) : null}
        </Group>
      ) : null}
      {entry.kind === 'converted' && leadId ? (
        <Text component={Link} to={recordUrl('lead', leadId)} size="sm" c="indigo">
          {t('timeline.fromLead', { name: typeof entry.meta?.leadName === 'string' ? entry.meta.leadName : '' })}
        </Text>
      ) : null}
      {(entry.kind === 'attached' || entry.kind === 'detached') && typeof entry.meta?.fileName === 'string' ? (
        <Group gap={4} wrap="nowrap">
          <Icon name="paperclip" size={14} />
          <Text size="sm" td={entry.kind === 'detached' ? 'line-through' : undefined} style={{ overflowWrap: 'anywhere' }}>
            {entry.meta.fileName}
          </Text>
        </Group>
      ) : null}
      {entry.changes ? <Changes object={object} changes={entry.changes} fields={fields} /> : null}
    </Stack>
  );
}

type ChangeMap = NonNullable<TimelineEntry['changes']>;

function Changes({ object, changes, fields }: { object: ClientObject; changes: ChangeMap; fields: ObjectField[] | undefined }) {
  const { t } = useTranslation();
  const format = useFormat();
  const can = useCan();
  const labels = useFieldLabels(object, fields);
  const customFields = useCustomFields(object);
  const directory = useUserDirectory(can('user', 'read'));

  const lines: { key: string; label: string; from: unknown; to: unknown; field: string }[] = [];
  for (const [column, change] of Object.entries(changes)) {
    if (column === 'custom' && (isRecord(change.from) || isRecord(change.to))) {
      const before = isRecord(change.from) ? change.from : {};
      const after = isRecord(change.to) ? change.to : {};
      for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
        if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
        const custom = customFields.data?.find((field) => field.key === key);
        lines.push({ key: `custom.${key}`, label: custom?.label ?? key, from: before[key], to: after[key], field: `custom.${key}` });
      }
      continue;
    }
    const key = fieldKeyOfColumn(column);
    lines.push({ key: column, label: labels.key(key), from: change.from, to: change.to, field: key });
  }

  const show = (field: string, value: unknown): ReactNode => {
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return t('common.none');
    const target = fields?.find((item) => item.key === field)?.target;
    if (typeof value === 'string' && (target === 'company' || target === 'contact' || target === 'lead')) return <RecordName object={target} id={value} />;
    if (field === 'ownerId' && typeof value === 'string') return directory.data?.find((user) => user.id === value)?.name ?? value.slice(0, 8);
    if (Array.isArray(value)) {
      return value
        .map((item) => {
          if (isRecord(item) && typeof item.number === 'string') return formatPhone(typeof item.e164 === 'string' ? item.e164 : null, item.number);
          if (isRecord(item) && typeof item.email === 'string') return item.email;
          if (isRecord(item) && typeof item.handle === 'string') return item.handle;
          return typeof item === 'string' && field.startsWith('custom.') ? optionText(field, item) : String(item);
        })
        .join(', ');
    }
    if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
    if (typeof value === 'number') return format.number(value);
    if (typeof value === 'string') {
      const known = fields?.find((candidate) => candidate.key === field);
      if (known?.kind === 'select') return labels.option(known, value);
      // A plain date is that calendar day wherever the reader is; a moment is shown in the reader's time.
      if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return format.date(`${value}T00:00:00`);
      if (/^\d{4}-\d{2}-\d{2}T/.test(value)) return format.dateTime(value);
      if (field.startsWith('custom.')) return optionText(field, value);
      if (['kind', 'status', 'source'].includes(field)) return t(`enums.${object}.${field}.${value}`, { defaultValue: value });
      if (/^[0-9a-f]{8}-[0-9a-f]{4}-/.test(value)) return value.slice(0, 8);
      return value.length > 80 ? `${value.slice(0, 77)}…` : value;
    }
    return t('timeline.changed');
  };
  const optionText = (field: string, value: string) => {
    const custom = customFields.data?.find((candidate) => `custom.${candidate.key}` === field);
    return custom?.options.find((option) => option.value === value)?.label ?? value;
  };

  if (lines.length === 0) return null;
  return (
    <Stack gap={2} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {lines.map((line) => (
        <Text component="li" size="sm" key={line.key} data-testid="timeline-change">
          <Text span size="sm" c="dimmed">
            {line.label}:
          </Text>{' '}
          <Text span size="sm" td="line-through" c="dimmed">
            {show(line.field, line.from)}
          </Text>{' '}
          → <Text span size="sm">{show(line.field, line.to)}</Text>
        </Text>
      ))}
    </Stack>
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
