import type { Team } from '@rapport/shared';
import { Badge, Button, Group, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-client';
import { useCan } from '../../app/session';
import { ConfirmDeleteModal } from '../../components/confirm-delete-modal';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useUserDirectory } from '../users/use-users';
import { TeamModal } from './team-modal';
import { teamTree, useDeleteTeam, useTeams } from './use-teams';

export function TeamsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const teams = useTeams();
  const directory = useUserDirectory(can('user', 'read'));
  const remove = useDeleteTeam();
  const [editing, setEditing] = useState<{ team: Team | null } | null>(null);
  const [deleting, setDeleting] = useState<Team | null>(null);

  const nameOf = (id: string | null) => (id ? (directory.data?.find((user) => user.id === id)?.name ?? t('common.none')) : t('common.none'));
  const tree = teamTree(teams.data ?? []);
  const canEdit = can('team', 'update');
  const canDelete = can('team', 'delete');

  return (
    <>
      <PageHeader
        title={t('teams.title')}
        description={t('teams.description')}
        actions={
          can('team', 'create') ? (
            <Button leftSection={<Icon name="plus" size={16} />} onClick={() => setEditing({ team: null })}>
              {t('teams.newButton')}
            </Button>
          ) : null
        }
      />
      <QueryStatus isPending={teams.isPending} error={teams.error} onRetry={() => void teams.refetch()}>
        {tree.length === 0 ? (
          <Text c="dimmed" py="lg">
            {t('teams.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={620}>
            <Table verticalSpacing="sm" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('teams.fields.name')}</Table.Th>
                  <Table.Th>{t('teams.fields.kind')}</Table.Th>
                  <Table.Th>{t('teams.fields.head')}</Table.Th>
                  {canEdit || canDelete ? <Table.Th>{t('common.actions')}</Table.Th> : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tree.map(({ team, depth }) => (
                  <Table.Tr key={team.id}>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap" pl={depth * 24}>
                        {depth > 0 ? (
                          <Text c="dimmed" aria-hidden>
                            └
                          </Text>
                        ) : null}
                        <Text fw={depth === 0 ? 600 : 500}>{team.name}</Text>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={team.kind === 'department' ? 'indigo' : team.kind === 'branch' ? 'grape' : 'cyan'}>
                        {t(`teams.kind.${team.kind}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{nameOf(team.headId)}</Table.Td>
                    {canEdit || canDelete ? (
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          {canEdit ? (
                            <Button size="compact-sm" variant="subtle" onClick={() => setEditing({ team })} aria-label={t('teams.editNamed', { name: team.name })}>
                              {t('common.edit')}
                            </Button>
                          ) : null}
                          {canDelete ? (
                            <Button size="compact-sm" variant="subtle" color="red" onClick={() => setDeleting(team)} aria-label={t('teams.deleteNamed', { name: team.name })}>
                              {t('common.delete')}
                            </Button>
                          ) : null}
                        </Group>
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryStatus>
      <TeamModal opened={editing !== null} team={editing?.team ?? null} onClose={() => setEditing(null)} />
      <ConfirmDeleteModal
        item={deleting}
        title={t('teams.deleteTitle')}
        message={t('teams.deleteText', { name: deleting?.name ?? '' })}
        done={(team) => t('teams.deleted', { name: team.name })}
        pending={remove.isPending}
        remove={(team) => remove.mutateAsync(team.id)}
        onClose={() => setDeleting(null)}
        failText={(error) => (isApiError(error) && error.code === 'conflict' ? t('teams.deleteConflict') : null)}
        closeOnError
      />
    </>
  );
}
