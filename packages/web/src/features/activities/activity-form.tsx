import { CALL_RESULTS, type Activity, type ActivityLinkInput, type LoggedActivityKind } from '@rapport/shared';
import { Alert, Button, Checkbox, Group, Modal, SegmentedControl, Select, SimpleGrid, Stack, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-client';
import { useErrorText, useFieldMessage } from '../../components/error-text';
import { useToast } from '../../components/toast-center';
import { UserPicker } from '../records/pickers';
import { ACTIVITY_REMINDER_PRESETS, activityMessageKey, buildActivityBody, draftOfActivity, fieldOfPath, newDraft, updateBody, type ActivityDraft, type DraftErrors } from './activity-draft';
import { useLogActivity, useUpdateActivity } from './use-activities';

/** A record the activity may also be put on (a contact's company), offered as a checkbox. */
export interface RelatedRecord extends ActivityLinkInput {
  title: string;
  checked: boolean;
}

export type ActivityFormTarget =
  | { mode: 'new'; kind: LoggedActivityKind; link: ActivityLinkInput; phone?: string | undefined; related: RelatedRecord[] }
  | { mode: 'edit'; activity: Activity };

/** Logging a call, meeting, e-mail or SMS from a card, or editing one from the timeline. */
export function ActivityFormModal({ target, onClose }: { target: ActivityFormTarget | null; onClose: () => void }) {
  const { t } = useTranslation();
  const kind = target ? (target.mode === 'new' ? target.kind : (target.activity.kind as LoggedActivityKind)) : 'call';
  return (
    <Modal opened={target !== null} onClose={onClose} size="lg" title={t(`activities.form.${target?.mode === 'edit' ? 'editTitle' : 'newTitle'}.${kind}`)} closeButtonProps={{ 'aria-label': t('common.close') }}>
      {target ? <ActivityForm key={target.mode === 'edit' ? target.activity.id : `${target.kind}:${target.link.id}`} target={target} onDone={onClose} /> : null}
    </Modal>
  );
}

function ActivityForm({ target, onDone }: { target: ActivityFormTarget; onDone: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const fieldMessage = useFieldMessage();
  const log = useLogActivity();
  const update = useUpdateActivity();
  const [draft, setDraft] = useState<ActivityDraft>(() => (target.mode === 'edit' ? draftOfActivity(target.activity) : newDraft(target.kind, [target.link], { now: new Date(), phone: target.phone })));
  const [related, setRelated] = useState<RelatedRecord[]>(target.mode === 'new' ? target.related : []);
  const [errors, setErrors] = useState<DraftErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const pending = log.isPending || update.isPending;

  const set = <K extends keyof ActivityDraft>(key: K, value: ActivityDraft[K]) => {
    setDraft((current) => ({ ...current, [key]: value }));
    setErrors((current) => ({ ...current, [key]: undefined }));
    setFormError(null);
  };
  const error = (key: keyof ActivityDraft) => (errors[key] ? t(errors[key]) : undefined);

  const fail = (failure: unknown) => {
    const byField: DraftErrors = {};
    if (isApiError(failure)) {
      for (const fieldError of failure.fieldErrors) {
        const field = fieldOfPath(fieldError.path);
        const key = activityMessageKey(fieldError.message);
        if (field && field in draft && !byField[field]) byField[field] = key ? t(key) : fieldMessage(fieldError.message);
      }
    }
    // Field messages are already translated here; `error()` passes them through t(), which returns unknown keys as they are.
    setErrors(byField);
    setFormError(Object.keys(byField).length > 0 ? null : errorText(failure));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const links = [...draft.links, ...related.filter((record) => record.checked).map(({ object, id }) => ({ object, id }))];
    const { body, errors: found } = buildActivityBody({ ...draft, links }, new Date(), target.mode === 'edit' ? target.activity : undefined);
    if (Object.values(found).some(Boolean)) {
      setErrors(found);
      return;
    }
    const done = () => {
      toast({ color: 'green', message: t(`activities.saved.${draft.kind}`) });
      onDone();
    };
    if (target.mode === 'edit') update.mutate({ id: target.activity.id, body: updateBody(body, target.activity.version) }, { onSuccess: done, onError: fail });
    else log.mutate(body, { onSuccess: done, onError: fail });
  };

  const direction = (
    <SegmentedControl
      value={draft.direction}
      onChange={(value) => set('direction', value as ActivityDraft['direction'])}
      data={[
        { value: 'outbound', label: t(`activities.direction.outbound.${draft.kind}`) },
        { value: 'inbound', label: t(`activities.direction.inbound.${draft.kind}`) },
      ]}
      aria-label={t('activities.fields.direction')}
    />
  );
  const when = (key: 'startsAt' | 'occurredAt', label: string) => <TextInput type="datetime-local" label={label} value={draft[key]} onChange={(event) => set(key, event.currentTarget.value)} error={error(key)} />;
  // A call logged as it happens has nothing to remind of: the reminder shows once the call lies ahead (or has one).
  const plannedCall = draft.reminder !== '' || Date.parse(draft.startsAt) > Date.now();
  const reminder = (
    <Select
      label={t('activities.fields.reminder')}
      placeholder={t('activities.reminder.none')}
      clearable
      data={ACTIVITY_REMINDER_PRESETS.map((minutes) => ({ value: String(minutes), label: t(`activities.reminder.before.${minutes}`) }))}
      value={draft.reminder === '' ? null : draft.reminder}
      onChange={(value) => set('reminder', value ?? '')}
      error={error('reminder')}
      comboboxProps={{ withinPortal: true }}
    />
  );
  const note = <Textarea label={t(draft.kind === 'sms' ? 'activities.fields.text' : 'activities.fields.note')} autosize minRows={2} maxRows={8} value={draft.body} onChange={(event) => set('body', event.currentTarget.value)} error={error('body')} />;

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {formError ? (
          <Alert color="red" role="alert">
            {formError}
          </Alert>
        ) : null}
        {draft.kind === 'call' ? (
          <>
            {direction}
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <TextInput type="tel" label={t('activities.fields.phone')} value={draft.phone} onChange={(event) => set('phone', event.currentTarget.value)} error={error('phone')} />
              <TextInput label={t('activities.fields.duration')} placeholder={t('activities.fields.durationHint')} value={draft.duration} onChange={(event) => set('duration', event.currentTarget.value)} error={error('duration')} />
              <Select
                label={t('activities.fields.result')}
                clearable
                data={[...new Set([...CALL_RESULTS, ...(draft.result ? [draft.result] : [])])].map((value) => ({ value, label: t(`activities.results.${value}`, { defaultValue: value }) }))}
                value={draft.result}
                onChange={(value) => set('result', value)}
                comboboxProps={{ withinPortal: true }}
              />
              {when('startsAt', t('activities.fields.when'))}
              {plannedCall ? reminder : null}
            </SimpleGrid>
            {note}
            <TextInput type="url" label={t('activities.fields.recordingUrl')} placeholder="https://" value={draft.recordingUrl} onChange={(event) => set('recordingUrl', event.currentTarget.value)} error={error('recordingUrl')} />
          </>
        ) : null}
        {draft.kind === 'meeting' ? (
          <>
            <TextInput label={t('activities.fields.subject')} required value={draft.subject} onChange={(event) => set('subject', event.currentTarget.value)} error={error('subject')} />
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              {when('startsAt', t('activities.fields.start'))}
              <TextInput type="datetime-local" label={t('activities.fields.end')} value={draft.endsAt} onChange={(event) => set('endsAt', event.currentTarget.value)} error={error('endsAt')} />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <TextInput label={t('activities.fields.place')} value={draft.place} onChange={(event) => set('place', event.currentTarget.value)} error={error('place')} />
              {reminder}
            </SimpleGrid>
            <UserPicker multiple label={t('activities.fields.participants')} value={draft.participantIds} onChange={(value) => set('participantIds', value as string[])} error={error('participantIds')} />
            {note}
          </>
        ) : null}
        {draft.kind === 'email' ? (
          <>
            {direction}
            <TextInput label={t('activities.fields.subject')} required value={draft.subject} onChange={(event) => set('subject', event.currentTarget.value)} error={error('subject')} />
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <TextInput type="email" label={t('activities.fields.from')} value={draft.emailFrom} onChange={(event) => set('emailFrom', event.currentTarget.value)} error={error('emailFrom')} />
              <TagsInput label={t('activities.fields.to')} value={draft.emailTo} onChange={(value) => set('emailTo', value)} error={error('emailTo')} splitChars={[',', ' ', ';']} />
            </SimpleGrid>
            {when('occurredAt', t('activities.fields.when'))}
            {note}
          </>
        ) : null}
        {draft.kind === 'sms' ? (
          <>
            {direction}
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <TextInput type="tel" label={t('activities.fields.phone')} required value={draft.phone} onChange={(event) => set('phone', event.currentTarget.value)} error={error('phone')} />
              {when('occurredAt', t('activities.fields.when'))}
            </SimpleGrid>
            {note}
          </>
        ) : null}
        {related.length > 0 ? (
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('activities.fields.alsoOn')}
            </Text>
            {related.map((record) => (
              <Checkbox
                key={record.id}
                label={record.title}
                checked={record.checked}
                onChange={(event) => {
                  const checked = event.currentTarget.checked;
                  setRelated((current) => current.map((item) => (item.id === record.id ? { ...item, checked } : item)));
                }}
              />
            ))}
          </Stack>
        ) : null}
        {errors.links ? (
          <Text size="sm" c="red">
            {t(errors.links)}
          </Text>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={pending}>
            {t(target.mode === 'edit' ? 'common.save' : `activities.form.submit.${draft.kind}`)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
