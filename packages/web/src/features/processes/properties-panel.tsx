import { CRM_TRIGGER_EVENTS, FORM_FIELD_TYPES, PROCESS_RECORD_TYPES, ROBOT_ACTION_TYPES, type RobotActionType } from '@rapport/shared';
import { ActionIcon, Button, Checkbox, Group, NumberInput, SegmentedControl, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import type BpmnFactory from 'bpmn-js/lib/features/modeling/BpmnFactory';
import type Modeling from 'bpmn-js/lib/features/modeling/Modeling';
import type { Element, ModdleElement } from 'bpmn-js/lib/model/Types';
import { is, isAny } from 'bpmn-js/lib/util/ModelUtil';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/icons';
import { toLocalInput } from '../activities/activity-draft';
import { usePipelines } from '../pipelines/use-pipelines';
import { ActionConfig, START_CONFIGS } from '../robots/action-config';
import { useRoles } from '../roles/use-roles';
import { useUserDirectory } from '../users/use-users';
import type { Modeler } from './bpmn-canvas';
import { ASSIGNEE_KINDS, assigneeAttribute, assigneeOf, configOf, DUE_UNITS, dueOf, durationOf, FORM_FIELD_KEY, isCycle, isDuration, processIdOf, type AssigneeKind, type DueUnit } from './bpmn-props';
import { feelSyntaxError } from './feel-syntax';
import { useProcessDefinitions } from './use-processes';

/** What the panel edits with: bpmn-js's own modeling commands, so every change is undoable and lands in the XML. */
interface Tools {
  element: Element;
  modeling: Modeling;
  factory: BpmnFactory;
  /** Creates an element of our extension (rapport:FormField…), which has no id for the BPMN factory to give. */
  create: (type: string, attrs: Record<string, unknown>) => ModdleElement;
  /** The diagram's root (bpmn:Definitions), where signals live. */
  definitions: ModdleElement;
}

const TIMER_KINDS = ['timeDate', 'timeDuration', 'timeCycle'] as const;
type TimerKind = (typeof TIMER_KINDS)[number];

/** The properties of the selected element, or of the process when nothing is selected. */
export function PropertiesPanel({ modeler, element }: { modeler: Modeler; element: Element; revision: number }) {
  const { t } = useTranslation();
  const moddle = modeler.get<{ create: (type: string, attrs: Record<string, unknown>) => ModdleElement }>('moddle');
  const tools: Tools = { element, modeling: modeler.get<Modeling>('modeling'), factory: modeler.get<BpmnFactory>('bpmnFactory'), create: (type, attrs) => moddle.create(type, attrs), definitions: modeler.getDefinitions() as ModdleElement };
  const bo = element.businessObject as ModdleElement;
  const type = String(bo.$type).replace(/^bpmn:/, '');
  const timer = eventDefinition(bo, 'bpmn:TimerEventDefinition');
  const message = is(bo, 'bpmn:StartEvent') ? eventDefinition(bo, 'bpmn:MessageEventDefinition') : null;
  const signal = eventDefinition(bo, 'bpmn:SignalEventDefinition');
  const named = !is(bo, 'bpmn:Collaboration');
  return (
    <Stack gap="sm" data-testid="properties-panel">
      <div>
        <Title order={2} size="h5">
          {t(`processes.types.${type}`, { defaultValue: type })}
        </Title>
        <Text size="xs" c="dimmed" ff="monospace">
          {String(bo.id ?? '')}
        </Text>
      </div>
      {named ? <TextInput label={t('processes.props.name')} value={String(bo.name ?? '')} onChange={(event) => tools.modeling.updateProperties(element, { name: event.currentTarget.value || undefined })} /> : null}
      {is(bo, 'bpmn:UserTask') ? <UserTaskProps tools={tools} bo={bo} /> : null}
      {isAny(bo, ['bpmn:ServiceTask', 'bpmn:SendTask']) ? <ActionProps tools={tools} bo={bo} /> : null}
      {is(bo, 'bpmn:SequenceFlow') ? <FlowProps tools={tools} bo={bo} /> : null}
      {isAny(bo, ['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway', 'bpmn:ComplexGateway']) ? <DefaultFlowProps tools={tools} bo={bo} /> : null}
      {timer ? <TimerProps tools={tools} timer={timer} /> : null}
      {message ? <CrmTriggerProps tools={tools} definition={message} /> : null}
      {is(bo, 'bpmn:StartEvent') && ((bo.eventDefinitions ?? []) as ModdleElement[]).length === 0 && is(bo.$parent as ModdleElement, 'bpmn:Process') ? <StartObjectProps tools={tools} bo={bo} /> : null}
      {signal ? <SignalProps key={String(bo.id)} tools={tools} definition={signal} /> : null}
      {is(bo, 'bpmn:CallActivity') ? <CallActivityProps tools={tools} bo={bo} /> : null}
    </Stack>
  );
}

function eventDefinition(bo: ModdleElement, type: string): ModdleElement | null {
  return ((bo.eventDefinitions ?? []) as ModdleElement[]).find((definition) => is(definition, type)) ?? null;
}

/** The `extensionElements` values of one of our types, on a business object (task) or a nested one (event definition). */
function extensionValues(target: ModdleElement, type: string): ModdleElement[] {
  return ((target.extensionElements?.values ?? []) as ModdleElement[]).filter((value) => is(value, type));
}

/** Replaces the `extensionElements` values of `type` with `values`, keeping whatever else other tools put there. */
function setExtensionValues(tools: Tools, target: ModdleElement, type: string, values: ModdleElement[]): void {
  const existing = target.extensionElements as ModdleElement | undefined;
  const others = ((existing?.values ?? []) as ModdleElement[]).filter((value) => !is(value, type));
  if (existing) {
    for (const value of values) value.$parent = existing;
    tools.modeling.updateModdleProperties(tools.element, existing, { values: [...others, ...values] });
    return;
  }
  const created = tools.factory.create('bpmn:ExtensionElements', { values });
  for (const value of values) value.$parent = created;
  created.$parent = target;
  tools.modeling.updateModdleProperties(tools.element, target, { extensionElements: created });
}

/** A FEEL input that says where the expression stops making sense while it is typed. */
function FeelInput({ label, description, value, onChange, testId }: { label: string; description?: string; value: string; onChange: (value: string) => void; testId?: string }) {
  const { t } = useTranslation();
  const at = feelSyntaxError(value);
  return (
    <TextInput
      label={label}
      description={description}
      ff="monospace"
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      error={at === null ? undefined : t('processes.props.feelError', { at: at + 1 })}
      data-testid={testId}
    />
  );
}

/** The process's none start event: the record type whose cards offer it (`rapport:object`). */
function StartObjectProps({ tools, bo }: { tools: Tools; bo: ModdleElement }) {
  const { t } = useTranslation();
  return (
    <Select
      label={t('processes.props.startObject')}
      description={t('processes.props.startObjectHint')}
      placeholder={t('processes.props.startObjectNone')}
      clearable
      data={PROCESS_RECORD_TYPES.map((type) => ({ value: type, label: t(`processes.recordTypes.${type}`) }))}
      value={(bo.get('rapport:object') as string | undefined) ?? null}
      onChange={(value) => tools.modeling.updateProperties(tools.element, { 'rapport:object': value ?? undefined })}
      data-testid="start-object"
    />
  );
}

function UserTaskProps({ tools, bo }: { tools: Tools; bo: ModdleElement }) {
  const { t } = useTranslation();
  const raw = bo.get('rapport:assignee') as string | undefined;
  const assignee = assigneeOf(raw);
  const users = useUserDirectory(assignee.kind === 'user');
  const roles = useRoles(assignee.kind === 'role');
  const setAssignee = (kind: AssigneeKind, value: string) => tools.modeling.updateProperties(tools.element, { 'rapport:assignee': assigneeAttribute({ kind, value }) });
  const dueText = bo.get('rapport:dueIn') as string | undefined;
  const due = dueOf(dueText);
  const setDue = (amount: number | null, unit: DueUnit) => tools.modeling.updateProperties(tools.element, { 'rapport:dueIn': amount === null ? undefined : durationOf({ amount, unit }) });
  return (
    <>
      <Select
        label={t('processes.props.assignee')}
        placeholder={t('processes.props.assigneeNone')}
        data={ASSIGNEE_KINDS.map((kind) => ({ value: kind, label: t(`processes.assignee.${kind}`) }))}
        value={raw ? assignee.kind : null}
        onChange={(value) => value && setAssignee(value as AssigneeKind, value === 'expression' ? assignee.value : '')}
        allowDeselect={false}
      />
      {assignee.kind === 'user' ? (
        <Select label={t('processes.assignee.user')} searchable data={(users.data ?? []).map((user) => ({ value: user.id, label: user.name }))} value={assignee.value || null} onChange={(value) => setAssignee('user', value ?? '')} />
      ) : null}
      {assignee.kind === 'role' ? <Select label={t('processes.assignee.role')} data={(roles.data ?? []).map((role) => ({ value: role.id, label: role.name }))} value={assignee.value || null} onChange={(value) => setAssignee('role', value ?? '')} /> : null}
      {assignee.kind === 'expression' ? <FeelInput label={t('processes.assignee.expression')} description={t('processes.props.assigneeExpressionHint')} value={assignee.value} onChange={(value) => setAssignee('expression', value)} /> : null}
      <Group grow align="flex-start">
        <NumberInput
          label={t('processes.props.dueIn')}
          min={0}
          allowDecimal={false}
          value={due?.amount ?? ''}
          placeholder={due || !dueText ? undefined : dueText}
          onChange={(value) => setDue(typeof value === 'number' ? value : null, due?.unit ?? 'days')}
        />
        <Select label={t('processes.props.unit')} data={DUE_UNITS.map((unit) => ({ value: unit, label: t(`processes.units.${unit}`) }))} value={due?.unit ?? 'days'} onChange={(value) => value && setDue(due?.amount ?? 1, value as DueUnit)} allowDeselect={false} />
      </Group>
      <FormFieldsProps tools={tools} bo={bo} />
    </>
  );
}

function FormFieldsProps({ tools, bo }: { tools: Tools; bo: ModdleElement }) {
  const { t } = useTranslation();
  const fields = extensionValues(bo, 'rapport:FormField');
  const update = (field: ModdleElement, patch: Record<string, unknown>) => tools.modeling.updateModdleProperties(tools.element, field, patch);
  const add = () => setExtensionValues(tools, bo, 'rapport:FormField', [...fields, tools.create('rapport:FormField', { key: `field${fields.length + 1}`, label: '', type: 'text', required: false })]);
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        {t('processes.props.form')}
      </Text>
      {fields.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t('processes.props.formEmpty')}
        </Text>
      ) : null}
      {fields.map((field, index) => {
        const key = String(field.key ?? '');
        return (
          <Stack key={index} gap={6} p="xs" style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-sm)' }} data-testid="form-field">
            <Group gap="xs" align="flex-start" wrap="nowrap">
              <TextInput size="xs" style={{ flex: 1 }} label={t('processes.props.fieldKey')} ff="monospace" value={key} onChange={(event) => update(field, { key: event.currentTarget.value })} error={FORM_FIELD_KEY.test(key) ? undefined : t('processes.props.fieldKeyError')} />
              <ActionIcon mt={22} variant="subtle" color="red" onClick={() => setExtensionValues(tools, bo, 'rapport:FormField', fields.filter((other) => other !== field))} aria-label={t('processes.props.removeField', { key })}>
                <Icon name="trash" size={14} />
              </ActionIcon>
            </Group>
            <TextInput size="xs" label={t('processes.props.fieldLabel')} value={String(field.label ?? '')} onChange={(event) => update(field, { label: event.currentTarget.value })} />
            <Group gap="xs" align="flex-end" grow>
              <Select size="xs" label={t('processes.props.fieldType')} data={FORM_FIELD_TYPES.map((type) => ({ value: type, label: t(`processes.fieldTypes.${type}`) }))} value={String(field.type ?? 'text')} onChange={(value) => value && update(field, { type: value })} allowDeselect={false} />
              <Checkbox size="xs" mb={6} label={t('processes.props.required')} checked={field.required === true} onChange={(event) => update(field, { required: event.currentTarget.checked })} />
            </Group>
          </Stack>
        );
      })}
      <Button size="xs" variant="light" leftSection={<Icon name="plus" size={14} />} onClick={add} w="fit-content">
        {t('processes.props.addField')}
      </Button>
    </Stack>
  );
}

function ActionProps({ tools, bo }: { tools: Tools; bo: ModdleElement }) {
  const { t } = useTranslation();
  const pipelines = usePipelines();
  const action = bo.get('rapport:action') as string | undefined;
  const type = ROBOT_ACTION_TYPES.includes(action as RobotActionType) ? (action as RobotActionType) : null;
  const config = configOf(bo.get('rapport:config') as string | undefined);
  const stages = (pipelines.data ?? []).map((pipeline) => ({ group: pipeline.name, items: pipeline.stages.map((stage) => ({ value: stage.id, label: stage.name })) }));
  return (
    <>
      <Select
        label={t('processes.props.action')}
        placeholder={t('processes.props.actionNone')}
        data={ROBOT_ACTION_TYPES.map((value) => ({ value, label: t(`robots.actions.${value}`) }))}
        value={type}
        onChange={(value) =>
          tools.modeling.updateProperties(tools.element, value ? { 'rapport:action': value, 'rapport:config': JSON.stringify(START_CONFIGS[value as RobotActionType]) } : { 'rapport:action': undefined, 'rapport:config': undefined })
        }
        data-testid="action-type"
      />
      {type ? <ActionConfig stages={stages} type={type} config={config ?? START_CONFIGS[type]} onChange={(next) => tools.modeling.updateProperties(tools.element, { 'rapport:config': JSON.stringify(next) })} errorAt={() => undefined} /> : null}
    </>
  );
}

/** Sources whose outgoing flows may carry conditions and one of which may be the default. */
const BRANCHING = ['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway', 'bpmn:ComplexGateway', 'bpmn:Activity'];

function FlowProps({ tools, bo }: { tools: Tools; bo: ModdleElement }) {
  const { t } = useTranslation();
  const source = bo.sourceRef as ModdleElement | undefined;
  if (!source || !isAny(source, BRANCHING)) return null;
  const isDefault = source.default === bo;
  const condition = String(bo.conditionExpression?.body ?? '');
  const sourceShape = (tools.element as unknown as { source?: Element }).source;
  const setCondition = (body: string) => tools.modeling.updateProperties(tools.element, { conditionExpression: body.trim() ? tools.factory.create('bpmn:FormalExpression', { body }) : undefined });
  return (
    <>
      {sourceShape ? (
        <Switch
          label={t('processes.props.defaultFlow')}
          checked={isDefault}
          onChange={(event) => {
            const checked = event.currentTarget.checked;
            if (checked && condition) setCondition('');
            tools.modeling.updateProperties(sourceShape, { default: checked ? bo : undefined });
          }}
        />
      ) : null}
      {isDefault ? (
        <Text size="xs" c="dimmed">
          {t('processes.props.defaultFlowHint')}
        </Text>
      ) : (
        <FeelInput label={t('processes.props.condition')} description={t('processes.props.conditionHint')} value={condition} onChange={setCondition} testId="flow-condition" />
      )}
    </>
  );
}

function DefaultFlowProps({ tools, bo }: { tools: Tools; bo: ModdleElement }) {
  const { t } = useTranslation();
  const outgoing = (bo.outgoing ?? []) as ModdleElement[];
  const current = bo.default as ModdleElement | undefined;
  return (
    <Select
      label={t('processes.props.defaultFlow')}
      placeholder={t('processes.props.noDefault')}
      clearable
      data={outgoing.map((flow) => ({ value: String(flow.id), label: flow.name ? `${flow.name} (${flow.id})` : String(flow.id) }))}
      value={current ? String(current.id) : null}
      onChange={(value) => {
        const flow = outgoing.find((candidate) => candidate.id === value);
        if (flow?.conditionExpression) {
          const flowShape = (tools.element as unknown as { outgoing: Element[] }).outgoing.find((connection) => connection.businessObject === flow);
          if (flowShape) tools.modeling.updateProperties(flowShape, { conditionExpression: undefined });
        }
        tools.modeling.updateProperties(tools.element, { default: flow });
      }}
    />
  );
}

function TimerProps({ tools, timer }: { tools: Tools; timer: ModdleElement }) {
  const { t } = useTranslation();
  const kind: TimerKind = TIMER_KINDS.find((candidate) => timer[candidate]) ?? 'timeDuration';
  const body = String(timer[kind]?.body ?? '');
  const write = (nextKind: TimerKind, nextBody: string) =>
    tools.modeling.updateModdleProperties(
      tools.element,
      timer,
      Object.fromEntries(TIMER_KINDS.map((candidate) => [candidate, candidate === nextKind && nextBody ? tools.factory.create('bpmn:FormalExpression', { body: nextBody }) : undefined])),
    );
  const invalid = body !== '' && (kind === 'timeDuration' ? !isDuration(body) : kind === 'timeCycle' ? !isCycle(body) : false);
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        {t('processes.props.timer')}
      </Text>
      <SegmentedControl fullWidth size="xs" data={TIMER_KINDS.map((value) => ({ value, label: t(`processes.timer.${value}`) }))} value={kind} onChange={(value) => write(value as TimerKind, '')} />
      {kind === 'timeDate' ? (
        <TextInput
          type="datetime-local"
          label={t('processes.timer.timeDate')}
          value={body && !Number.isNaN(Date.parse(body)) ? toLocalInput(new Date(body)) : ''}
          onChange={(event) => write('timeDate', event.currentTarget.value ? new Date(event.currentTarget.value).toISOString() : '')}
        />
      ) : (
        <TextInput
          label={t(`processes.timer.${kind}`)}
          description={t(`processes.timer.${kind}Hint`)}
          ff="monospace"
          placeholder={kind === 'timeDuration' ? 'P7D' : 'R/P1W'}
          value={body}
          onChange={(event) => write(kind, event.currentTarget.value)}
          error={invalid ? t(`processes.timer.${kind}Error`) : undefined}
          data-testid="timer-value"
        />
      )}
    </Stack>
  );
}

function CrmTriggerProps({ tools, definition }: { tools: Tools; definition: ModdleElement }) {
  const { t } = useTranslation();
  const pipelines = usePipelines();
  const trigger = extensionValues(definition, 'rapport:CrmTrigger')[0] ?? null;
  const set = (patch: Record<string, unknown>) => {
    if (trigger) tools.modeling.updateModdleProperties(tools.element, trigger, patch);
    else setExtensionValues(tools, definition, 'rapport:CrmTrigger', [tools.create('rapport:CrmTrigger', { event: 'record_created', object: 'deal', ...patch })]);
  };
  const event = String(trigger?.event ?? '');
  const object = String(trigger?.object ?? 'deal');
  const stages = (pipelines.data ?? []).map((pipeline) => ({ group: pipeline.name, items: pipeline.stages.map((stage) => ({ value: stage.id, label: stage.name })) }));
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        {t('processes.props.crmTrigger')}
      </Text>
      <Select
        label={t('processes.props.crmEvent')}
        placeholder={t('processes.props.crmEventNone')}
        clearable
        data={CRM_TRIGGER_EVENTS.map((value) => ({ value, label: t(`processes.crmEvents.${value}`) }))}
        value={event || null}
        onChange={(value) => (value ? set({ event: value, ...(value === 'stage_changed' ? { object: 'deal' } : {}) }) : trigger && setExtensionValues(tools, definition, 'rapport:CrmTrigger', []))}
        data-testid="crm-event"
      />
      {trigger ? (
        <>
          <Select
            label={t('processes.props.crmObject')}
            data={PROCESS_RECORD_TYPES.map((value) => ({ value, label: t(`processes.recordTypes.${value}`) }))}
            value={object}
            onChange={(value) => value && set({ object: value, stageId: undefined })}
            allowDeselect={false}
            disabled={event === 'stage_changed'}
          />
          {event === 'field_changed' ? <TextInput label={t('processes.props.crmField')} ff="monospace" placeholder="amount" value={String(trigger.field ?? '')} onChange={(change) => set({ field: change.currentTarget.value || undefined })} /> : null}
          {event === 'stage_changed' ? <Select label={t('processes.props.crmStage')} searchable data={stages} value={trigger.stageId ? String(trigger.stageId) : null} onChange={(value) => set({ stageId: value ?? undefined })} data-testid="crm-stage" /> : null}
          <FeelInput label={t('processes.props.crmCondition')} description={t('processes.props.crmConditionHint')} value={String(trigger.condition ?? '')} onChange={(value) => set({ condition: value || undefined })} />
        </>
      ) : null}
    </Stack>
  );
}

/** The signal an event throws or catches, by name: events naming the same signal share one bpmn:Signal. */
function SignalProps({ tools, definition }: { tools: Tools; definition: ModdleElement }) {
  const { t } = useTranslation();
  const current = String((definition.signalRef as ModdleElement | undefined)?.name ?? '');
  const [name, setName] = useState(current);
  const commit = () => {
    const wanted = name.trim();
    if (wanted === current) return;
    if (!wanted) {
      tools.modeling.updateModdleProperties(tools.element, definition, { signalRef: undefined });
      return;
    }
    const roots = (tools.definitions.rootElements ?? []) as ModdleElement[];
    let signal = roots.find((root) => is(root, 'bpmn:Signal') && root.name === wanted);
    if (!signal) {
      signal = tools.factory.create('bpmn:Signal', { name: wanted });
      signal.$parent = tools.definitions;
      tools.modeling.updateModdleProperties(tools.element, tools.definitions, { rootElements: [...roots, signal] });
    }
    tools.modeling.updateModdleProperties(tools.element, definition, { signalRef: signal });
  };
  return <TextInput label={t('processes.props.signal')} description={t('processes.props.signalHint')} value={name} onChange={(event) => setName(event.currentTarget.value)} onBlur={commit} data-testid="signal-name" />;
}

function CallActivityProps({ tools, bo }: { tools: Tools; bo: ModdleElement }) {
  const { t } = useTranslation();
  const definitions = useProcessDefinitions().data ?? [];
  const called = String(bo.calledElement ?? '');
  const options = definitions.flatMap((definition) => {
    const id = processIdOf(definition.draftXml);
    return id && definition.latestVersion !== null ? [{ value: id, label: `${definition.name} (${id})` }] : [];
  });
  // A called id no deployed process has (yet) stays visible, as it is.
  if (called && !options.some((option) => option.value === called)) options.push({ value: called, label: called });
  return (
    <Stack gap="xs">
      <Select
        label={t('processes.props.calledElement')}
        description={t('processes.props.calledElementHint')}
        placeholder={t('processes.props.calledElementNone')}
        searchable
        data={options.filter((option, index) => options.findIndex((other) => other.value === option.value) === index)}
        value={called || null}
        onChange={(value) => tools.modeling.updateProperties(tools.element, { calledElement: value ?? undefined })}
        data-testid="called-element"
      />
      <MappingsProps tools={tools} bo={bo} type="rapport:InputMapping" label={t('processes.props.inputs')} />
      <MappingsProps tools={tools} bo={bo} type="rapport:OutputMapping" label={t('processes.props.outputs')} />
    </Stack>
  );
}

/** A call activity's variable mappings of one direction; none passes every variable. */
function MappingsProps({ tools, bo, type, label }: { tools: Tools; bo: ModdleElement; type: 'rapport:InputMapping' | 'rapport:OutputMapping'; label: string }) {
  const { t } = useTranslation();
  const mappings = extensionValues(bo, type);
  const update = (mapping: ModdleElement, patch: Record<string, unknown>) => tools.modeling.updateModdleProperties(tools.element, mapping, patch);
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      {mappings.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t('processes.props.mappingsAll')}
        </Text>
      ) : null}
      {mappings.map((mapping, index) => {
        const target = String(mapping.target ?? '');
        return (
          <Group key={index} gap="xs" align="flex-start" wrap="nowrap" data-testid="variable-mapping">
            <div style={{ flex: 1 }}>
              <FeelInput label={t('processes.props.mappingSource')} value={String(mapping.source ?? '')} onChange={(source) => update(mapping, { source })} />
            </div>
            <TextInput size="sm" style={{ flex: 1 }} label={t('processes.props.mappingTarget')} ff="monospace" value={target} onChange={(event) => update(mapping, { target: event.currentTarget.value })} error={FORM_FIELD_KEY.test(target) ? undefined : t('processes.props.fieldKeyError')} />
            <ActionIcon mt={26} variant="subtle" color="red" onClick={() => setExtensionValues(tools, bo, type, mappings.filter((other) => other !== mapping))} aria-label={t('processes.props.removeMapping', { target })}>
              <Icon name="trash" size={14} />
            </ActionIcon>
          </Group>
        );
      })}
      <Button size="xs" variant="light" leftSection={<Icon name="plus" size={14} />} onClick={() => setExtensionValues(tools, bo, type, [...mappings, tools.create(type, { source: '', target: `value${mappings.length + 1}` })])} w="fit-content">
        {t('processes.props.addMapping')}
      </Button>
    </Stack>
  );
}
