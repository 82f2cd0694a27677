import { STAGE_KINDS, type Pipeline, type StageKind } from '@rapport/shared';
import { ActionIcon, Alert, Badge, Button, Card, ColorInput, Group, NavLink, NumberInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldOf, isApiError } from '../../api/api-client';
import { ConfirmModal } from '../../components/confirm-modal';
import { useErrorText } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { StageRobotsModal } from '../robots/stage-robots-modal';
import { addStage, blankDraft, draftErrors, draftOf, moveStage, STAGE_SWATCHES, toStageInputs, type DraftError, type PipelineDraft, type StageDraft } from './pipeline-draft';
import { useArchivePipeline, useCreatePipeline, usePipelines, useUpdatePipeline } from './use-pipelines';

/** Settings › Pipelines: the sales pipelines and their stages, in board order. */
export function PipelinesPage() {
  const { t } = useTranslation();
  const pipelines = usePipelines();
  const [selected, setSelected] = useState<string | 'new' | null>(null);
  const items = pipelines.data ?? [];
  const current = selected === 'new' ? null : (items.find((pipeline) => pipeline.id === selected) ?? items[0] ?? null);

  return (
    <>
      <PageHeader title={t('pipelines.title')} description={t('pipelines.description')} />
      <QueryStatus isPending={pipelines.isPending} error={pipelines.error} onRetry={() => void pipelines.refetch()}>
        <Group align="flex-start" gap="lg" wrap="wrap">
          <Card withBorder radius="md" padding="xs" w={{ base: '100%', sm: 240 }} component="nav" aria-label={t('pipelines.list')}>
            {items.map((pipeline) => (
              <NavLink
                key={pipeline.id}
                label={pipeline.name}
                description={t('pipelines.stageCount', { count: pipeline.stages.length })}
                active={selected !== 'new' && current?.id === pipeline.id}
                onClick={() => setSelected(pipeline.id)}
                rightSection={pipeline.isDefault ? <Badge size="xs" variant="light">{t('pipelines.default')}</Badge> : null}
              />
            ))}
            <Button variant="subtle" fullWidth mt="xs" leftSection={<Icon name="plus" size={14} />} onClick={() => setSelected('new')}>
              {t('pipelines.new')}
            </Button>
          </Card>
          <Stack style={{ flex: 1, minWidth: 320 }}>
            {selected === 'new' ? (
              <PipelineEditor key="new" pipeline={null} onSaved={(saved) => setSelected(saved.id)} onCancel={() => setSelected(null)} />
            ) : current ? (
              <PipelineEditor key={`${current.id}:${current.version}`} pipeline={current} onSaved={(saved) => setSelected(saved.id)} onCancel={() => setSelected(current.id)} />
            ) : null}
          </Stack>
        </Group>
      </QueryStatus>
    </>
  );
}

function useErrorMessage() {
  const { t } = useTranslation();
  return (error: DraftError | undefined) => {
    if (!error) return undefined;
    if (error.rule === 'missing_kind' && 'kind' in error && error.kind) return t('pipelines.errors.missingKind', { kind: t(`pipelines.kinds.${error.kind}`) });
    return t(`pipelines.errors.${error.rule}`);
  };
}

/** One pipeline's name and stages, saved together (the server keeps the ids of stages it knows). */
function PipelineEditor({ pipeline, onSaved, onCancel }: { pipeline: Pipeline | null; onSaved: (saved: Pipeline) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const message = useErrorMessage();
  const create = useCreatePipeline();
  const update = useUpdatePipeline();
  const archive = useArchivePipeline();
  const [draft, setDraft] = useState<PipelineDraft>(() => (pipeline ? draftOf(pipeline) : blankDraft({ first: t('pipelines.blank.first'), won: t('pipelines.blank.won'), lost: t('pipelines.blank.lost') })));
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Map<string, string>>(new Map());
  const [archiving, setArchiving] = useState(false);
  const [robotsOf, setRobotsOf] = useState<string | null>(null);
  const local = draftErrors(draft);
  const errorAt = (path: string) => serverErrors.get(path) ?? (submitted ? message(local.get(path)) : undefined);

  const setStage = (index: number, patch: Partial<StageDraft>) => setDraft((current) => ({ ...current, stages: current.stages.map((stage, i) => (i === index ? { ...stage, ...patch } : stage)) }));
  const setStages = (stages: StageDraft[]) => setDraft((current) => ({ ...current, stages }));

  const fail = (error: unknown) => {
    if (isApiError(error) && error.fieldErrors.length > 0) {
      setServerErrors(new Map(error.fieldErrors.map((fieldError) => [fieldOf(fieldError.path).replaceAll('.', '/'), fieldError.message])));
    }
    if (isApiError(error) && error.code === 'version_conflict') toast({ color: 'yellow', title: t('pipelines.conflict.title'), message: t('pipelines.conflict.message') });
    else toast({ color: 'red', message: errorText(error) });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setServerErrors(new Map());
    if (local.size > 0) return;
    const body = { name: draft.name.trim(), stages: toStageInputs(draft.stages) };
    const done = (saved: Pipeline) => {
      toast({ color: 'green', message: t('pipelines.saved', { name: saved.name }) });
      onSaved(saved);
    };
    if (pipeline) update.mutate({ id: pipeline.id, body: { ...body, version: pipeline.version } }, { onSuccess: done, onError: fail });
    else create.mutate(body, { onSuccess: done, onError: fail });
  };

  const listError = errorAt('stages');
  return (
    <Card withBorder radius="md" padding="lg" component="form" onSubmit={submit} noValidate aria-label={pipeline ? pipeline.name : t('pipelines.new')}>
      <Group justify="space-between" align="flex-end" mb="md" wrap="wrap">
        <TextInput label={t('pipelines.name')} value={draft.name} onChange={(event) => setDraft({ ...draft, name: event.currentTarget.value })} error={errorAt('name')} w={320} maxLength={100} required />
        {pipeline ? (
          <Group gap="xs">
            {pipeline.isDefault ? (
              <Badge variant="light">{t('pipelines.default')}</Badge>
            ) : (
              <Button variant="default" loading={update.isPending} onClick={() => update.mutate({ id: pipeline.id, body: { isDefault: true, version: pipeline.version } }, { onSuccess: () => toast({ color: 'green', message: t('pipelines.madeDefault', { name: pipeline.name }) }), onError: fail })}>
                {t('pipelines.makeDefault')}
              </Button>
            )}
            <Button variant="subtle" color="red" disabled={pipeline.isDefault} title={pipeline.isDefault ? t('pipelines.archiveDefault') : undefined} onClick={() => setArchiving(true)}>
              {t('pipelines.archive')}
            </Button>
          </Group>
        ) : null}
      </Group>
      <Title order={2} size="h4" mb={4}>
        {t('pipelines.stages')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('pipelines.stagesHint')}
      </Text>
      {listError ? (
        <Alert color="red" mb="sm" role="alert">
          {listError}
        </Alert>
      ) : null}
      <Table.ScrollContainer minWidth={700}>
      <Table verticalSpacing={6} aria-label={t('pipelines.stages')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={112}>{t('pipelines.columns.color')}</Table.Th>
            <Table.Th miw={130}>{t('pipelines.columns.name')}</Table.Th>
            <Table.Th w={134}>{t('pipelines.columns.kind')}</Table.Th>
            <Table.Th w={96}>{t('pipelines.columns.probability')}</Table.Th>
            <Table.Th w={104}>{t('pipelines.columns.rotting')}</Table.Th>
            <Table.Th w={170} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {draft.stages.map((stage, index) => (
            <Table.Tr key={stage.key} data-testid="stage-row">
              <Table.Td>
                <ColorInput aria-label={t('pipelines.columns.color')} value={stage.color} onChange={(color) => setStage(index, { color })} swatches={STAGE_SWATCHES} format="hex" withEyeDropper={false} error={errorAt(`stages/${index}/color`)} size="xs" />
              </Table.Td>
              <Table.Td>
                <TextInput aria-label={t('pipelines.stageName', { n: index + 1 })} value={stage.name} onChange={(event) => setStage(index, { name: event.currentTarget.value })} error={errorAt(`stages/${index}/name`)} size="xs" maxLength={100} />
              </Table.Td>
              <Table.Td>
                <Select
                  aria-label={t('pipelines.stageKind', { n: index + 1 })}
                  data={STAGE_KINDS.map((kind) => ({ value: kind, label: t(`pipelines.kinds.${kind}`) }))}
                  value={stage.kind}
                  onChange={(value) => value && setStage(index, { kind: value as StageKind })}
                  allowDeselect={false}
                  error={errorAt(`stages/${index}/kind`)}
                  size="xs"
                />
              </Table.Td>
              <Table.Td>
                <NumberInput aria-label={t('pipelines.stageProbability', { n: index + 1 })} value={stage.probability} onChange={(value) => setStage(index, { probability: typeof value === 'number' ? Math.min(100, Math.max(0, Math.round(value))) : 0 })} min={0} max={100} suffix=" %" allowDecimal={false} error={errorAt(`stages/${index}/probability`)} size="xs" />
              </Table.Td>
              <Table.Td>
                {stage.kind === 'open' ? (
                  <NumberInput
                    aria-label={t('pipelines.stageRotting', { n: index + 1 })}
                    placeholder={t('pipelines.never')}
                    value={stage.rottingDays ?? ''}
                    onChange={(value) => setStage(index, { rottingDays: typeof value === 'number' && value >= 1 ? Math.round(value) : null })}
                    min={1}
                    max={3650}
                    allowDecimal={false}
                    error={errorAt(`stages/${index}/rottingDays`)}
                    size="xs"
                  />
                ) : (
                  <Text size="xs" c="dimmed">
                    —
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Group gap={2} wrap="nowrap">
                  {pipeline && stage.id ? (
                    <Button variant="subtle" size="compact-xs" onClick={() => setRobotsOf(stage.id ?? null)} aria-label={t('robots.buttonFor', { name: stage.name })}>
                      {t('robots.button')}
                    </Button>
                  ) : null}
                  <ActionIcon variant="subtle" color="gray" disabled={index === 0} onClick={() => setStages(moveStage(draft.stages, index, -1))} aria-label={t('pipelines.moveUp', { name: stage.name })}>
                    <span aria-hidden>↑</span>
                  </ActionIcon>
                  <ActionIcon variant="subtle" color="gray" disabled={index === draft.stages.length - 1} onClick={() => setStages(moveStage(draft.stages, index, 1))} aria-label={t('pipelines.moveDown', { name: stage.name })}>
                    <span aria-hidden>↓</span>
                  </ActionIcon>
                  <ActionIcon variant="subtle" color="red" disabled={draft.stages.length <= 3} onClick={() => setStages(draft.stages.filter((_, i) => i !== index))} aria-label={t('pipelines.removeStage', { name: stage.name })}>
                    <Icon name="trash" size={16} />
                  </ActionIcon>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      </Table.ScrollContainer>
      <Group justify="space-between" mt="md">
        <Button variant="light" leftSection={<Icon name="plus" size={14} />} onClick={() => setStages(addStage(draft.stages))} disabled={draft.stages.length >= 30}>
          {t('pipelines.addStage')}
        </Button>
        <Group gap="xs">
          <Button variant="default" onClick={() => (pipeline ? setDraft(draftOf(pipeline)) : onCancel())}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {pipeline ? t('common.save') : t('pipelines.create')}
          </Button>
        </Group>
      </Group>
      {pipeline && robotsOf ? <StageRobotsModal pipeline={pipeline} stageId={robotsOf} opened onClose={() => setRobotsOf(null)} /> : null}
      {pipeline ? (
        <ConfirmModal
          opened={archiving}
          title={t('pipelines.archiveTitle')}
          message={t('pipelines.archiveText', { name: pipeline.name })}
          confirmLabel={t('pipelines.archive')}
          loading={archive.isPending}
          onClose={() => setArchiving(false)}
          onConfirm={() =>
            archive.mutate(pipeline.id, {
              onSuccess: () => {
                setArchiving(false);
                toast({ color: 'green', message: t('pipelines.archived', { name: pipeline.name }) });
                onCancel();
              },
              onError: fail,
            })
          }
        />
      ) : null}
    </Card>
  );
}
