import { ROBOT_ACTION_TYPES, ROBOT_TRIGGERS, TASK_PRIORITIES, TIME_UNITS, type Pipeline, type RobotAction, type RobotActionType, type RobotRule, type RobotTrigger } from '@rapport/shared';
import { ActionIcon, Alert, Badge, Button, Card, Group, Modal, NumberInput, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldOf, isApiError } from '../../api/api-client';
import { useErrorText } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { useCustomFields } from '../custom-fields/use-custom-fields';
import { useDocumentTemplates } from '../documents/use-documents';
import { useRoles } from '../roles/use-roles';
import { useUserDirectory } from '../users/use-users';
import { useDeleteRobot, useSaveRobot, useStageRobots } from './use-robots';

type Config = Record<string, unknown>;
interface RuleDraft {
  name: string;
  trigger: RobotTrigger;
  idleHours: number | null;
  condition: string;
  actions: { type: RobotActionType; config: Config }[];
}

/** Shown as they are typed: i18next would read the braces as its own placeholders. */
const PLACEHOLDERS = ['title', 'amount', 'currency', 'stage', 'company', 'contact', 'owner.name', 'custom.…'].map((name) => `{{${name}}}`).join(', ');

/** A new action's starting config: valid as it stands where it can be, so the admin only fills in the texts. */
const START: Record<RobotActionType, Config> = {
  create_task: { title: '', assignee: { kind: 'owner' }, dueIn: { amount: 2, unit: 'hours' }, priority: 'normal' },
  notify: { recipient: { kind: 'owner' }, message: '' },
  send_email: { to: 'contact', subject: '', body: '' },
  generate_document: { templateId: '', format: 'docx' },
  set_field: { field: 'description', value: '' },
  move_to_stage: { stageId: '' },
  call_webhook: { url: 'https://', timeoutSeconds: 10 },
};

const draftOf = (rule: RobotRule | null): RuleDraft =>
  rule ? { name: rule.name, trigger: rule.trigger, idleHours: rule.idleHours, condition: rule.condition ?? '', actions: rule.actions.map((action) => ({ type: action.type as RobotActionType, config: action.config })) } : { name: '', trigger: 'on_enter', idleHours: null, condition: '', actions: [{ type: 'create_task', config: START.create_task }] };

/** Settings › Pipelines › a stage's robots: the rules that act when a deal enters the stage, in order. */
export function StageRobotsModal({ pipeline, stageId, opened, onClose }: { pipeline: Pipeline; stageId: string; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const stage = pipeline.stages.find((candidate) => candidate.id === stageId);
  const robots = useStageRobots(stageId, opened);
  const remove = useDeleteRobot();
  const toast = useToast();
  const errorText = useErrorText();
  const [editing, setEditing] = useState<RobotRule | 'new' | null>(null);
  return (
    <Modal opened={opened} onClose={onClose} size="xl" title={t('robots.title', { stage: stage?.name ?? '' })}>
      <Text size="sm" c="dimmed" mb="sm">
        {t('robots.hint')}
      </Text>
      <QueryStatus isPending={robots.isPending} error={robots.error} onRetry={() => void robots.refetch()}>
        <Stack gap="sm">
          {(robots.data ?? []).length === 0 && editing === null ? <Text size="sm">{t('robots.none')}</Text> : null}
          {(robots.data ?? []).map((rule) =>
            editing !== 'new' && editing?.id === rule.id ? (
              <RuleForm key={rule.id} pipeline={pipeline} stageId={stageId} rule={rule} onDone={() => setEditing(null)} />
            ) : (
              <Card key={rule.id} withBorder padding="sm" data-testid="robot-rule">
                <Group justify="space-between" wrap="nowrap">
                  <div>
                    <Text fw={600}>{rule.name}</Text>
                    <Text size="sm" c="dimmed">
                      {rule.trigger === 'idle_hours' ? t('robots.idleFor', { hours: rule.idleHours }) : t('robots.triggers.on_enter')}
                      {rule.condition ? ` · ${t('robots.when', { condition: rule.condition })}` : ''}
                    </Text>
                    <Group gap={4} mt={4}>
                      {rule.actions.map((action, index) => (
                        <Badge key={index} variant="light">
                          {t(`robots.actions.${action.type}`)}
                        </Badge>
                      ))}
                    </Group>
                  </div>
                  <Group gap={4} wrap="nowrap">
                    <ActionIcon variant="subtle" onClick={() => setEditing(rule)} aria-label={t('robots.edit', { name: rule.name })}>
                      <Icon name="pencil" size={16} />
                    </ActionIcon>
                    <ActionIcon variant="subtle" color="red" loading={remove.isPending} onClick={() => remove.mutate(rule, { onSuccess: () => toast({ color: 'green', message: t('robots.deleted', { name: rule.name }) }), onError: (error) => toast({ color: 'red', message: errorText(error) }) })} aria-label={t('robots.delete', { name: rule.name })}>
                      <Icon name="trash" size={16} />
                    </ActionIcon>
                  </Group>
                </Group>
              </Card>
            ),
          )}
          {editing === 'new' ? (
            <RuleForm pipeline={pipeline} stageId={stageId} rule={null} onDone={() => setEditing(null)} />
          ) : (
            <Button variant="light" leftSection={<Icon name="plus" size={14} />} onClick={() => setEditing('new')} w="fit-content">
              {t('robots.add')}
            </Button>
          )}
        </Stack>
      </QueryStatus>
    </Modal>
  );
}

function RuleForm({ pipeline, stageId, rule, onDone }: { pipeline: Pipeline; stageId: string; rule: RobotRule | null; onDone: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const save = useSaveRobot();
  const [draft, setDraft] = useState<RuleDraft>(() => draftOf(rule));
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const errorAt = (path: string) => errors.get(path);
  const setAction = (index: number, action: RuleDraft['actions'][number]) => setDraft((current) => ({ ...current, actions: current.actions.map((item, i) => (i === index ? action : item)) }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The modal is rendered from inside the pipeline's form: through the portal, React would submit that one too.
    event.stopPropagation();
    setErrors(new Map());
    const actions: RobotAction[] = draft.actions;
    const fields = { name: draft.name, trigger: draft.trigger, idleHours: draft.trigger === 'idle_hours' ? draft.idleHours : null, condition: draft.condition.trim() || null, actions };
    const body = rule ? { ...fields, version: rule.version } : { ...fields, stageId };
    save.mutate(
      { id: rule?.id ?? null, body },
      {
        onSuccess: (saved) => {
          toast({ color: 'green', message: t('robots.saved', { name: saved.name }) });
          onDone();
        },
        onError: (error) => {
          if (isApiError(error) && error.fieldErrors.length > 0) setErrors(new Map(error.fieldErrors.map((fieldError) => [fieldOf(fieldError.path), fieldError.message])));
          toast({ color: error && isApiError(error) && error.code === 'version_conflict' ? 'yellow' : 'red', message: errorText(error) });
        },
      },
    );
  };

  return (
    <Card withBorder padding="md" component="form" onSubmit={submit} noValidate aria-label={rule ? rule.name : t('robots.add')}>
      <Stack gap="sm">
        <TextInput label={t('robots.name')} value={draft.name} onChange={(event) => setDraft({ ...draft, name: event.currentTarget.value })} error={errorAt('name')} maxLength={200} required />
        <Group grow align="flex-start">
          <Select label={t('robots.trigger')} data={ROBOT_TRIGGERS.map((trigger) => ({ value: trigger, label: t(`robots.triggers.${trigger}`) }))} value={draft.trigger} onChange={(value) => value && setDraft({ ...draft, trigger: value as RobotTrigger })} allowDeselect={false} error={errorAt('trigger')} />
          {draft.trigger === 'idle_hours' ? (
            <NumberInput label={t('robots.idleHours')} min={1} max={8760} allowDecimal={false} value={draft.idleHours ?? ''} onChange={(value) => setDraft({ ...draft, idleHours: typeof value === 'number' ? value : null })} error={errorAt('idleHours')} />
          ) : null}
        </Group>
        <TextInput label={t('robots.condition')} description={t('robots.conditionHint')} placeholder='amount > 1000 and source = "web"' value={draft.condition} onChange={(event) => setDraft({ ...draft, condition: event.currentTarget.value })} error={errorAt('condition')} />
        {draft.actions.map((action, index) => (
          <Card key={index} withBorder padding="sm" bg="var(--mantine-color-gray-light)">
            <Group justify="space-between" align="flex-end" mb="xs">
              <Select
                label={t('robots.action', { n: index + 1 })}
                data={ROBOT_ACTION_TYPES.map((type) => ({ value: type, label: t(`robots.actions.${type}`) }))}
                value={action.type}
                onChange={(value) => value && setAction(index, { type: value as RobotActionType, config: START[value as RobotActionType] })}
                allowDeselect={false}
                error={errorAt(`actions.${index}.type`)}
                w={260}
              />
              <ActionIcon variant="subtle" color="red" disabled={draft.actions.length <= 1} onClick={() => setDraft({ ...draft, actions: draft.actions.filter((_, i) => i !== index) })} aria-label={t('robots.removeAction', { n: index + 1 })}>
                <Icon name="trash" size={16} />
              </ActionIcon>
            </Group>
            <ActionConfig pipeline={pipeline} type={action.type} config={action.config} onChange={(config) => setAction(index, { ...action, config })} errorAt={(path) => errorAt(`actions.${index}.config.${path}`)} />
          </Card>
        ))}
        {errorAt('actions') ? <Alert color="red">{errorAt('actions')}</Alert> : null}
        <Group justify="space-between">
          <Button variant="subtle" leftSection={<Icon name="plus" size={14} />} disabled={draft.actions.length >= 10} onClick={() => setDraft({ ...draft, actions: [...draft.actions, { type: 'notify', config: START.notify }] })}>
            {t('robots.addAction')}
          </Button>
          <Group gap="xs">
            <Button variant="default" onClick={onDone}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </Card>
  );
}

/** The fields of one action's config; field errors come back from the server with the config's paths. */
function ActionConfig({ pipeline, type, config, onChange, errorAt }: { pipeline: Pipeline; type: RobotActionType; config: Config; onChange: (config: Config) => void; errorAt: (path: string) => string | undefined }) {
  const { t } = useTranslation();
  const set = (patch: Config) => onChange({ ...config, ...patch });
  const text = (key: string, label: string, long = false) => {
    const props = { label, value: String(config[key] ?? ''), error: errorAt(key) };
    return long ? <Textarea {...props} autosize minRows={2} onChange={(event) => set({ [key]: event.currentTarget.value })} /> : <TextInput {...props} onChange={(event) => set({ [key]: event.currentTarget.value })} />;
  };
  switch (type) {
    case 'create_task': {
      const dueIn = config.dueIn as { amount: number; unit: string } | undefined;
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
            <NumberInput label={t('robots.fields.dueIn')} min={0} allowDecimal={false} value={dueIn?.amount ?? ''} onChange={(value) => set({ dueIn: typeof value === 'number' ? { amount: value, unit: dueIn?.unit ?? 'hours' } : undefined })} error={errorAt('dueIn.amount') ?? errorAt('dueIn')} />
            <Select label={t('robots.fields.unit')} data={TIME_UNITS.map((unit) => ({ value: unit, label: t(`robots.units.${unit}`) }))} value={dueIn?.unit ?? 'hours'} onChange={(value) => value && set({ dueIn: { amount: dueIn?.amount ?? 0, unit: value } })} allowDeselect={false} />
            <Select label={t('robots.fields.priority')} data={TASK_PRIORITIES.map((priority) => ({ value: priority, label: t(`tasks.priority.${priority}`) }))} value={String(config.priority ?? 'normal')} onChange={(value) => value && set({ priority: value })} allowDeselect={false} />
          </Group>
        </Stack>
      );
    }
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
      return <Select label={t('robots.fields.stage')} data={pipeline.stages.map((stage) => ({ value: stage.id, label: stage.name }))} value={String(config.stageId || '') || null} onChange={(value) => set({ stageId: value ?? '' })} error={errorAt('stageId')} />;
    case 'call_webhook':
      return (
        <Group grow align="flex-start">
          {text('url', t('robots.fields.url'))}
          <NumberInput label={t('robots.fields.timeout')} min={1} max={30} allowDecimal={false} value={Number(config.timeoutSeconds ?? 10)} onChange={(value) => set({ timeoutSeconds: typeof value === 'number' ? value : 10 })} error={errorAt('timeoutSeconds')} />
        </Group>
      );
  }
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
