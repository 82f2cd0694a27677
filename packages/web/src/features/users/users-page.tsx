import { Anchor, Button, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useCan } from '../../app/session';
import { Icon } from '../../components/icons';
import { LoadMore } from '../../components/load-more';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useFormat } from '../../i18n/use-format';
import { useRoles } from '../roles/use-roles';
import { useTeams } from '../teams/use-teams';
import { InviteUserModal } from './invite-user-modal';
import { UserDrawer } from './user-drawer';
import { UserStatusBadge } from './user-status-badge';
import { useUserPages } from './use-users';

export function UsersPage() {
  const { t } = useTranslation();
  const can = useCan();
  const format = useFormat();
  const navigate = useNavigate();
  const { userId } = useParams();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 300);
  const [inviting, setInviting] = useState(false);
  const pages = useUserPages(debounced);
  const roles = useRoles(can('role', 'read'));
  const teams = useTeams(can('team', 'read'));

  // Blank while the names load, rather than a dash that looks like "none".
  const roleName = (id: string) => (roles.isLoading ? '' : (roles.data?.find((role) => role.id === id)?.name ?? t('common.none')));
  const teamName = (id: string | null) => (teams.isLoading ? '' : id ? (teams.data?.find((team) => team.id === id)?.name ?? t('common.none')) : t('common.none'));
  const users = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const showRoles = can('role', 'read');

  return (
    <>
      <PageHeader
        title={t('users.title')}
        description={t('users.description')}
        actions={
          can('user', 'create') ? (
            <Button leftSection={<Icon name="plus" size={16} />} onClick={() => setInviting(true)}>
              {t('users.inviteButton')}
            </Button>
          ) : null
        }
      />
      <TextInput
        mb="md"
        maw={360}
        type="search"
        aria-label={t('users.search')}
        placeholder={t('users.search')}
        leftSection={<Icon name="search" size={16} />}
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
      />
      <QueryStatus isPending={pages.isPending} error={pages.error} onRetry={() => void pages.refetch()}>
        {users.length === 0 ? (
          <Text c="dimmed" py="lg">
            {debounced ? t('users.noMatch') : t('users.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table highlightOnHover verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('users.fields.name')}</Table.Th>
                  <Table.Th>{t('users.fields.email')}</Table.Th>
                  {/* Role names need role.read; without it the column would be all dashes. */}
                  {showRoles ? <Table.Th>{t('users.fields.role')}</Table.Th> : null}
                  <Table.Th>{t('users.fields.team')}</Table.Th>
                  <Table.Th>{t('users.fields.status')}</Table.Th>
                  <Table.Th>{t('users.fields.lastLogin')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {users.map((user) => (
                  <Table.Tr key={user.id} style={{ cursor: 'pointer' }} onClick={() => void navigate(`/settings/users/${user.id}`)}>
                    <Table.Td>
                      {/* The link makes the row reachable by keyboard; the row click is a shortcut for the mouse. */}
                      <Anchor component={Link} to={`/settings/users/${user.id}`} fw={500} onClick={(event) => event.stopPropagation()}>
                        {user.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{user.email}</Table.Td>
                    {showRoles ? <Table.Td>{roleName(user.roleId)}</Table.Td> : null}
                    <Table.Td>{teamName(user.teamId)}</Table.Td>
                    <Table.Td>
                      <UserStatusBadge status={user.status} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c={user.lastLoginAt ? undefined : 'dimmed'}>
                        {format.dateTime(user.lastLoginAt)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <LoadMore hasMore={pages.hasNextPage} loading={pages.isFetchingNextPage} onLoad={() => void pages.fetchNextPage()} />
      </QueryStatus>
      <InviteUserModal opened={inviting} onClose={() => setInviting(false)} />
      <UserDrawer userId={userId} onClose={() => void navigate('/settings/users')} />
    </>
  );
}
