import type { Team } from '@rapport/shared';
import { Alert, Button, Group, Modal, NativeSelect, Stack, TextInput } from '@mantine/core';
import { type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session';
import { useToast } from '../../components/toast-center';
import { useForm, useValidate } from '../../components/use-form';
import { useUserDirectory } from '../users/use-users';
import { teamOptions } from './team-options';
import { subtreeIds, useSaveTeam, useTeams } from './use-teams';

const KINDS = ['department', 'branch', 'team'] as const;
type Kind = (typeof KINDS)[number];

/** Creates a team (team = null) or edits one, version-checked. */
export function TeamModal({ opened, team, onClose }: { opened: boolean; team: Team | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={team ? t('teams.editTitle') : t('teams.newTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      {opened ? <TeamForm key={team?.id ?? 'new'} team={team} onDone={onClose} /> : null}
    </Modal>
  );
}

function TeamForm({ team, onDone }: { team: Team | null; onDone: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const toast = useToast();
  const teams = useTeams();
  const directory = useUserDirectory(can('user', 'read'));
  const save = useSaveTeam();
  const validate = useValidate();
  const form = useForm({ name: team?.name ?? '', kind: (team?.kind ?? 'team') as Kind, parentId: team?.parentId ?? '', headId: team?.headId ?? '' });

  const exclude = team ? subtreeIds(teams.data ?? [], team.id) : new Set<string>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors = validate(form.values, { name: { required: true } });
    if (Object.keys(errors).length > 0) return form.setErrors(errors);
    const body = { name: form.values.name.trim(), kind: form.values.kind, parentId: form.values.parentId || null, headId: form.values.headId || null };
    save.mutate(
      { id: team?.id ?? null, body: team ? { ...body, version: team.version } : body },
      {
        onSuccess: (saved) => {
          toast({ color: 'green', message: t('teams.saved', { name: saved.name }) });
          onDone();
        },
        onError: (error) => form.fail(error),
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {form.formError ? (
          <Alert color="red" role="alert">
            {form.formError}
          </Alert>
        ) : null}
        <TextInput label={t('teams.fields.name')} required data-autofocus value={form.values.name} onChange={(event) => form.set('name', event.currentTarget.value)} error={form.errors.name} />
        <NativeSelect
          label={t('teams.fields.kind')}
          value={form.values.kind}
          onChange={(event) => form.set('kind', event.currentTarget.value as Kind)}
          data={KINDS.map((kind) => ({ value: kind, label: t(`teams.kind.${kind}`) }))}
        />
        <NativeSelect
          label={t('teams.fields.parent')}
          value={form.values.parentId}
          onChange={(event) => form.set('parentId', event.currentTarget.value)}
          error={form.errors.parentId}
          data={[{ value: '', label: t('teams.noParent') }, ...teamOptions(teams.data ?? [], exclude)]}
        />
        {directory.data ? (
          <NativeSelect
            label={t('teams.fields.head')}
            value={form.values.headId}
            onChange={(event) => form.set('headId', event.currentTarget.value)}
            error={form.errors.headId}
            data={[{ value: '', label: t('teams.noHead') }, ...directory.data.map((user) => ({ value: user.id, label: user.name }))]}
          />
        ) : null}
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {team ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
