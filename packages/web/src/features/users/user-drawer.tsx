import type { User } from '@rapport/shared';
import { Alert, Button, Divider, Drawer, Group, NativeSelect, Stack, Switch, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-client';
import { useCan, useMe } from '../../app/session';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { useErrorText } from '../../components/error-text';
import { useForm } from '../../components/use-form';
import { useFormat } from '../../i18n/use-format';
import { useRoles } from '../roles/use-roles';
import { teamOptions } from '../teams/team-options';
import { useTeams } from '../teams/use-teams';
import { UserStatusBadge } from './user-status-badge';
import { useResendInvite, useUpdateUser, useUser, useUserDirectory, type UserPatch } from './use-users';

export function UserDrawer({ userId, onClose }: { userId: string | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const user = useUser(userId);
  return (
    <Drawer opened={Boolean(userId)} onClose={onClose} position="right" size="md" title={user.data?.name ?? t('users.edit.title')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <QueryStatus isPending={user.isPending} error={user.error} onRetry={() => void user.refetch()}>
        {/* Remount on a new version, so a reload after a conflict starts from the fresh record. */}
        {user.data ? <UserEditForm key={`${user.data.id}:${user.data.version}`} user={user.data} onReload={() => void user.refetch()} onSaved={onClose} /> : null}
      </QueryStatus>
    </Drawer>
  );
}

function UserEditForm({ user, onReload, onSaved }: { user: User; onReload: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const can = useCan();
  const format = useFormat();
  const toast = useToast();
  const errorText = useErrorText();
  const roles = useRoles(can('role', 'read'));
  const teams = useTeams(can('team', 'read'));
  const directory = useUserDirectory();
  const update = useUpdateUser();
  const resend = useResendInvite();
  const [conflict, setConflict] = useState(false);
  const form = useForm({ roleId: user.roleId, teamId: user.teamId ?? '', managerId: user.managerId ?? '', enabled: user.status !== 'disabled' });

  const self = user.id === me.user.id;
  const canUpdate = can('user', 'update');
  const canAssign = can('user', 'assign') && canUpdate && !self;
  const roleName = roles.data?.find((role) => role.id === user.roleId)?.name;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const patch: UserPatch = { version: user.version };
    if (form.values.roleId !== user.roleId) patch.roleId = form.values.roleId;
    if ((form.values.teamId || null) !== user.teamId) patch.teamId = form.values.teamId || null;
    if ((form.values.managerId || null) !== user.managerId) patch.managerId = form.values.managerId || null;
    if (user.status !== 'invited' && form.values.enabled !== (user.status === 'active')) patch.status = form.values.enabled ? 'active' : 'disabled';
    if (Object.keys(patch).length === 1) return onSaved();
    update.mutate(
      { id: user.id, body: patch },
      {
        onSuccess: (saved) => {
          toast({ color: 'green', message: t('users.edit.saved', { name: saved.name }) });
          onSaved();
        },
        onError: (error) => {
          if (isApiError(error) && error.code === 'version_conflict') setConflict(true);
          else form.fail(error);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Stack gap={4}>
          <Text size="sm" c="dimmed">
            {user.email}
          </Text>
          <Group gap="xs">
            <UserStatusBadge status={user.status} />
            <Text size="xs" c="dimmed">
              {t('users.fields.lastLogin')}: {format.dateTime(user.lastLoginAt)}
            </Text>
          </Group>
        </Stack>

        {conflict ? (
          <Alert color="orange" role="alert" title={t('errors.version_conflict')}>
            <Text size="sm" mb="xs">
              {t('users.edit.conflict')}
            </Text>
            <Button size="xs" variant="light" color="orange" onClick={onReload}>
              {t('common.reload')}
            </Button>
          </Alert>
        ) : null}
        {form.formError ? (
          <Alert color="red" role="alert">
            {form.formError}
          </Alert>
        ) : null}

        {user.status === 'invited' ? (
          <Alert color="blue" title={t('users.edit.invitedTitle')}>
            <Text size="sm" mb={can('user', 'create') ? 'xs' : 0}>
              {t('users.edit.invitedText')}
            </Text>
            {can('user', 'create') ? (
              <Button
                size="xs"
                variant="light"
                loading={resend.isPending}
                onClick={() =>
                  resend.mutate(user.id, {
                    onSuccess: () => toast({ color: 'green', message: t('users.edit.resent', { email: user.email }) }),
                    onError: (error) => toast({ color: 'red', message: errorText(error) }),
                  })
                }
              >
                {t('users.resend')}
              </Button>
            ) : null}
          </Alert>
        ) : null}

        <Divider />
        {roles.data ? (
          <NativeSelect
            label={t('users.fields.role')}
            description={self ? t('users.edit.ownRole') : undefined}
            disabled={!canAssign}
            value={form.values.roleId}
            onChange={(event) => form.set('roleId', event.currentTarget.value)}
            error={form.errors.roleId}
            data={roles.data.map((role) => ({ value: role.id, label: role.name }))}
          />
        ) : (
          <Text size="sm">
            {t('users.fields.role')}: {roleName ?? t('common.none')}
          </Text>
        )}
        <NativeSelect
          label={t('users.fields.team')}
          disabled={!canUpdate}
          value={form.values.teamId}
          onChange={(event) => form.set('teamId', event.currentTarget.value)}
          error={form.errors.teamId}
          data={[{ value: '', label: t('users.noTeam') }, ...teamOptions(teams.data ?? [])]}
        />
        <NativeSelect
          label={t('users.fields.manager')}
          disabled={!canUpdate}
          value={form.values.managerId}
          onChange={(event) => form.set('managerId', event.currentTarget.value)}
          error={form.errors.managerId}
          data={[
            { value: '', label: t('users.noManager') },
            ...(directory.data ?? []).filter((other) => other.id !== user.id).map((other) => ({ value: other.id, label: other.name })),
            // Keep a manager outside the loaded directory selectable, so saving does not clear it.
            ...(user.managerId && !directory.data?.some((other) => other.id === user.managerId) ? [{ value: user.managerId, label: user.managerId }] : []),
          ]}
        />
        {user.status !== 'invited' ? (
          <Switch
            label={t('users.fields.enabled')}
            description={self ? t('users.edit.ownStatus') : t('users.edit.enabledHint')}
            disabled={!canUpdate || self}
            checked={form.values.enabled}
            onChange={(event) => form.set('enabled', event.currentTarget.checked)}
            error={form.errors.status}
          />
        ) : null}
        {canUpdate ? (
          <Group justify="flex-end" mt="sm">
            <Button type="submit" loading={update.isPending} disabled={conflict}>
              {t('common.save')}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </form>
  );
}
