import { TASK_PRIORITIES, TIME_UNITS, type RobotActionType } from '@rapport/shared';
import { Group, NumberInput, Select, Stack, Text, TextInput, Textarea, type ComboboxData } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCustomFields } from '../custom-fields/use-custom-fields';
import { useDocumentTemplates } from '../documents/use-documents';
import { useRoles } from '../roles/use-roles';
import { useUserDirectory } from '../users/use-users';

/**
 * The editor of one ACTION LIBRARY action's config, shared by stage robots and BPMN service tasks (which store the
 * same config as JSON in rapport:config).
 */
type Config = Record<string, unknown>;

/** Shown as they are typed: i18next would read the braces as its own placeholders. */
const PLACEHOLDERS = ['title', 'amount', 'currency', 'stage', 'company', 'contact', 'owner.name', 'custom.…'].map((name) => `{{${name}}}`).join(', ');

/** A new action's starting config: valid as it stands where it can be, so the admin only fills in the texts. */
export const START_CONFIGS: Record<RobotActionType, Config> = {
  create_task: { title: '', assignee: { kind: 'owner' }, dueIn: { amount: 2, unit: 'hours' }, priority: 'normal' },
  create_call: { subject: '', assignee: { kind: 'owner' }, dueIn: { amount: 1, unit: 'days' } },
  notify: { recipient: { kind: 'owner' }, message: '' },
  send_email: { to: 'contact', subject: '', body: '' },
  generate_document: { templateId: '', format: 'docx' },
  set_field: { field: 'description', value: '' },
  move_to_stage: { stageId: '' },
  call_webhook: { url: 'https://', timeoutSeconds: 10 },
};

/** The fields of one action's config; field errors come back from the server with the config's paths. */
export function ActionConfig({ stages, type, config, onChange, errorAt }: { stages: ComboboxData; type: RobotActionType; config: Config; onChange: (config: Config) => void; errorAt: (path: string) => string | undefined }) {
  const { t } = useTranslation();
  const set = (patch: Config) => onChange({ ...config, ...patch });
  const text = (key: string, label: string, long = false) => {
    const props = { label, value: String(config[key] ?? ''), error: errorAt(key) };
    return long ? <Textarea {...props} autosize minRows={2} onChange={(event) => set({ [key]: event.currentTarget.value })} /> : <TextInput {...props} onChange={(event) => set({ [key]: event.currentTarget.value })} />;
  };
  switch (type) {
    case 'create_task':
      return (
        <Stack gap="xs">
          {text('title', t('robots.fields.taskTitle'))}
          {text('description', t('robots.fields.description'), true)}
          <Text size="xs" c="dimmed">
            {t('robots.placeholders', { list: PLACEHOLDERS })}
          </Text>
          <PersonPicker field="assignee" kinds={['owner', 'user', 'role']} config={config} set={set} errorAt={errorAt} />
          <DueAtFieldPicker config={config} set={set} errorAt={errorAt} />
          <Group grow>
            <DueInInputs label={t('robots.fields.dueIn')} config={config} set={set} errorAt={errorAt} />
            <Select label={t('robots.fields.priority')} data={TASK_PRIORITIES.map((priority) => ({ value: priority, label: t(`tasks.priority.${priority}`) }))} value={String(config.priority ?? 'normal')} onChange={(value) => value && set({ priority: value })} allowDeselect={false} />
          </Group>
        </Stack>
      );
    case 'create_call':
      return (
        <Stack gap="xs">
          {text('subject', t('robots.fields.callSubject'))}
          <Text size="xs" c="dimmed">
            {t('robots.placeholders', { list: PLACEHOLDERS })}
          </Text>
          <PersonPicker field="assignee" kinds={['owner', 'user', 'role']} config={config} set={set} errorAt={errorAt} />
          <DueAtFieldPicker config={config} set={set} errorAt={errorAt} />
          <Group grow>
            <DueInInputs label={t('robots.fields.callIn')} config={config} set={set} errorAt={errorAt} />
          </Group>
        </Stack>
      );
    case 'notify':
      return (
        <Stack gap="xs">
          <PersonPicker field="recipient" kinds={['owner', 'user']} config={config} set={set} errorAt={errorAt} />
          {text('message', t('robots.fields.message'), true)}
        </Stack>
      );
    case 'send_email':
      return (
        <Stack gap="xs">
          <Select label={t('robots.fields.to')} data={(['contact', 'owner'] as const).map((to) => ({ value: to, label: t(`robots.to.${to}`) }))} value={String(config.to)} onChange={(value) => value && set({ to: value })} allowDeselect={false} />
          {text('subject', t('robots.fields.subject'))}
          {text('body', t('robots.fields.body'), true)}
          <Text size="xs" c="dimmed">
            {t('robots.placeholders', { list: PLACEHOLDERS })}
          </Text>
        </Stack>
      );
    case 'generate_document':
      return <TemplatePicker config={config} set={set} errorAt={errorAt} />;
    case 'set_field':
      return <FieldPicker config={config} set={set} errorAt={errorAt} />;
    case 'move_to_stage':
      return <Select label={t('robots.fields.stage')} data={stages} value={String(config.stageId || '') || null} onChange={(value) => set({ stageId: value ?? '' })} error={errorAt('stageId')} />;
    case 'call_webhook':
      return (
        <Group grow align="flex-start">
          {text('url', t('robots.fields.url'))}
          <NumberInput label={t('robots.fields.timeout')} min={1} max={30} allowDecimal={false} value={Number(config.timeoutSeconds ?? 10)} onChange={(value) => set({ timeoutSeconds: typeof value === 'number' ? value : 10 })} error={errorAt('timeoutSeconds')} />
        </Group>
      );
  }
}

/** An offset from now: how many of which unit (a task's due time, a call's planned time). */
function DueInInputs({ label, config, set, errorAt }: { label: string; config: Config; set: (patch: Config) => void; errorAt: (path: string) => string | undefined }) {
  const { t } = useTranslation();
  const dueIn = config.dueIn as { amount: number; unit: string } | undefined;
  return (
    <>
      <NumberInput label={label} min={0} allowDecimal={false} value={dueIn?.amount ?? ''} onChange={(value) => set({ dueIn: typeof value === 'number' ? { amount: value, unit: dueIn?.unit ?? 'hours' } : undefined })} error={errorAt('dueIn.amount') ?? errorAt('dueIn')} />
      <Select label={t('robots.fields.unit')} data={TIME_UNITS.map((unit) => ({ value: unit, label: t(`robots.units.${unit}`) }))} value={dueIn?.unit ?? 'hours'} onChange={(value) => value && set({ dueIn: { amount: dueIn?.amount ?? 0, unit: value } })} allowDeselect={false} />
    </>
  );
}

function PersonPicker({ field, kinds, config, set, errorAt }: { field: string; kinds: string[]; config: Config; set: (patch: Config) => void; errorAt: (path: string) => string | undefined }) {
  const { t } = useTranslation();
  const person = (config[field] ?? { kind: 'owner' }) as { kind: string; userId?: string; roleId?: string };
  const users = useUserDirectory(person.kind === 'user');
  const roles = useRoles(person.kind === 'role');
  return (
    <Group grow align="flex-start">
      <Select label={t(`robots.fields.${field}`)} data={kinds.map((kind) => ({ value: kind, label: t(`robots.people.${kind}`) }))} value={person.kind} onChange={(value) => value && set({ [field]: { kind: value } })} allowDeselect={false} error={errorAt(`${field}.kind`)} />
      {person.kind === 'user' ? (
        <Select label={t('robots.people.user')} searchable data={(users.data ?? []).map((user) => ({ value: user.id, label: user.name }))} value={person.userId ?? null} onChange={(value) => set({ [field]: { kind: 'user', ...(value ? { userId: value } : {}) } })} error={errorAt(`${field}.userId`)} />
      ) : null}
      {person.kind === 'role' ? (
        <Select label={t('robots.people.role')} data={(roles.data ?? []).map((role) => ({ value: role.id, label: role.name }))} value={person.roleId ?? null} onChange={(value) => set({ [field]: { kind: 'role', ...(value ? { roleId: value } : {}) } })} error={errorAt(`${field}.roleId`)} />
      ) : null}
    </Group>
  );
}

function TemplatePicker({ config, set, errorAt }: { config: Config; set: (patch: Config) => void; errorAt: (path: string) => string | undefined }) {
  const { t } = useTranslation();
  const templates = useDocumentTemplates('deal');
  return (
    <Group grow align="flex-start">
      <Select label={t('robots.fields.template')} data={(templates.data?.items ?? []).map((template) => ({ value: template.id, label: template.name }))} value={String(config.templateId || '') || null} onChange={(value) => set({ templateId: value ?? '' })} error={errorAt('templateId')} />
      <Select label={t('robots.fields.format')} data={['docx', 'pdf']} value={String(config.format)} onChange={(value) => value && set({ format: value })} allowDeselect={false} />
    </Group>
  );
}

/** Due at the time a date-and-time field of the deal holds (an agreed visit); the offset below counts when it is empty. */
function DueAtFieldPicker({ config, set, errorAt }: { config: Config; set: (patch: Config) => void; errorAt: (path: string) => string | undefined }) {
  const { t } = useTranslation();
  const custom = useCustomFields('deal');
  const fields = (custom.data ?? []).filter((field) => field.kind === 'datetime').map((field) => ({ value: `custom.${field.key}`, label: field.label }));
  if (fields.length === 0 && !config.dueAtField) return null;
  return (
    <Select
      label={t('robots.fields.dueAtField')}
      description={t('robots.dueAtFieldHint')}
      placeholder={t('robots.dueAtFieldNone')}
      clearable
      data={fields}
      value={typeof config.dueAtField === 'string' ? config.dueAtField : null}
      onChange={(value) => set({ dueAtField: value ?? undefined })}
      error={errorAt('dueAtField')}
    />
  );
}

function FieldPicker({ config, set, errorAt }: { config: Config; set: (patch: Config) => void; errorAt: (path: string) => string | undefined }) {
  const { t } = useTranslation();
  const custom = useCustomFields('deal');
  const fields = [
    ...(['description', 'expectedCloseDate', 'amount'] as const).map((field) => ({ value: field, label: t(`fields.deal.${field}`) })),
    ...(custom.data ?? []).map((field) => ({ value: `custom.${field.key}`, label: field.label })),
  ];
  return (
    <Group grow align="flex-start">
      <Select label={t('robots.fields.field')} data={fields} value={String(config.field)} onChange={(value) => value && set({ field: value })} allowDeselect={false} error={errorAt('field')} />
      <TextInput label={t('robots.fields.value')} description={config.field === 'expectedCloseDate' ? 'YYYY-MM-DD' : undefined} value={String(config.value ?? '')} onChange={(event) => set({ value: event.currentTarget.value })} error={errorAt('value')} />
    </Group>
  );
}
