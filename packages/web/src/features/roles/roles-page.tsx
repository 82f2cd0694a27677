import { Anchor, Badge, Button, Group, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useRoles } from './use-roles';

export function RolesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const roles = useRoles();
  return (
    <>
      <PageHeader
        title={t('roles.title')}
        description={t('roles.description')}
        actions={
          can('role', 'create') ? (
            <Button component={Link} to="/settings/roles/new" leftSection={<Icon name="plus" size={16} />}>
              {t('roles.newButton')}
            </Button>
          ) : null
        }
      />
      <QueryStatus isPending={roles.isPending} error={roles.error} onRetry={() => void roles.refetch()}>
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('roles.fields.name')}</Table.Th>
                <Table.Th>{t('roles.fields.description')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(roles.data ?? []).map((role) => (
                <Table.Tr key={role.id}>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Anchor component={Link} to={`/settings/roles/${role.id}`} fw={500}>
                        {role.name}
                      </Anchor>
                      {role.isSystem ? (
                        <Badge size="sm" variant="light" color="gray">
                          {t('roles.system')}
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {role.description || t('common.none')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </QueryStatus>
    </>
  );
}
