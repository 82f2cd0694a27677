import type { ClientObject, SavedView, VIEW_VISIBILITY } from '@rapport/shared';
import { Alert, Button, Group, Menu, Modal, Radio, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-client';
import { useCan, useMe } from '../../app/session';
import { ConfirmModal } from '../../components/confirm-modal';
import { useErrorText } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { useToast } from '../../components/toast-center';
import type { ListState } from '../records/list-state';
import { useDeleteView, useSaveView } from './use-saved-views';

type Visibility = (typeof VIEW_VISIBILITY)[number];

/**
 * The list's saved views: pick one (the user's own and those shared with their team or everyone), save what the list
 * shows as a new view, and update, share or delete one's own.
 */
export function ViewsBar({
  object,
  views,
  state,
  columns,
  dirty,
  onOpen,
}: {
  object: ClientObject;
  views: SavedView[];
  state: ListState;
  /** The columns the list shows now. */
  columns: string[];
  /** The list differs from the selected view. */
  dirty: boolean;
  onOpen: (view: SavedView | null) => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const can = useCan();
  const toast = useToast();
  const errorText = useErrorText();
  const save = useSaveView();
  const remove = useDeleteView();
  const [editing, setEditing] = useState<SavedView | 'new' | null>(null);
  const [deleting, setDeleting] = useState<SavedView | null>(null);
  const current = views.find((view) => view.id === state.viewId);
  const mine = views.filter((view) => view.ownerId === me.user.id);
  const shared = views.filter((view) => view.ownerId !== me.user.id);
  // Administrators (settings rights) may change anyone's shared views too.
  const isMine = current !== undefined && (current.ownerId === me.user.id || can('settings', 'update'));

  const data = [
    { group: t('views.standard'), items: [{ value: '', label: t(`records.${object}.all`) }] },
    ...(mine.length > 0 ? [{ group: t('views.mine'), items: mine.map((view) => ({ value: view.id, label: view.name })) }] : []),
    ...(shared.length > 0 ? [{ group: t('views.shared'), items: shared.map((view) => ({ value: view.id, label: `${view.name} · ${view.ownerName ?? ''}` })) }] : []),
  ];

  const saveChanges = () => {
    if (!current) return;
    save.mutate(
      { id: current.id, body: { filter: state.filter, sort: state.sort, columns, version: current.version } },
      {
        onSuccess: (view) => toast({ color: 'green', message: t('views.updated', { name: view.name }) }),
        onError: (error) => toast({ color: 'red', message: isApiError(error) && error.code === 'version_conflict' ? t('views.conflict') : errorText(error) }),
      },
    );
  };

  return (
    <Group gap="xs" wrap="wrap">
      <Select
        aria-label={t('views.label')}
        data={data}
        value={state.viewId ?? ''}
        onChange={(id) => onOpen(views.find((view) => view.id === id) ?? null)}
        allowDeselect={false}
        style={{ flex: '1 1 170px', maxWidth: 280 }}
        leftSection={<Icon name="bookmark" size={14} />}
        comboboxProps={{ withinPortal: true }}
      />
      {current && isMine && dirty ? (
        <Button variant="light" onClick={saveChanges} loading={save.isPending}>
          {t('views.saveChanges')}
        </Button>
      ) : null}
      <Button variant="default" onClick={() => setEditing('new')}>
        {t('views.saveAs')}
      </Button>
      {current && isMine ? (
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button variant="subtle" color="gray" aria-label={t('views.actions')}>
              ⋯
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={() => setEditing(current)}>{t('views.edit')}</Menu.Item>
            <Menu.Item color="red" onClick={() => setDeleting(current)}>
              {t('common.delete')}
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      ) : null}
      {current && current.ownerId !== me.user.id ? (
        <Text size="xs" c="dimmed">
          {t('views.sharedBy', { name: current.ownerName ?? '' })}
        </Text>
      ) : null}

      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? t('views.newTitle') : t('views.editTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
        {editing !== null ? (
          <ViewForm
            view={editing === 'new' ? null : editing}
            onCancel={() => setEditing(null)}
            onSubmit={(name, visibility, done) => {
              const body =
                editing === 'new'
                  ? { object, name, visibility, filter: state.filter, sort: state.sort, columns }
                  : { name, visibility, version: editing.version };
              save.mutate(
                { id: editing === 'new' ? undefined : editing.id, body },
                {
                  onSuccess: (view) => {
                    toast({ color: 'green', message: t('views.saved', { name: view.name }) });
                    setEditing(null);
                    if (editing === 'new') onOpen(view);
                  },
                  onError: (error) => done(error),
                },
              );
            }}
            busy={save.isPending}
          />
        ) : null}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        title={t('views.deleteTitle')}
        message={t('views.deleteText', { name: deleting?.name ?? '' })}
        confirmLabel={t('common.delete')}
        loading={remove.isPending}
        onClose={() => setDeleting(null)}
        onConfirm={() =>
          deleting &&
          remove.mutate(deleting, {
            onSuccess: () => {
              toast({ color: 'green', message: t('views.deleted', { name: deleting.name }) });
              setDeleting(null);
              onOpen(null);
            },
            onError: (error) => toast({ color: 'red', message: errorText(error) }),
          })
        }
      />
    </Group>
  );
}

function ViewForm({ view, onCancel, onSubmit, busy }: { view: SavedView | null; onCancel: () => void; onSubmit: (name: string, visibility: Visibility, fail: (error: unknown) => void) => void; busy: boolean }) {
  const { t } = useTranslation();
  const me = useMe();
  const can = useCan();
  const errorText = useErrorText();
  const [name, setName] = useState(view?.name ?? '');
  const [visibility, setVisibility] = useState<Visibility>(view?.visibility ?? 'private');
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setError(t('fieldErrors.required'));
    onSubmit(name.trim(), visibility, (failure) => setError(isApiError(failure) && failure.code === 'version_conflict' ? t('views.conflict') : errorText(failure)));
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {error ? (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        ) : null}
        <TextInput label={t('views.name')} required data-autofocus value={name} onChange={(event) => setName(event.currentTarget.value)} maxLength={100} />
        <Radio.Group label={t('views.visibility')} value={visibility} onChange={(value) => setVisibility(value as Visibility)}>
          <Stack gap="xs" mt={6}>
            <Radio value="private" label={t('views.visibilities.private')} description={t('views.visibilityHints.private')} />
            <Radio value="team" label={t('views.visibilities.team')} description={me.user.teamName ? t('views.visibilityHints.team', { team: me.user.teamName }) : t('views.visibilityHints.noTeam')} disabled={!me.user.teamId} />
            <Radio
              value="workspace"
              label={t('views.visibilities.workspace')}
              description={can('settings', 'update') ? t('views.visibilityHints.workspace') : t('views.visibilityHints.adminOnly')}
              disabled={!can('settings', 'update') && view?.visibility !== 'workspace'}
            />
          </Stack>
        </Radio.Group>
        {view === null ? (
          <Text size="xs" c="dimmed">
            {t('views.savesWhat')}
          </Text>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
