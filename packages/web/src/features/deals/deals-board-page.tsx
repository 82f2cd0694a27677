import { BOARD_CARDS, BOARD_CARDS_MAX, BOARD_CARDS_STEP, type Deal, type DealBoardColumn, type PipelineStage } from '@rapport/shared';
import { ActionIcon, Alert, Anchor, Badge, Box, Button, Group, Loader, Menu, Modal, Paper, ScrollArea, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState, type DragEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../../api/api-client';
import { useCan, useMe } from '../../app/session';
import { useErrorText } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { intlLocale } from '../../i18n/i18n';
import { usePipelines } from '../pipelines/use-pipelines';
import { formatPrice } from '../products/product-draft';
import { recordUrl } from '../records/objects';
import { useSaveRecord } from '../records/use-records';
import { useUserDirectory } from '../users/use-users';
import { DealFormModal } from './deal-form';
import { DealViewSwitch } from './deal-view-switch';
import { useDealBoard, useMoveDeal, useRefreshDealViews } from './use-deals';

const COLUMN_WIDTH = 280;
const DRAG_TYPE = 'application/x-rapport-deal';

/** A pipeline's deals by stage: drag a card to move it, add one in a column, filter by owner and text like the list. */
export function DealsBoardPage() {
  const { t } = useTranslation();
  const can = useCan();
  const me = useMe();
  const navigate = useNavigate();
  const toast = useToast();
  const errorText = useErrorText();
  const [params, setParams] = useSearchParams();
  const pipelines = usePipelines();
  const directory = useUserDirectory(can('user', 'read'));
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search, 300);
  const [creating, setCreating] = useState<{ stageId: string | null } | null>(null);
  const [losing, setLosing] = useState<{ deal: Deal; stage: PipelineStage } | null>(null);
  // Where a dropped card shows until the board reloads: the move feels instant, and a refusal puts it back.
  const [moving, setMoving] = useState<Map<string, string>>(new Map());
  const move = useMoveDeal();

  const pipelineId = params.get('pipeline') ?? pipelines.data?.find((pipeline) => pipeline.isDefault)?.id ?? pipelines.data?.[0]?.id ?? null;
  const pipeline = pipelines.data?.find((candidate) => candidate.id === pipelineId);
  const owner = params.get('owner');
  const filter = owner ? JSON.stringify({ field: 'ownerId', op: 'eq', value: owner }) : undefined;
  // Columns open with their newest cards; "show more" widens them all (one request for the whole board).
  const [perStage, setPerStage] = useState(BOARD_CARDS);
  const board = useDealBoard({ pipelineId, q, filter, perStage }, Boolean(pipeline));
  const setParam = (key: string, value: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  const columns = board.data?.pipelineId === pipeline?.id ? (board.data?.columns ?? []) : [];
  const allDeals = columns.flatMap((column) => column.items);

  const doMove = (deal: Deal, stage: PipelineStage, lostReason?: string) => {
    if (deal.stageId === stage.id) return;
    setMoving((current) => new Map(current).set(deal.id, stage.id));
    move.mutate(
      { id: deal.id, body: { stageId: stage.id, version: deal.version, ...(lostReason ? { lostReason } : {}) } },
      {
        onSuccess: () => toast({ color: 'green', message: t('deals.board.moved', { title: deal.title, stage: stage.name }) }),
        onError: (error) => toast({ color: 'red', message: isApiError(error) && error.code === 'version_conflict' ? t('deals.board.conflict', { title: deal.title }) : errorText(error) }),
        onSettled: () =>
          setMoving((current) => {
            const next = new Map(current);
            next.delete(deal.id);
            return next;
          }),
      },
    );
  };
  // A lost deal needs its reason first.
  const requestMove = (deal: Deal, stage: PipelineStage) => (stage.kind === 'lost' ? setLosing({ deal, stage }) : doMove(deal, stage));

  const ownerOptions = [{ value: me.user.id, label: t('deals.board.mine') }, ...(directory.data ?? []).filter((user) => user.id !== me.user.id && user.status !== 'disabled').map((user) => ({ value: user.id, label: user.name }))];

  return (
    <>
      <PageHeader
        title={t('deals.board.title')}
        description={t('deals.board.description')}
        actions={
          <>
            <DealViewSwitch view="board" />
            {can('deal', 'create') && pipeline ? (
              <Button leftSection={<Icon name="plus" size={16} />} onClick={() => setCreating({ stageId: null })}>
                {t('records.deal.new')}
              </Button>
            ) : null}
          </>
        }
      />
      <Group gap="xs" mb="md" wrap="wrap">
        <Select
          aria-label={t('deals.board.pipeline')}
          data={(pipelines.data ?? []).map((item) => ({ value: item.id, label: item.name }))}
          value={pipelineId}
          onChange={(value) => setParam('pipeline', value)}
          allowDeselect={false}
          w={220}
          comboboxProps={{ withinPortal: true }}
        />
        <TextInput type="search" aria-label={t('deals.board.search')} placeholder={t('deals.board.search')} leftSection={<Icon name="search" size={16} />} value={search} onChange={(event) => setSearch(event.currentTarget.value)} w={260} maw="100%" />
        <Select aria-label={t('deals.board.owner')} placeholder={t('deals.board.anyOwner')} data={ownerOptions} value={owner} onChange={(value) => setParam('owner', value)} clearable searchable w={220} comboboxProps={{ withinPortal: true }} />
        {board.isFetching ? <Loader size="xs" aria-label={t('common.loading')} /> : null}
      </Group>
      <QueryStatus isPending={pipelines.isPending || (Boolean(pipeline) && board.isPending)} error={pipelines.error ?? board.error} onRetry={() => void board.refetch()}>
        {!pipeline ? (
          <Alert color="blue">{t('deals.board.noPipeline')}</Alert>
        ) : (
          <ScrollArea type="auto" offsetScrollbars>
            <Group align="flex-start" gap="sm" wrap="nowrap" pb="sm" data-testid="deal-board">
              {pipeline.stages.map((stage) => {
                const column = columns.find((candidate) => candidate.stageId === stage.id);
                const here = allDeals.filter((deal) => (moving.get(deal.id) ?? deal.stageId) === stage.id);
                return (
                  <StageColumn
                    key={stage.id}
                    stage={stage}
                    column={column}
                    deals={here}
                    canCreate={can('deal', 'create') && stage.kind === 'open'}
                    canMove={can('deal', 'update')}
                    stages={pipeline.stages}
                    pipelineId={pipeline.id}
                    onDrop={(dealId) => {
                      const deal = allDeals.find((candidate) => candidate.id === dealId);
                      if (deal) requestMove(deal, stage);
                    }}
                    onMove={requestMove}
                    onOpen={(deal) => void navigate(recordUrl('deal', deal.id))}
                    onMore={perStage < BOARD_CARDS_MAX ? () => setPerStage(Math.min(perStage + BOARD_CARDS_STEP, BOARD_CARDS_MAX)) : undefined}
                  />
                );
              })}
            </Group>
          </ScrollArea>
        )}
      </QueryStatus>
      <DealFormModal
        deal={null}
        opened={creating !== null}
        preset={{ pipelineId: pipeline?.id ?? null, stageId: creating?.stageId ?? null }}
        onClose={() => setCreating(null)}
        onSaved={() => setCreating(null)}
      />
      <LostReasonModal
        target={losing}
        onClose={() => setLosing(null)}
        onConfirm={(reason) => {
          if (losing) doMove(losing.deal, losing.stage, reason);
          setLosing(null);
        }}
      />
    </>
  );
}

function StageColumn({
  stage,
  column,
  deals,
  stages,
  pipelineId,
  canCreate,
  canMove,
  onDrop,
  onMove,
  onOpen,
  onMore,
}: {
  stage: PipelineStage;
  column: DealBoardColumn | undefined;
  deals: Deal[];
  stages: PipelineStage[];
  pipelineId: string;
  canCreate: boolean;
  canMove: boolean;
  onDrop: (dealId: string) => void;
  onMove: (deal: Deal, stage: PipelineStage) => void;
  onOpen: (deal: Deal) => void;
  /** Shows more cards in every column; undefined at the most the board shows. */
  onMore: (() => void) | undefined;
}) {
  const { t, i18n } = useTranslation();
  const [over, setOver] = useState(false);
  const [adding, setAdding] = useState(false);
  const locale = intlLocale(i18n.language);
  const count = column?.count ?? 0;
  const sums = (column?.sums ?? []).filter((sum) => Number(sum.amount) > 0).map((sum) => formatPrice(sum.amount, sum.currency, locale));
  const hidden = count - (column?.items.length ?? 0);

  const accepts = (event: DragEvent) => canMove && event.dataTransfer.types.includes(DRAG_TYPE);
  return (
    <Paper
      component="section"
      aria-label={t('deals.board.stageColumn', { stage: stage.name, count })}
      data-testid={`stage-column-${stage.name}`}
      data-stage-id={stage.id}
      w={COLUMN_WIDTH}
      miw={COLUMN_WIDTH}
      radius="md"
      p="xs"
      bg={over ? 'var(--mantine-color-blue-light)' : 'var(--mantine-color-default-hover)'}
      // Columns reach down the screen, so a card can be dropped anywhere below the last one.
      style={{ borderTop: `3px solid ${stage.color}`, transition: 'background 120ms', minHeight: 'calc(100vh - 300px)' }}
      onDragOver={(event: DragEvent) => {
        if (!accepts(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event: DragEvent) => {
        setOver(false);
        const id = event.dataTransfer.getData(DRAG_TYPE);
        if (id) {
          event.preventDefault();
          onDrop(id);
        }
      }}
    >
      <Group justify="space-between" wrap="nowrap" mb={4} gap={4}>
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
          <Text fw={600} size="sm" truncate="end">
            {stage.name}
          </Text>
          <Badge size="sm" variant="white" color="gray" data-testid="stage-count">
            {count}
          </Badge>
        </Group>
        {canCreate ? (
          <ActionIcon variant="subtle" size="sm" aria-label={t('deals.board.quickAdd', { stage: stage.name })} onClick={() => setAdding(true)}>
            <Icon name="plus" size={14} />
          </ActionIcon>
        ) : null}
      </Group>
      <Text size="xs" c="dimmed" mb="xs" data-testid="stage-sum" style={{ minHeight: '1.2em' }}>
        {sums.join(' · ')}
      </Text>
      <Stack gap={6} mih={80}>
        {adding ? <QuickAdd pipelineId={pipelineId} stage={stage} onDone={() => setAdding(false)} /> : null}
        {deals.map((deal) => (
          <DealTile key={deal.id} deal={deal} stage={stage} stages={stages} canMove={canMove} onMove={onMove} onOpen={onOpen} />
        ))}
        {deals.length === 0 && !adding ? (
          <Text size="xs" c="dimmed" ta="center" py="md">
            {t('deals.board.empty')}
          </Text>
        ) : null}
        {hidden > 0 && onMore ? (
          <Button variant="subtle" size="compact-xs" onClick={onMore}>
            {t('deals.board.showMore', { n: hidden })}
          </Button>
        ) : null}
        {hidden > 0 && !onMore ? (
          <Text size="xs" c="dimmed" ta="center">
            {t('deals.board.more', { n: hidden })}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}

function DealTile({ deal, stage, stages, canMove, onMove, onOpen }: { deal: Deal; stage: PipelineStage; stages: PipelineStage[]; canMove: boolean; onMove: (deal: Deal, stage: PipelineStage) => void; onOpen: (deal: Deal) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <Paper
      withBorder
      radius="sm"
      p="xs"
      shadow="xs"
      draggable={canMove}
      data-testid="deal-tile"
      data-rotting={deal.rotting || undefined}
      onDragStart={(event: DragEvent) => {
        event.dataTransfer.setData(DRAG_TYPE, deal.id);
        event.dataTransfer.effectAllowed = 'move';
      }}
      onDoubleClick={() => onOpen(deal)}
      style={{ cursor: canMove ? 'grab' : undefined, borderLeft: deal.rotting ? '3px solid var(--mantine-color-orange-6)' : undefined, background: deal.rotting ? 'var(--mantine-color-orange-light)' : undefined }}
    >
      <Group justify="space-between" wrap="nowrap" gap={4} align="flex-start">
        <Anchor component={Link} to={recordUrl('deal', deal.id)} size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
          {deal.title}
        </Anchor>
        {canMove ? (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t('deals.board.move')}>
                <Icon name="chevronDown" size={14} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>{t('deals.board.move')}</Menu.Label>
              {stages
                .filter((candidate) => candidate.id !== stage.id)
                .map((candidate) => (
                  <Menu.Item key={candidate.id} onClick={() => onMove(deal, candidate)} leftSection={<Box w={8} h={8} style={{ borderRadius: 4, background: candidate.color }} />}>
                    {candidate.name}
                  </Menu.Item>
                ))}
            </Menu.Dropdown>
          </Menu>
        ) : null}
      </Group>
      {deal.companyName ? (
        <Text size="xs" c="dimmed" truncate="end">
          {deal.companyName}
        </Text>
      ) : null}
      <Group justify="space-between" mt={4} gap={4} wrap="nowrap">
        <Text size="sm" fw={500}>
          {formatPrice(deal.amount, deal.currency, intlLocale(i18n.language))}
        </Text>
        <Text size="xs" c="dimmed" truncate="end">
          {deal.ownerName ?? ''}
        </Text>
      </Group>
      {deal.rotting && stage.rottingDays ? (
        <Text size="xs" c="orange.8" mt={2}>
          {t('deals.board.rotting', { days: stage.rottingDays })}
        </Text>
      ) : null}
    </Paper>
  );
}

/** A title typed in a column becomes a deal in that stage, in the workspace currency. */
function QuickAdd({ pipelineId, stage, onDone }: { pipelineId: string; stage: PipelineStage; onDone: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const save = useSaveRecord('deal');
  const refresh = useRefreshDealViews();
  const [title, setTitle] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) return onDone();
    save.mutate(
      { body: { title: title.trim(), pipelineId, stageId: stage.id } },
      {
        onSuccess: (deal) => {
          void refresh(deal.id);
          setTitle('');
          onDone();
        },
        onError: (error) => toast({ color: 'red', message: errorText(error) }),
      },
    );
  };
  return (
    <form onSubmit={submit}>
      <TextInput
        size="xs"
        autoFocus
        aria-label={t('deals.board.quickTitle')}
        placeholder={t('deals.board.quickTitle')}
        value={title}
        onChange={(event) => setTitle(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onDone();
        }}
        onBlur={() => {
          if (!title.trim()) onDone();
        }}
        disabled={save.isPending}
        maxLength={300}
      />
    </form>
  );
}

function LostReasonModal({ target, onClose, onConfirm }: { target: { deal: Deal; stage: PipelineStage } | null; onClose: () => void; onConfirm: (reason: string) => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!reason.trim()) return;
    onConfirm(reason.trim());
    setReason('');
    setTried(false);
  };
  return (
    <Modal opened={target !== null} onClose={onClose} title={target ? t('deals.board.lostTitle', { title: target.deal.title }) : ''}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label={t('fields.deal.lostReason')} value={reason} onChange={(event) => setReason(event.currentTarget.value)} error={tried && !reason.trim() ? t('deals.errors.required') : undefined} maxLength={500} required data-autofocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red">
              {t('deals.board.move')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
