import type { ProcessDefinition, ProcessProblem } from '@rapport/shared';
import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type EventBus from 'diagram-js/lib/core/EventBus';
import type Selection from 'diagram-js/lib/features/selection/Selection';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useBlocker, useParams } from 'react-router';
import { api, isApiError } from '../../api/api-client';
import { useCan } from '../../app/session';
import { ConfirmModal } from '../../components/confirm-modal';
import { useErrorText } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { createModeler, type Element, type Modeler } from './bpmn-canvas';
import { downloadXml } from './download';
import { PropertiesPanel } from './properties-panel';
import { useCheckProcessDefinition, useProcessDefinition, useUpdateProcessDefinition } from './use-processes';

/** Processes › a definition: the BPMN modeler, our properties panel, and save / export / validate / deploy. */
export function ProcessDesignerPage() {
  const { id } = useParams();
  const definition = useProcessDefinition(id);
  return (
    <QueryStatus isPending={definition.isPending} error={definition.error} onRetry={() => void definition.refetch()}>
      {definition.data ? <Designer key={definition.data.id} definition={definition.data} /> : null}
    </QueryStatus>
  );
}

function Designer({ definition }: { definition: ProcessDefinition }) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  // Designing takes the settings right (as on the server); others may look at the diagram and export it.
  const canDesign = useCan()('settings', 'update');
  const container = useRef<HTMLDivElement>(null);
  const [modeler, setModeler] = useState<Modeler | null>(null);
  const [selected, setSelected] = useState<Element | null>(null);
  const [revision, setRevision] = useState(0);
  const [dirty, setDirty] = useState(false);
  const [importError, setImportError] = useState<string | null>(null);
  const [problems, setProblems] = useState<ProcessProblem[] | null>(null);
  const [conflict, setConflict] = useState(false);
  // The version the next save expects; it moves on with each save, not with the (frozen) query data.
  const version = useRef(definition.version);
  // The diagram is loaded once; later copies of the definition (after a save or deploy) must not redraw it.
  const initialXml = useRef(definition.draftXml);
  const update = useUpdateProcessDefinition();
  const check = useCheckProcessDefinition();
  // Unsaved drawing is not lost by a click elsewhere in the app, nor by closing or reloading the tab.
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const load = useCallback(async (target: Modeler, xml: string) => {
    try {
      await target.importXML(xml);
      setImportError(null);
      target.get<Canvas>('canvas').zoom('fit-viewport');
    } catch (error) {
      setImportError((error as Error).message);
    }
    setDirty(false);
    setSelected(target.get<Canvas>('canvas').getRootElement() as Element);
  }, []);

  useEffect(() => {
    if (!container.current) return;
    const created = createModeler(container.current);
    const events = created.get<EventBus>('eventBus');
    events.on('selection.changed', (event: { newSelection: Element[] }) => setSelected(event.newSelection[0] ?? (created.get<Canvas>('canvas').getRootElement() as Element)));
    events.on('elements.changed', () => setRevision((current) => current + 1));
    events.on('commandStack.changed', () => setDirty(true));
    setModeler(created);
    void load(created, initialXml.current);
    return () => created.destroy();
  }, [load]);

  // Elements named in the problems list are outlined on the canvas too.
  useEffect(() => {
    if (!modeler || !problems) return;
    const canvas = modeler.get<Canvas>('canvas');
    const registry = modeler.get<ElementRegistry>('elementRegistry');
    const ids = problems.flatMap((problem) => (problem.elementId && registry.get(problem.elementId) ? [problem.elementId] : []));
    for (const id of ids) canvas.addMarker(id, 'rp-problem');
    return () => {
      for (const id of ids) if (registry.get(id)) canvas.removeMarker(id, 'rp-problem');
    };
  }, [modeler, problems]);

  const currentXml = async () => (await modeler!.saveXML({ format: true })).xml ?? '';

  /** Saves the diagram; true when the server has it. */
  const save = async (expectedVersion = version.current): Promise<boolean> => {
    if (!modeler) return false;
    try {
      const saved = await update.mutateAsync({ id: definition.id, body: { version: expectedVersion, draftXml: await currentXml() } });
      version.current = saved.version;
      setDirty(false);
      setConflict(false);
      return true;
    } catch (error) {
      if (isApiError(error) && error.code === 'version_conflict') setConflict(true);
      else toast({ color: 'red', message: errorText(error) });
      return false;
    }
  };

  const saveAndSay = async () => {
    if (await save()) toast({ color: 'green', message: t('processes.saved', { name: definition.name }) });
  };

  /** Keeps the user's diagram over the one saved meanwhile: saves against the version now on the server. */
  const overwrite = async () => {
    const latest = await api<ProcessDefinition>('GET', `/process-definitions/${definition.id}`);
    if (await save(latest.version)) toast({ color: 'green', message: t('processes.saved', { name: definition.name }) });
  };

  const takeTheirs = async () => {
    const latest = await api<ProcessDefinition>('GET', `/process-definitions/${definition.id}`);
    version.current = latest.version;
    setConflict(false);
    if (modeler) await load(modeler, latest.draftXml);
  };

  const runCheck = async (deploy: boolean) => {
    if (dirty && !(await save())) return;
    try {
      const result = await check.mutateAsync({ id: definition.id, deploy });
      setProblems(result.problems);
      if (result.deployedVersion !== null) toast({ color: 'green', message: t('processes.deployed', { version: result.deployedVersion }) });
      else if (result.problems.length === 0) toast({ color: 'green', message: t('processes.valid') });
    } catch (error) {
      toast({ color: 'red', message: errorText(error) });
    }
  };

  const exportXml = async () => {
    if (modeler) downloadXml(await currentXml(), `${definition.key || 'process'}.bpmn`);
  };

  const focus = (elementId: string | null) => {
    if (!modeler || !elementId) return;
    const element = modeler.get<ElementRegistry>('elementRegistry').get(elementId);
    if (!element) return;
    modeler.get<Selection>('selection').select(element);
    modeler.get<Canvas>('canvas').scrollToElement(element);
  };

  const busy = update.isPending || check.isPending;
  return (
    <div className="rp-designer">
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Anchor component={Link} to="/processes" size="xs">
            {t('processes.back')}
          </Anchor>
          <Group gap="xs" wrap="nowrap">
            <Title order={1} size="h3" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
              {definition.name}
            </Title>
            {dirty ? (
              <Badge variant="light" color="yellow" data-testid="unsaved">
                {t('processes.unsaved')}
              </Badge>
            ) : null}
            {definition.latestVersion !== null ? <Badge variant="light">{t('processes.latestVersion', { version: definition.latestVersion })}</Badge> : null}
          </Group>
        </Stack>
        <Group gap="xs">
          {definition.latestVersion !== null ? (
            <Button component={Link} to={`/processes/${definition.id}/map`} variant="subtle" size="sm">
              {t('processes.openVersionMap')}
            </Button>
          ) : null}
          <Button variant="default" size="sm" leftSection={<Icon name="download" size={14} />} onClick={() => void exportXml()}>
            {t('processes.export')}
          </Button>
          {canDesign ? (
            <>
              <Button variant="default" size="sm" onClick={() => void runCheck(false)} loading={check.isPending && !check.variables?.deploy} disabled={busy}>
                {t('processes.validate')}
              </Button>
              <Button variant="light" size="sm" onClick={() => void runCheck(true)} loading={check.isPending && check.variables?.deploy} disabled={busy}>
                {t('processes.deploy')}
              </Button>
              <Button size="sm" onClick={() => void saveAndSay()} loading={update.isPending} disabled={busy && !update.isPending}>
                {t('common.save')}
              </Button>
            </>
          ) : null}
        </Group>
      </Group>
      {importError ? (
        <Alert color="red" title={t('processes.importFailed')}>
          {importError}
        </Alert>
      ) : null}
      {conflict ? (
        <Alert color="yellow" title={t('processes.conflictTitle')} role="alert" data-testid="save-conflict">
          <Text size="sm">{t('processes.conflictText')}</Text>
          <Group gap="xs" mt="xs">
            <Button size="xs" color="yellow" onClick={() => void overwrite()}>
              {t('processes.keepMine')}
            </Button>
            <Button size="xs" variant="default" onClick={() => void exportXml()}>
              {t('processes.export')}
            </Button>
            <Button size="xs" variant="subtle" color="gray" onClick={() => void takeTheirs()}>
              {t('processes.takeTheirs')}
            </Button>
          </Group>
        </Alert>
      ) : null}
      <ConfirmModal
        opened={blocker.state === 'blocked'}
        title={t('processes.leaveTitle')}
        message={t('processes.leaveText')}
        confirmLabel={t('processes.leave')}
        onConfirm={() => blocker.proceed?.()}
        onClose={() => blocker.reset?.()}
      />
      {problems && problems.length > 0 ? <ProblemList problems={problems} onPick={focus} onClose={() => setProblems(null)} /> : null}
      <div className="rp-workspace">
        <div className="rp-canvas" ref={container} data-testid="bpmn-canvas" />
        <aside className="rp-panel" aria-label={t('processes.props.title')}>
          {modeler && selected ? <PropertiesPanel key={selected.id} modeler={modeler} element={selected} revision={revision} /> : null}
        </aside>
      </div>
    </div>
  );
}

function ProblemList({ problems, onPick, onClose }: { problems: ProcessProblem[]; onPick: (elementId: string | null) => void; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="xs" role="region" aria-label={t('processes.problems', { count: problems.length })} style={{ maxHeight: 180, overflowY: 'auto', flex: '0 0 auto' }}>
      <Group justify="space-between" mb={4}>
        <Text size="sm" fw={600} c="red">
          {t('processes.problems', { count: problems.length })}
        </Text>
        <Button size="compact-xs" variant="subtle" color="gray" onClick={onClose}>
          {t('common.close')}
        </Button>
      </Group>
      <Stack gap={2}>
        {problems.map((problem, index) => (
          // The sentence is the reader's language, by the problem's code; the engine's own wording (with details such
          // as the character where an expression stops) is the hover text.
          <UnstyledButton key={index} onClick={() => onPick(problem.elementId)} data-testid="process-problem" title={problem.message} style={{ borderRadius: 4, padding: '2px 4px' }}>
            <Text size="sm">
              {t(`processes.problemCodes.${problem.code}`, { element: problem.elementName || problem.elementId || t('processes.wholeProcess'), defaultValue: problem.message })}
              {problem.elementType ? (
                <Text span c="dimmed" size="xs">
                  {' '}
                  ({t(`processes.types.${problem.elementType.replace(/^bpmn:/, '')}`, { defaultValue: problem.elementType.replace(/^bpmn:/, '') })})
                </Text>
              ) : null}
            </Text>
          </UnstyledButton>
        ))}
      </Stack>
    </Paper>
  );
}
