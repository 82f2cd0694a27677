import type { ClientObject } from '@rapport/shared';
import { Alert, Button, Group, Modal, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session';
import { useToast } from '../../components/toast-center';
import { useForm } from '../../components/use-form';
import { useFormat } from '../../i18n/use-format';
import { RecordPicker } from '../records/pickers';
import { CLIENT_OBJECT_LIST } from '../records/objects';
import { endOfLocalDay } from './calendar-events';
import { useCreateFromSlot } from './use-calendar';

export interface Slot {
  start: Date;
  end: Date;
  allDay: boolean;
}

type Kind = 'meeting' | 'task';

/** A task or a meeting in the slot clicked or dragged over; a meeting is always about a client record. */
export function CreateFromSlotModal({ slot, onClose }: { slot: Slot | null; onClose: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const format = useFormat();
  const toast = useToast();
  const create = useCreateFromSlot();
  const kinds = (['meeting', 'task'] as const).filter((kind) => can(kind === 'task' ? 'task' : 'activity', 'create'));
  const [kind, setKind] = useState<Kind>(kinds[0] ?? 'meeting');
  const objects = CLIENT_OBJECT_LIST.filter((object) => can(object, 'read'));
  const blank = { title: '', object: objects.includes('contact') ? 'contact' : (objects[0] ?? 'contact'), recordId: null as string | null };
  const form = useForm<{ title: string; object: ClientObject; recordId: string | null }>(blank);

  if (!slot) return null;
  const close = () => {
    form.reset(blank);
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const title = form.values.title.trim();
    const errors: Record<string, string> = {};
    if (!title) errors[kind === 'task' ? 'title' : 'subject'] = t('fieldErrors.required');
    if (kind === 'meeting' && !form.values.recordId) errors.links = t('calendar.create.recordRequired');
    if (Object.keys(errors).length > 0) return form.setErrors(errors);
    // Days picked in the all-day row or the month view: a task is due by the end of the last one (the selection's end
    // is the next midnight); a meeting takes an hour of the first morning.
    const start = slot.allDay ? new Date(new Date(slot.start).setHours(9, 0, 0, 0)) : slot.start;
    const end = slot.allDay ? new Date(new Date(slot.start).setHours(10, 0, 0, 0)) : slot.end;
    const request =
      kind === 'task'
        ? { path: '/tasks' as const, body: { title, ...(slot.allDay ? { dueAt: endOfLocalDay(new Date(slot.end.getTime() - 1)).toISOString(), allDay: true } : { startAt: slot.start.toISOString(), dueAt: slot.end.toISOString() }) } }
        : { path: '/activities' as const, body: { kind: 'meeting', subject: title, startsAt: start.toISOString(), endsAt: end.toISOString(), links: [{ object: form.values.object, id: form.values.recordId }] } };
    create.mutate(request, {
      onSuccess: () => {
        toast({ color: 'green', message: t(`calendar.create.saved.${kind}`) });
        close();
      },
      onError: (error) => form.fail(error),
    });
  };

  return (
    <Modal opened onClose={close} title={t('calendar.create.title')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {form.formError ? (
            <Alert color="red" role="alert">
              {form.formError}
            </Alert>
          ) : null}
          <Text size="sm" c="dimmed" data-testid="slot-time">
            {slot.allDay ? format.date(slot.start.toISOString()) : `${format.dateTime(slot.start.toISOString())} – ${format.dateTime(slot.end.toISOString())}`}
          </Text>
          {kinds.length > 1 ? (
            <SegmentedControl
              aria-label={t('calendar.create.kind')}
              value={kind}
              onChange={(value) => setKind(value as Kind)}
              data={kinds.map((value) => ({ value, label: t(`calendar.kinds.${value}`) }))}
            />
          ) : null}
          <TextInput
            label={t(kind === 'task' ? 'calendar.create.taskTitle' : 'calendar.create.meetingSubject')}
            required
            data-autofocus
            value={form.values.title}
            onChange={(event) => form.set('title', event.currentTarget.value)}
            error={form.errors.title ?? form.errors.subject}
          />
          {kind === 'meeting' ? (
            <Group grow align="flex-start">
              <Select
                label={t('calendar.create.recordType')}
                data={objects.map((object) => ({ value: object, label: t(`calendar.objects.${object}`) }))}
                value={form.values.object}
                allowDeselect={false}
                onChange={(value) => {
                  if (value) form.set('object', value as ClientObject);
                  form.set('recordId', null);
                }}
              />
              <RecordPicker
                key={form.values.object}
                object={form.values.object}
                label={t('calendar.create.record')}
                required
                value={form.values.recordId}
                onChange={(id) => form.set('recordId', id)}
                error={form.errors.links ?? form.errors['links.0.id']}
              />
            </Group>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('common.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
