import type { ProcessDefinition } from '@rapport/shared';
import { ActionIcon, Anchor, Badge, Button, FileButton, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useCan } from '../../app/session';
import { ConfirmDeleteModal } from '../../components/confirm-delete-modal';
import { useErrorText, useFieldErrors } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { useFormat } from '../../i18n/use-format';
import { ProcessTabs } from './process-tabs';
import { useCreateProcessDefinition, useDeleteProcessDefinition, useProcessDefinitions } from './use-processes';

/** The process's name written in a BPMN file, else the file's name without its extension. */
function nameOfFile(xml: string, fileName: string): string {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const process = doc.getElementsByTagNameNS('http://www.omg.org/spec/BPMN/20100524/MODEL', 'process')[0];
  return process?.getAttribute('name')?.trim() || fileName.replace(/\.(bpmn|xml)$/i, '') || fileName;
}

/** Processes: the definitions a company designs (designing takes the settings right, as on the server), with their deployed version and how many run. */
export function ProcessesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const toast = useToast();
  const errorText = useErrorText();
  const format = useFormat();
  const definitions = useProcessDefinitions();
  const create = useCreateProcessDefinition();
  const remove = useDeleteProcessDefinition();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<ProcessDefinition | null>(null);
  const items = definitions.data ?? [];

  const importFile = async (file: File | null) => {
    if (!file) return;
    const xml = await file.text();
    create.mutate(
      { name: nameOfFile(xml, file.name).slice(0, 200), xml },
      {
        onSuccess: (created) => {
          toast({ color: 'green', message: t('processes.imported', { name: created.name }) });
          void navigate(`/processes/${created.id}`);
        },
        onError: (error) => toast({ color: 'red', message: errorText(error) }),
      },
    );
  };

  return (
    <>
      <PageHeader
        title={t('processes.title')}
        description={t('processes.description')}
        actions={
          can('settings', 'update') ? (
            <>
              <FileButton onChange={(file) => void importFile(file)} accept=".bpmn,.xml,application/xml,text/xml">
                {(props) => (
                  <Button {...props} variant="default" loading={create.isPending} leftSection={<Icon name="upload" size={16} />}>
                    {t('processes.import')}
                  </Button>
                )}
              </FileButton>
              <Button onClick={() => setCreating(true)} leftSection={<Icon name="plus" size={16} />}>
                {t('processes.new')}
              </Button>
            </>
          ) : null
        }
      />
      <ProcessTabs />
      <QueryStatus isPending={definitions.isPending} error={definitions.error} onRetry={() => void definitions.refetch()}>
        {items.length === 0 ? (
          <Text c="dimmed" py="lg">
            {t('processes.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table highlightOnHover verticalSpacing="sm" aria-label={t('processes.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('processes.columns.name')}</Table.Th>
                  <Table.Th>{t('processes.columns.deployed')}</Table.Th>
                  <Table.Th ta="right">{t('processes.columns.running')}</Table.Th>
                  <Table.Th>{t('processes.columns.updated')}</Table.Th>
                  <Table.Th w={60} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((definition) => (
                  <Table.Tr key={definition.id} data-testid="process-row">
                    <Table.Td>
                      <Anchor component={Link} to={`/processes/${definition.id}`} fw={500} size="sm">
                        {definition.name}
                      </Anchor>
                      {definition.description ? (
                        <Text size="xs" c="dimmed" lineClamp={1}>
                          {definition.description}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      {definition.latestVersion === null ? (
                        <Badge variant="light" color="gray">
                          {t('processes.notDeployed')}
                        </Badge>
                      ) : (
                        <Badge variant="light">{t('processes.latestVersion', { version: definition.latestVersion })}</Badge>
                      )}
                    </Table.Td>
                    <Table.Td ta="right">
                      {definition.running > 0 ? (
                        <Anchor component={Link} to={`/processes/instances?definitionId=${definition.id}&state=running`} size="sm">
                          {format.number(definition.running)}
                        </Anchor>
                      ) : (
                        <Text size="sm" c="dimmed" span>
                          0
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{format.dateTime(definition.updatedAt)}</Text>
                    </Table.Td>
                    <Table.Td>
                      {can('settings', 'update') ? (
                        <ActionIcon variant="subtle" color="red" onClick={() => setDeleting(definition)} aria-label={t('processes.delete', { name: definition.name })}>
                          <Icon name="trash" size={16} />
                        </ActionIcon>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryStatus>
      <CreateProcessModal opened={creating} onClose={() => setCreating(false)} />
      <ConfirmDeleteModal
        item={deleting}
        title={t('processes.deleteTitle')}
        message={t('processes.deleteText', { name: deleting?.name ?? '' })}
        done={(definition) => t('processes.deleted', { name: definition.name })}
        pending={remove.isPending}
        remove={(definition) => remove.mutateAsync(definition)}
        onClose={() => setDeleting(null)}
      />
    </>
  );
}

function CreateProcessModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const toast = useToast();
  const errorText = useErrorText();
  const fieldErrors = useFieldErrors();
  const create = useCreateProcessDefinition();
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const close = () => {
    setName('');
    setErrors({});
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setErrors({ name: t('fieldErrors.required') });
      return;
    }
    create.mutate(
      { name: name.trim() },
      {
        onSuccess: (created) => {
          close();
          void navigate(`/processes/${created.id}`);
        },
        onError: (error) => {
          setErrors(fieldErrors(error));
          toast({ color: 'red', message: errorText(error) });
        },
      },
    );
  };
  return (
    <Modal opened={opened} onClose={close} title={t('processes.new')} centered closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={submit} noValidate aria-label={t('processes.new')}>
        <Stack>
          <TextInput label={t('processes.columns.name')} value={name} onChange={(event) => setName(event.currentTarget.value)} error={errors.name} maxLength={200} required data-autofocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('processes.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
