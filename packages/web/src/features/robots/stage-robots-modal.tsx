import { ROBOT_ACTION_TYPES, ROBOT_TRIGGERS, type Pipeline, type RobotAction, type RobotActionType, type RobotRule, type RobotTrigger } from '@rapport/shared';
import { ActionIcon, Alert, Badge, Button, Card, Group, Modal, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldOf, isApiError } from '../../api/api-client';
import { useErrorText } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { ActionConfig, START_CONFIGS } from './action-config';
import { useDeleteRobot, useSaveRobot, useStageRobots } from './use-robots';

type Config = Record<string, unknown>;
interface RuleDraft {
  name: string;
  trigger: RobotTrigger;
  idleHours: number | null;
  condition: string;
  actions: { type: RobotActionType; config: Config }[];
}

const draftOf = (rule: RobotRule | null): RuleDraft =>
  rule ? { name: rule.name, trigger: rule.trigger, idleHours: rule.idleHours, condition: rule.condition ?? '', actions: rule.actions.map((action) => ({ type: action.type as RobotActionType, config: action.config })) } : { name: '', trigger: 'on_enter', idleHours: null, condition: '', actions: [{ type: 'create_task', config: START_CONFIGS.create_task }] };

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
                onChange={(value) => value && setAction(index, { type: value as RobotActionType, config: START_CONFIGS[value as RobotActionType] })}
                allowDeselect={false}
                error={errorAt(`actions.${index}.type`)}
                w={260}
              />
              <ActionIcon variant="subtle" color="red" disabled={draft.actions.length <= 1} onClick={() => setDraft({ ...draft, actions: draft.actions.filter((_, i) => i !== index) })} aria-label={t('robots.removeAction', { n: index + 1 })}>
                <Icon name="trash" size={16} />
              </ActionIcon>
            </Group>
            <ActionConfig stages={pipeline.stages.map((stage) => ({ value: stage.id, label: stage.name }))} type={action.type} config={action.config} onChange={(config) => setAction(index, { ...action, config })} errorAt={(path) => errorAt(`actions.${index}.config.${path}`)} />
          </Card>
        ))}
        {errorAt('actions') ? <Alert color="red">{errorAt('actions')}</Alert> : null}
        <Group justify="space-between">
          <Button variant="subtle" leftSection={<Icon name="plus" size={14} />} disabled={draft.actions.length >= 10} onClick={() => setDraft({ ...draft, actions: [...draft.actions, { type: 'notify', config: START_CONFIGS.notify }] })}>
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

